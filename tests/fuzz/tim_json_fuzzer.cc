// Fuzz target: the client library's TIM JSON code (client-lib/json).
//
// Input: the first byte picks what the rest is.
//   even: JSON text an app passes to the C API: ParseMessage,
//         ParseGetMsgListParam, the history/search/import parsers,
//         ParseSdkConfig and ParseSetConfig all read it; what they accept must come out of the library's own JSON
//         writers and back unchanged (MessageJson -> ParseMessage,
//         SetConfigJson -> ParseSetConfig).
//   odd:  a serialized tim.v1.Event from the daemon: every payload is
//         turned into the callback JSON, which must be valid JSON.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz/quiet_protobuf.h"
#include "tim_json.h"

namespace {

using nlohmann::json;
using timclient::ParseResult;

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "tim_json_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}

void CheckValidJson(const std::string& text) {
  if (!json::accept(text)) Fail("a JSON writer produced invalid JSON", text);
}

// The history, search, import and batch-send parsers; what a search or a
// batch send would answer is written back as valid JSON.
void ParseHistoryJson(const std::string& text) {
  std::string why;
  google::protobuf::RepeatedPtrField<std::string> ids;
  timclient::ParseStringArray(text.c_str(), &ids, &why);
  google::protobuf::RepeatedPtrField<tim::v1::MessageLocator> locators;
  timclient::ParseLocatorArray(text.c_str(), &locators, &why);
  std::string msg_id;
  timclient::ParseDeleteParam(text.c_str(), &msg_id, &why);
  tim::v1::SetLocalCustomDataRequest local;
  timclient::ParseLocalCustomData(text.c_str(), &local, &why);
  tim::v1::SearchLocalMessagesRequest search;
  if (timclient::ParseSearchParam(text.c_str(), &search, &why) == ParseResult::kOk) {
    tim::v1::SearchLocalMessagesResponse found;
    found.add_items()->set_conv_id(search.conv_id());
    CheckValidJson(timclient::SearchResultJson(found));
  }
  tim::v1::ImportedMessage saved;
  timclient::ParseSavedMessage(text.c_str(), &saved, &why);
  google::protobuf::RepeatedPtrField<tim::v1::ImportedMessage> imported;
  timclient::ParseImportArray(text.c_str(), &imported, &why);
  tim::v1::BatchSendRequest batch;
  if (timclient::ParseBatchSendParam(text.c_str(), &batch, &why) == ParseResult::kOk) {
    tim::v1::BatchSendResponse results;
    for (const auto& user : batch.user_ids()) results.add_results()->set_user_id(user);
    CheckValidJson(timclient::BatchSendResultJson(results));
  }
}

void ParseAppJson(const std::string& text) {
  std::string why;
  tim::v1::SendMessageRequest send;
  if (timclient::ParseMessage(text.c_str(), &send, &why) == ParseResult::kOk) {
    tim::v1::Message message;
    *message.mutable_elems() = send.elems();
    message.set_cloud_custom_str(send.cloud_custom_str());
    message.set_need_read_receipt(send.need_read_receipt());
    message.set_priority(send.priority());
    message.set_is_online_msg(send.is_online_msg());
    message.set_is_excluded_from_unread_count(send.is_excluded_from_unread_count());
    const std::string written = timclient::MessageJson(message);
    CheckValidJson(written);
    tim::v1::SendMessageRequest again;
    if (timclient::ParseMessage(written.c_str(), &again, &why) != ParseResult::kOk) {
      Fail("MessageJson of an accepted message is refused", why + "\n" + written);
    }
    if (again.SerializeAsString() != send.SerializeAsString()) {
      Fail("an accepted message changes through MessageJson", send.DebugString() + "\n" + again.DebugString());
    }
  }

  tim::v1::GetMessagesRequest list;
  timclient::ParseGetMsgListParam(text.c_str(), &list, &why);
  ParseHistoryJson(text);

  timclient::SdkConfig sdk;
  timclient::ParseSdkConfig(text.c_str(), &sdk, &why);

  timclient::SetConfig config;
  if (timclient::ParseSetConfig(text.c_str(), &config, &why) == ParseResult::kOk) {
    const std::string written = timclient::SetConfigJson(config);
    timclient::SetConfig again;
    if (timclient::ParseSetConfig(written.c_str(), &again, &why) != ParseResult::kOk ||
        again.log_level != config.log_level || again.callback_log_level != config.callback_log_level ||
        again.log_output_console != config.log_output_console) {
      Fail("SetConfigJson does not read back", written);
    }
  }
}

void WriteEventJson(const tim::v1::Event& event) {
  CheckValidJson(timclient::MessageArrayJson(event.new_messages().messages()));
  CheckValidJson(timclient::ReceiptArrayJson(event.msg_read_receipts().receipts()));
  CheckValidJson(timclient::LocatorArrayJson(event.msg_revoked().locators()));
  CheckValidJson(timclient::MessageJson(event.msg_upload_progress().message()));
  CheckValidJson(timclient::GroupTipJson(event.group_tips().tip()));
  const std::string conv = timclient::ConvEventJson(event.conv_event());
  if (!conv.empty()) CheckValidJson(conv);
  CheckValidJson(timclient::UserIdArrayJson(event.friends_added().user_ids()));
  CheckValidJson(timclient::UserIdArrayJson(event.friends_deleted().user_ids()));
  CheckValidJson(timclient::FriendProfileUpdateArrayJson(event.friend_profiles_updated().updates()));
  CheckValidJson(timclient::FriendAddPendencyArrayJson(event.friend_add_requests().pendencies()));
  CheckValidJson(timclient::MessageArrayJson(event.messages_updated().messages()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = timd::fuzz::SilenceProtobufLog();
  (void)quiet;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    ParseAppJson(rest);  // C strings: an embedded NUL ends the text, as for an app
  } else {
    tim::v1::Event event;
    if (event.ParseFromString(rest)) WriteEventJson(event);
  }
  return 0;
}
