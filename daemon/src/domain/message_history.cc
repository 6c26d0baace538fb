#include "domain/message_history.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

#include "common/clock.h"
#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

constexpr int kMaxLookups = 100;
constexpr int kMaxDeletes = 50;  // TIMMsgListDelete's limit

Status InvalidArgument(const std::string& why) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, why);
}

Status NotFound(const std::string& msg_id) {
  return Status(Code::kNotFound, tim_err::kDatabaseNotFound, "no message " + msg_id + " in the local store");
}

int64_t Ms(uint64_t seconds) {
  return static_cast<int64_t>(std::min<uint64_t>(seconds, INT64_MAX / 1000 - 1)) * 1000;
}

// TIM's time_begin/time_period as a range of message times in ms (see
// GetMessagesRequest in messages.proto).
std::pair<int64_t, int64_t> TimeRange(const tim::v1::GetMessagesRequest& request) {
  const int64_t period = Ms(request.time_period());
  if (request.is_forward()) {
    const int64_t from = Ms(request.time_begin());
    return {from, period == 0 ? INT64_MAX : from + std::min(period, INT64_MAX - from)};
  }
  const int64_t to = request.time_begin() == 0 ? INT64_MAX : Ms(request.time_begin()) + 999;
  if (period == 0 || to == INT64_MAX) return {0, to};
  return {std::max<int64_t>(0, to - 999 - period), to};
}

}  // namespace

MessageHistory::MessageHistory(store::MessageStore& store, events::EventBus& bus, const LoginState& login)
    : store_(store), history_(store), archived_edits_(store.database()), bus_(bus), login_(login) {}

Result<std::string> MessageHistory::C2CPeer(const std::string& conv_id, tim::v1::ConvType conv_type) const {
  if (conv_type != tim::v1::CONV_C2C) {
    return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported");
  }
  return login_.ids().ToJid(conv_id);
}

template <typename Response>
void MessageHistory::AnswerAfterCommit(Done<Response> done, Response response) {
  bus_.RequestFlush();
  bus_.AfterPromptCommit([done = std::move(done), response = std::move(response)](bool committed) mutable {
    if (committed) return done(std::move(response));
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the change could not be stored"));
  });
}

Result<tim::v1::GetMessagesResponse> MessageHistory::GetMessages(const tim::v1::GetMessagesRequest& request) {
  auto peer = C2CPeer(request.conv_id(), request.conv_type());
  if (!peer.ok()) return peer.status();
  const int limit = request.count() == 0 ? 20 : static_cast<int>(std::min<uint32_t>(request.count(), 500));
  auto types = ElemTypeMask(request.message_types());
  if (!types.ok()) return types.status();
  store::HistoryPage page;
  page.elem_type_mask = types.value();
  page.conv_id = peer.value();
  page.conv_type = tim::v1::CONV_C2C;
  page.forward = request.is_forward();
  page.anchor_seq = static_cast<int64_t>(
      std::min<uint64_t>(request.is_forward() ? request.after_seq() : request.before_seq(), INT64_MAX));
  std::tie(page.from_ms, page.to_ms) = TimeRange(request);
  page.limit = limit + 1;  // one extra row tells whether more remain
  try {
    auto rows = history_.Page(page);
    tim::v1::GetMessagesResponse response;
    const bool more = rows.size() > static_cast<size_t>(limit);
    if (more) rows.pop_back();
    for (const auto& row : rows) *response.add_messages() = ToApiMessage(row, login_.ids());
    response.set_is_finished(!more);
    if (!rows.empty()) {
      const auto next = static_cast<uint64_t>(rows.back().conv_seq);
      request.is_forward() ? response.set_next_after_seq(next) : response.set_next_before_seq(next);
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

Result<tim::v1::FindMessagesResponse> MessageHistory::FindMessages(const tim::v1::FindMessagesRequest& request) {
  if (request.msg_ids().empty() || request.msg_ids_size() > kMaxLookups) {
    return InvalidArgument("msg_ids must hold 1 to 100 message IDs");
  }
  try {
    tim::v1::FindMessagesResponse response;
    for (const auto& msg_id : request.msg_ids()) {
      auto record = store_.FindByMsgId(msg_id);
      if (record && record->status != store::kDeletedStatus) {
        *response.add_messages() = ToApiMessage(*record, login_.ids());
      }
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

std::optional<store::MessageRecord> MessageHistory::Locate(const std::string& conv_id,
                                                           const tim::v1::MessageLocator& locator) {
  auto agrees = [&](const store::MessageRecord& record) {
    const tim::v1::Message m = ToApiMessage(record, login_.ids());
    return (locator.rand() == 0 || locator.rand() == m.rand()) &&
           (locator.unique_id() == 0 || locator.unique_id() == m.unique_id());
  };
  if (locator.seq() != 0) {
    auto record = history_.FindBySeq(conv_id, tim::v1::CONV_C2C, static_cast<int64_t>(locator.seq()));
    if (record && agrees(*record)) return record;
    return std::nullopt;
  }
  if (locator.rand() == 0 && locator.unique_id() == 0) return std::nullopt;  // a time alone names no message
  const int64_t time_ms = Ms(locator.time());
  for (auto& record : history_.InTimeRange(conv_id, tim::v1::CONV_C2C, time_ms - 1000, time_ms + 1999)) {
    if (agrees(record)) return std::move(record);
  }
  return std::nullopt;
}

Result<tim::v1::FindMessagesByLocatorResponse> MessageHistory::FindByLocator(
    const tim::v1::FindMessagesByLocatorRequest& request) {
  auto peer = C2CPeer(request.conv_id(), request.conv_type());
  if (!peer.ok()) return peer.status();
  if (request.locators().empty() || request.locators_size() > kMaxLookups) {
    return InvalidArgument("locators must hold 1 to 100 message locators");
  }
  try {
    tim::v1::FindMessagesByLocatorResponse response;
    for (const auto& locator : request.locators()) {
      if (auto record = Locate(peer.value(), locator)) *response.add_messages() = ToApiMessage(*record, login_.ids());
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

void MessageHistory::DeleteMessages(const tim::v1::DeleteMessagesRequest& request,
                                    Done<tim::v1::DeleteMessagesResponse> done) {
  if (Status refusal = StoreWriteRefusal(login_); !refusal.ok()) return done(refusal);
  auto peer = C2CPeer(request.conv_id(), request.conv_type());
  if (!peer.ok()) return done(peer.status());
  if (request.msg_ids().empty() || request.msg_ids_size() > kMaxDeletes) {
    return done(InvalidArgument("msg_ids must hold 1 to 50 message IDs"));
  }
  try {
    // Every id is checked before anything changes: all or nothing.
    std::vector<store::MessageRecord> targets;
    for (const auto& msg_id : request.msg_ids()) {
      auto record = store_.FindByMsgId(msg_id);
      if (!record || record->conv_type != tim::v1::CONV_C2C || record->conv_id != peer.value()) {
        return done(NotFound(msg_id));
      }
      if (record->status == tim::v1::MSG_SENDING) {
        return done(Status(Code::kFailedPrecondition, tim_err::kInvalidOperation,
                           "message " + msg_id + " is still being sent"));
      }
      targets.push_back(std::move(*record));
    }
    for (const auto& record : targets) {
      if (record.status != store::kDeletedStatus) history_.MarkDeleted(record.rowid);
    }
    RefreshConversation(peer.value(), tim::v1::CONV_C2C);
    AnswerAfterCommit(std::move(done), tim::v1::DeleteMessagesResponse());
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not delete messages: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

void MessageHistory::ClearHistory(const tim::v1::ClearHistoryRequest& request,
                                  Done<tim::v1::ClearHistoryResponse> done) {
  if (Status refusal = StoreWriteRefusal(login_); !refusal.ok()) return done(refusal);
  auto peer = C2CPeer(request.conv_id(), request.conv_type());
  if (!peer.ok()) return done(peer.status());
  try {
    history_.Clear(peer.value(), tim::v1::CONV_C2C, NowMs());
    archived_edits_.Forget(peer.value(), tim::v1::CONV_C2C);  // their messages are never fetched now
    RefreshConversation(peer.value(), tim::v1::CONV_C2C);
    AnswerAfterCommit(std::move(done), tim::v1::ClearHistoryResponse());
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not clear a conversation's history: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

void MessageHistory::SetLocalCustomData(const tim::v1::SetLocalCustomDataRequest& request,
                                        Done<tim::v1::SetLocalCustomDataResponse> done) {
  if (Status refusal = StoreWriteRefusal(login_); !refusal.ok()) return done(refusal);
  if (request.msg_id().empty()) return done(InvalidArgument("no msg_id"));
  try {
    auto record = store_.FindByMsgId(request.msg_id());
    if (!record || record->status == store::kDeletedStatus) return done(NotFound(request.msg_id()));
    history_.SetLocalCustomData(record->rowid, request.custom_int(), request.custom_str());
    record->custom_int = request.custom_int();
    record->custom_str = request.custom_str();
    tim::v1::SetLocalCustomDataResponse response;
    *response.mutable_message() = ToApiMessage(*record, login_.ids());
    AnswerAfterCommit(std::move(done), std::move(response));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store local custom data: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

bool MessageHistory::ClearedAfter(const std::string& conv_id, int conv_type, int64_t time_ms) {
  const int64_t cleared_ms = history_.ClearedAtMs(conv_id, conv_type);
  return cleared_ms != 0 && store::PredatesWatermark(time_ms, cleared_ms);
}

void MessageHistory::RefreshConversation(const std::string& conv_id, int conv_type) {
  auto before = store_.FindConversation(conv_id, conv_type);
  if (!before) return;  // no conversation, nothing to announce
  auto last = history_.Newest(conv_id, conv_type);
  const int64_t unread = history_.CountUnread(conv_id, conv_type);
  const int64_t last_rowid = last ? last->rowid : 0;
  if (last_rowid == before->last_msg_rowid && unread == before->unread) return;
  store_.ReplaceLastMessage(conv_id, conv_type, last ? &*last : nullptr);
  const store::ConversationRecord after = store_.SetUnread(conv_id, conv_type, unread);
  tim::v1::Event event;
  event.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_UPDATE);
  *event.mutable_conv_event()->add_conversations() = ToApiConversation(after, last ? &*last : nullptr, login_.ids());
  bus_.Publish(std::move(event));
}

}  // namespace timd::domain
