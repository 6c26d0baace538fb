#include "domain/message_import.h"

#include <set>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "domain/message_codec.h"
#include "domain/message_options.h"
#include "domain/outgoing_content.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

constexpr int kMaxMessages = 100;
constexpr size_t kMaxMsgIdBytes = 100;

Status InvalidArgument(const std::string& why) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, why);
}

}  // namespace

Result<store::MessageRecord> MessageImport::RecordOf(const tim::v1::ImportedMessage& message,
                                                     const std::string& peer) const {
  auto prepared =
      PrepareOutgoingContent(message.elems(), message.cloud_custom_str(), message.need_read_receipt(), max_body_bytes_);
  if (!prepared.ok()) return prepared.status();
  if (Status applied = ApplySendOptions(SendOptionsOf(message), prepared.value(), max_body_bytes_); !applied.ok()) {
    return applied;
  }
  if (message.msg_id().size() > kMaxMsgIdBytes) return InvalidArgument("msg_id longer than 100 bytes");
  store::MessageRecord r;
  r.msg_id = message.msg_id().empty() ? NewUuid() : message.msg_id();
  // A given msg_id is the sender's: a copy of the message arriving later
  // (the archive) then matches the imported one instead of doubling it.
  r.origin_id = message.msg_id();
  r.conv_id = peer;
  r.conv_type = tim::v1::CONV_C2C;
  r.is_from_self = message.is_from_self();
  r.sender = r.is_from_self ? own_jid_ : peer;
  r.is_read = true;
  r.no_unread = message.is_excluded_from_unread_count() || message.is_online_msg();  // as a received one
  r.body = prepared.value().body;
  r.elems = EncodeContent(prepared.value().content);
  r.server_time_ms = message.server_time() == 0 ? NowMs() : static_cast<int64_t>(message.server_time()) * 1000;
  r.client_time_ms = r.server_time_ms;
  r.status = tim::v1::MSG_LOCAL_IMPORTED;
  return r;
}

void MessageImport::Import(const tim::v1::ImportMessagesRequest& request, Done<tim::v1::ImportMessagesResponse> done) {
  if (Status refusal = StoreWriteRefusal(login_); !refusal.ok()) return done(refusal);
  if (request.conv_type() != tim::v1::CONV_C2C) {
    return done(Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported"));
  }
  auto peer = login_.ids().ToJid(request.conv_id());
  if (!peer.ok()) return done(peer.status());
  if (request.messages().empty() || request.messages_size() > kMaxMessages) {
    return done(InvalidArgument("messages must hold 1 to 100 messages"));
  }
  try {
    // Every message is checked before any is stored: all or nothing.
    std::vector<store::MessageRecord> records;
    std::set<std::string> ids;
    for (const auto& message : request.messages()) {
      auto record = RecordOf(message, peer.value());
      if (!record.ok()) return done(record.status());
      if (!ids.insert(record.value().msg_id).second || store_.FindByMsgId(record.value().msg_id)) {
        return done(Status(Code::kAlreadyExists, tim_err::kInvalidParameters,
                           "message " + record.value().msg_id + " is already stored"));
      }
      records.push_back(std::move(record).value());
    }
    tim::v1::ImportMessagesResponse response;
    bool created = false;
    store::ConversationRecord conv;
    for (auto& record : records) {
      store_.Insert(record);
      auto [touched, was_created] = store_.TouchConversation(record, false);
      conv = touched;
      created = created || was_created;
      *response.add_messages() = ToApiMessage(record, login_.ids());
    }
    PublishConversation(conv, created);
    bus_.RequestFlush();
    bus_.AfterPromptCommit([done = std::move(done), response = std::move(response)](bool committed) mutable {
      if (committed) return done(std::move(response));
      done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the messages could not be stored"));
    });
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not import messages: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

void MessageImport::PublishConversation(const store::ConversationRecord& conv, bool created) {
  auto last = store_.FindByRowid(conv.last_msg_rowid);
  tim::v1::Event event;
  event.mutable_conv_event()->set_type(created ? tim::v1::CONV_EVENT_ADD : tim::v1::CONV_EVENT_UPDATE);
  *event.mutable_conv_event()->add_conversations() = ToApiConversation(conv, last ? &*last : nullptr, login_.ids());
  bus_.Publish(std::move(event));
}

}  // namespace timd::domain
