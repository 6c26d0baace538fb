#include "domain/conversation_edits.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/clock.h"
#include "domain/conversation_lookup.h"
#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

constexpr int kMaxConversationIds = 100;  // TIM's limit for the list calls
constexpr size_t kMaxCustomDataBytes = 256;

Status InvalidArgument(std::string why) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, std::move(why));
}

}  // namespace

template <typename Response>
void ConversationEdits::AnswerAfterCommit(Done<Response> done, Response response) {
  bus_.RequestFlush();
  bus_.AfterPromptCommit([done = std::move(done), response = std::move(response)](bool committed) {
    if (committed) return done(response);
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the conversation change could not be stored"));
  });
}

template <typename Response>
void ConversationEdits::OnNamed(const std::string& conv_id, tim::v1::ConvType conv_type, Done<Response> done,
                                const std::function<void(const store::ConversationRecord&)>& apply) {
  if (Status ok = StoreWriteRefusal(login_); !ok.ok()) return done(ok);
  try {
    auto conv = FindNamedConversation(store_, login_.ids(), conv_id, conv_type);
    if (!conv.ok()) return done(conv.status());
    apply(conv.value());
    AnswerAfterCommit(std::move(done), Response());
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a conversation change: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

template <typename Response>
void ConversationEdits::OnEachId(const google::protobuf::RepeatedPtrField<std::string>& conversation_ids,
                                 Done<Response> done,
                                 const std::function<void(const store::ConversationRecord&)>& apply) {
  if (Status ok = StoreWriteRefusal(login_); !ok.ok()) return done(ok);
  if (conversation_ids.empty() || conversation_ids.size() > kMaxConversationIds) {
    return done(InvalidArgument("give 1 to 100 conversation IDs"));
  }
  Response response;
  try {
    for (const auto& id : conversation_ids) {
      auto& result = *response.add_results();
      result.set_conversation_id(id);
      auto conv = FindConversationById(store_, login_.ids(), id);
      if (conv.ok()) {
        apply(conv.value());
      } else {
        result.set_result_code(conv.status().tim_code());
        result.set_result_info(conv.status().message());
      }
    }
    AnswerAfterCommit(std::move(done), std::move(response));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a conversation change: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

void ConversationEdits::DeleteStored(const store::ConversationRecord& conv, bool clear_messages) {
  // Up to now, or the conversation's newest message if a skewed server
  // clock put it later: everything the app saw before deleting stays gone.
  const int64_t up_to_ms = std::max(NowMs(), conv.active_time_ms);
  store_.DeleteConversation(conv.conv_id, conv.conv_type, clear_messages, up_to_ms);
  archived_edits_.Forget(conv.conv_id, conv.conv_type);  // their messages are never fetched now
  const auto api = ToApiConversation(conv, nullptr, login_.ids());
  events_.Deleted(api.conv_id(), api.conv_type());
}

void ConversationEdits::ChangeStored(const store::ConversationRecord& conv, const AttributeChange& change) {
  store::ConversationAttributes attrs = conv.attrs;
  change(attrs);
  if (attrs == conv.attrs) return;  // nothing changed: no write, no event
  const auto updated = store_.SetAttributes(conv.conv_id, conv.conv_type, attrs);
  std::optional<store::MessageRecord> last;
  if (updated.last_msg_rowid != 0) last = store_.FindByRowid(updated.last_msg_rowid);
  events_.Updated(ToApiConversation(updated, last ? &*last : nullptr, login_.ids()));
}

void ConversationEdits::Delete(const tim::v1::DeleteConversationRequest& request,
                               Done<tim::v1::DeleteConversationResponse> done) {
  OnNamed(request.conv_id(), request.conv_type(), std::move(done),
          [this](const store::ConversationRecord& conv) { DeleteStored(conv, true); });
}

void ConversationEdits::DeleteList(const tim::v1::DeleteConversationListRequest& request,
                                   Done<tim::v1::DeleteConversationListResponse> done) {
  OnEachId(request.conversation_ids(), std::move(done),
           [&](const store::ConversationRecord& conv) { DeleteStored(conv, request.clear_messages()); });
}

void ConversationEdits::SetDraft(const tim::v1::SetDraftRequest& request, Done<tim::v1::SetDraftResponse> done) {
  std::string draft;
  if (request.has_draft()) {
    tim::v1::Draft copy = request.draft();
    if (copy.edit_time() == 0) copy.set_edit_time(static_cast<uint64_t>(NowMs() / 1000));
    draft = copy.SerializeAsString();
  }
  OnNamed(request.conv_id(), request.conv_type(), std::move(done), [&](const store::ConversationRecord& conv) {
    ChangeStored(conv, [&](store::ConversationAttributes& attrs) { attrs.draft = draft; });
  });
}

void ConversationEdits::Pin(const tim::v1::PinConversationRequest& request,
                            Done<tim::v1::PinConversationResponse> done) {
  OnNamed(request.conv_id(), request.conv_type(), std::move(done), [&](const store::ConversationRecord& conv) {
    ChangeStored(conv, [&](store::ConversationAttributes& attrs) { attrs.is_pinned = request.is_pinned(); });
  });
}

void ConversationEdits::Mark(const tim::v1::MarkConversationRequest& request,
                             Done<tim::v1::MarkConversationResponse> done) {
  if (request.mark_type() == 0) return done(InvalidArgument("mark_type names no mark"));
  OnEachId(request.conversation_ids(), std::move(done), [&](const store::ConversationRecord& conv) {
    ChangeStored(conv, [&](store::ConversationAttributes& attrs) {
      attrs.marks = request.enable_mark() ? attrs.marks | request.mark_type() : attrs.marks & ~request.mark_type();
    });
  });
}

void ConversationEdits::SetCustomData(const tim::v1::SetConversationCustomDataRequest& request,
                                      Done<tim::v1::SetConversationCustomDataResponse> done) {
  if (request.custom_data().size() > kMaxCustomDataBytes) {
    return done(InvalidArgument("custom data is longer than 256 bytes"));
  }
  OnEachId(request.conversation_ids(), std::move(done), [&](const store::ConversationRecord& conv) {
    ChangeStored(conv, [&](store::ConversationAttributes& attrs) { attrs.custom_data = request.custom_data(); });
  });
}

}  // namespace timd::domain
