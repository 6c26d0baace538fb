#include "human_format.h"

#include <cctype>
#include <ctime>

namespace timctl {
namespace {

std::string LocalTime(uint64_t unix_seconds) {
  if (unix_seconds == 0) return "-";
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string ElemPlaceholder(tim::v1::ElemType type) {
  std::string name = tim::v1::ElemType_Name(type);
  if (name.rfind("ELEM_", 0) == 0) name.erase(0, 5);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "[" + name + "]";
}

}  // namespace

std::string MessageText(const tim::v1::Message& message) {
  std::string text;
  for (const auto& elem : message.elems()) {
    if (!text.empty()) text += ' ';
    text += elem.has_text() ? elem.text().content() : ElemPlaceholder(elem.type());
  }
  return text;
}

std::string MessageLine(const tim::v1::Message& message) {
  uint64_t time = message.server_time() ? message.server_time() : message.client_time();
  std::string line = "#" + std::to_string(message.seq()) + " " + LocalTime(time) + " " + message.sender() + ": " +
                     MessageText(message);
  if (message.status() == tim::v1::MSG_SENDING) line += "  (sending)";
  if (message.status() == tim::v1::MSG_SEND_FAIL) line += "  (send failed)";
  return line;
}

std::string ConversationLine(const tim::v1::Conversation& conversation) {
  constexpr uint64_t kPinnedActiveTime = uint64_t{1} << 62;  // what timd adds for a pinned conversation
  std::string line = conversation.conv_id() + "  unread " + std::to_string(conversation.unread_num()) + "  " +
                     LocalTime(conversation.active_time() & ~kPinnedActiveTime);
  if (conversation.is_pinned()) line += "  [pinned]";
  if (conversation.is_has_draft()) line += "  [draft]";
  if (conversation.is_has_last_msg()) line += "  " + MessageText(conversation.last_msg());
  return line;
}

std::string ConversationLines(const google::protobuf::RepeatedPtrField<tim::v1::Conversation>& conversations) {
  std::string text;
  for (const auto& conversation : conversations) {
    if (!text.empty()) text += '\n';
    text += ConversationLine(conversation);
  }
  return text.empty() ? "(no conversations)" : text;
}

std::string LoginStatusLine(const tim::v1::GetLoginStatusResponse& status) {
  std::string line = tim::v1::LoginStatus_Name(status.status());
  if (!status.user_id().empty()) line += " " + status.user_id();
  line += ", network " + tim::v1::NetworkStatus_Name(status.network());
  if (!status.network_desc().empty()) line += " (" + status.network_desc() + ")";
  if (status.server_features_size() > 0) {
    line += "\nserver features:";
    for (const std::string& feature : status.server_features()) line += " " + feature;
  }
  if (status.has_endpoint()) {
    const tim::v1::ServerEndpoint& endpoint = status.endpoint();
    const bool v6 = endpoint.address().find(':') != std::string::npos;
    line += "\nserver " + endpoint.target() + " " + (v6 ? "[" + endpoint.address() + "]" : endpoint.address()) +
            ":" + std::to_string(endpoint.port()) + " " + (endpoint.direct_tls() ? "direct TLS" : "STARTTLS") +
            (endpoint.from_srv() ? " (from SRV)" : "");
  }
  return line;
}

}  // namespace timctl
