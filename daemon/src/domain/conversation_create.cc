#include "domain/conversation_create.h"

#include <optional>
#include <string>
#include <utility>

#include "common/clock.h"
#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {

void ConversationCreate::Create(const tim::v1::CreateConversationRequest& request,
                                Done<tim::v1::CreateConversationResponse> done) {
  if (Status ok = StoreWriteRefusal(login_); !ok.ok()) return done(ok);
  // The checks of every other conversation call (conversation_lookup.cc).
  if (request.conv_type() == tim::v1::CONV_GROUP) {
    return done(Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported"));
  }
  if (request.conv_type() != tim::v1::CONV_C2C) {
    return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "conv_type is C2C (1) or group (2)"));
  }
  auto peer = login_.ids().ToJid(request.conv_id());
  if (!peer.ok()) return done(peer.status());
  try {
    auto [conv, created] = store_.CreateConversation(peer.value(), tim::v1::CONV_C2C, NowMs());
    std::optional<store::MessageRecord> last;
    if (conv.last_msg_rowid != 0) last = store_.FindByRowid(conv.last_msg_rowid);
    tim::v1::CreateConversationResponse response;
    *response.mutable_conversation() = ToApiConversation(conv, last ? &*last : nullptr, login_.ids());
    if (created) {
      tim::v1::Event added;
      added.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_ADD);
      *added.mutable_conv_event()->add_conversations() = response.conversation();
      bus_.Publish(std::move(added));  // journaled in this batch: rolled back with the row
    }
    bus_.RequestFlush();
    bus_.AfterPromptCommit([done = std::move(done), response = std::move(response)](bool committed) {
      if (committed) return done(response);
      done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the new conversation could not be stored"));
    });
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a new conversation: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

}  // namespace timd::domain
