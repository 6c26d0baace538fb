// Short human-readable renderings for output without --json.
#pragma once

#include <string>

#include "tim/v1/common.pb.h"
#include "tim/v1/session.pb.h"

namespace timctl {

// The message's text elements joined; other elements as "[image]", "[file]", ...
std::string MessageText(const tim::v1::Message& message);
// "#<seq> <local time> <sender>: <text>"
std::string MessageLine(const tim::v1::Message& message);
// "<conv_id>  unread <n>  <local time>  <last message text>"
std::string ConversationLine(const tim::v1::Conversation& conversation);
// One ConversationLine per conversation, or "(no conversations)".
std::string ConversationLines(const google::protobuf::RepeatedPtrField<tim::v1::Conversation>& conversations);
// "LOGINED alice, network NET_CONNECTED (desc)", then a line
// "server features: urn:xmpp:sm:3 …" when the server advertised any
std::string LoginStatusLine(const tim::v1::GetLoginStatusResponse& status);

}  // namespace timctl
