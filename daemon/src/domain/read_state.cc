#include "domain/read_state.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "common/clock.h"
#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

constexpr int kC2C = tim::v1::CONV_C2C;
constexpr size_t kMaxReceiptIds = 100;

Status NotFound(const std::string& msg_id) {
  return Status(Code::kNotFound, tim_err::kInvalidParameters, "no message " + msg_id + " in this conversation");
}

Status GroupsUnsupported() {
  return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported");
}

bool NeedsReceipt(const store::ReadMessage& m) {
  store::MessageRecord record;
  record.body = m.body;
  record.elems = m.elems;
  return StoredContent(record).need_read_receipt();
}

}  // namespace

ReadState::ReadState(store::MessageStore& store, events::EventBus& bus, const LoginState& login)
    : store_(store), reads_(store.database()), bus_(bus), login_(login) {}

Status ReadState::CheckCallable() const { return StoreWriteRefusal(login_); }

template <typename Response>
void ReadState::AnswerAfterCommit(Done<Response> done) {
  bus_.RequestFlush();
  bus_.AfterPromptCommit([done = std::move(done)](bool committed) {
    if (committed) return done(Response());
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the read state could not be stored"));
  });
}

void ReadState::ReportRead(const tim::v1::ReportReadRequest& request, Done<tim::v1::ReportReadResponse> done) {
  if (Status ok = CheckCallable(); !ok.ok()) return done(ok);
  if (request.conv_type() != tim::v1::CONV_C2C) return done(GroupsUnsupported());
  try {
    std::vector<Target> targets;
    if (request.conv_id().empty()) {
      targets = AllConversations();  // TIM 5.8+: every conversation of the type
    } else {
      auto peer = login_.ids().ToJid(request.conv_id());
      if (!peer.ok()) return done(peer.status());
      Target target{peer.value(), kNewest};
      if (!request.msg_id().empty()) {
        auto message = store_.FindByMsgId(request.msg_id());
        if (!message || message->conv_id != target.conv_id || message->conv_type != kC2C) {
          return done(NotFound(request.msg_id()));
        }
        target.up_to_seq = message->conv_seq;
      }
      targets.push_back(std::move(target));
    }
    MoveReadPointers(targets, true);
    AnswerAfterCommit(std::move(done));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a read report: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

void ReadState::SendReceipts(const tim::v1::SendMessageReadReceiptsRequest& request,
                             Done<tim::v1::SendMessageReadReceiptsResponse> done) {
  if (Status ok = CheckCallable(); !ok.ok()) return done(ok);
  if (request.msg_ids().empty() || static_cast<size_t>(request.msg_ids_size()) > kMaxReceiptIds) {
    return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "give 1 to 100 message ids"));
  }
  try {
    Target target;
    for (const auto& msg_id : request.msg_ids()) {
      auto message = store_.FindByMsgId(msg_id);
      if (!message) return done(NotFound(msg_id));
      if (message->conv_type != kC2C) return done(GroupsUnsupported());
      if (!target.conv_id.empty() && target.conv_id != message->conv_id) {
        return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                           "the messages belong to more than one conversation"));
      }
      target.conv_id = message->conv_id;
      target.up_to_seq = std::max(target.up_to_seq, message->conv_seq);
    }
    MoveReadPointers({target}, true);
    AnswerAfterCommit(std::move(done));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store read receipts: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

Result<tim::v1::GetMessageReadReceiptsResponse> ReadState::GetReceipts(
    const tim::v1::GetMessageReadReceiptsRequest& request) {
  if (Status ok = CheckCallable(); !ok.ok()) return ok;
  if (static_cast<size_t>(request.msg_ids_size()) > kMaxReceiptIds) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "at most 100 message ids");
  }
  try {
    tim::v1::GetMessageReadReceiptsResponse response;
    for (const auto& msg_id : request.msg_ids()) {
      auto message = store_.FindByMsgId(msg_id);
      if (!message) return NotFound(msg_id);
      if (message->conv_type != kC2C) return GroupsUnsupported();
      auto& receipt = *response.add_receipts();
      receipt.set_conv_id(login_.ids().ToUserId(message->conv_id));
      receipt.set_conv_type(tim::v1::CONV_C2C);
      receipt.set_msg_id(message->msg_id);
      receipt.set_is_peer_read(message->is_peer_read);
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

void ReadState::CleanUnread(const tim::v1::CleanUnreadRequest& request, Done<tim::v1::CleanUnreadResponse> done) {
  if (Status ok = CheckCallable(); !ok.ok()) return done(ok);
  const std::string& id = request.conversation_id();
  if (id.starts_with("group")) return done(GroupsUnsupported());
  try {
    std::vector<Target> targets;
    if (id.empty() || id == "c2c") {
      targets = AllConversations();
    } else if (id.starts_with("c2c_")) {
      auto peer = login_.ids().ToJid(std::string_view(id).substr(4));
      if (!peer.ok()) return done(peer.status());
      Target target{peer.value(), kNewest};
      if (request.clean_timestamp() != 0) {
        const auto until_ms = static_cast<int64_t>(request.clean_timestamp()) * 1000 + 999;
        target.up_to_seq = reads_.SeqAtOrBefore(target.conv_id, kC2C, until_ms);
      } else if (request.clean_sequence() != 0) {
        target.up_to_seq = static_cast<int64_t>(std::min<uint64_t>(request.clean_sequence(), kNewest));
      }
      targets.push_back(std::move(target));
    } else {
      return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                         "conversation_id is \"c2c_<user>\", \"c2c\" or \"\""));
    }
    MoveReadPointers(targets, true);
    AnswerAfterCommit(std::move(done));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a read report: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

Result<tim::v1::GetTotalUnreadResponse> ReadState::TotalUnread() {
  if (!login_.logged_in()) return Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in");
  try {
    tim::v1::GetTotalUnreadResponse response;
    response.set_unread_count(store_.TotalUnread());
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

void ReadState::MarkAllRead(Done<tim::v1::MarkAllMessageAsReadResponse> done) {
  if (Status ok = CheckCallable(); !ok.ok()) return done(ok);
  try {
    MoveReadPointers(AllConversations(), true);
    AnswerAfterCommit(std::move(done));
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not mark every conversation read: ") + e.what());
    done(StoreFailureStatus(e));
  }
}

std::vector<ReadState::Target> ReadState::AllConversations() {
  std::vector<Target> targets;
  for (const auto& conv : store_.ListConversations()) {
    if (conv.conv_type == kC2C && conv.unread > 0) targets.push_back({conv.conv_id, kNewest});
  }
  return targets;
}

void ReadState::MoveReadPointers(const std::vector<Target>& targets, bool tell_others) {
  std::vector<store::ConversationRecord> moved;
  std::map<std::string, std::string> markers;  // peer bare JID -> marked id attribute
  std::vector<xmpp::DisplayedPosition> positions;
  for (const Target& target : targets) {
    const int64_t newly_read = reads_.MarkRead(target.conv_id, kC2C, target.up_to_seq);
    if (newly_read == 0) continue;  // pointers only move forward
    auto conv = store_.FindConversation(target.conv_id, kC2C);
    if (!conv) continue;
    moved.push_back(store_.SetUnread(target.conv_id, kC2C, std::max<int64_t>(conv->unread - newly_read, 0)));
    if (!tell_others) continue;
    // XEP-0333 advises against unrequested markers in one-to-one chats.
    auto markable = reads_.NewestMarkable(target.conv_id, kC2C, target.up_to_seq);
    if (markable && !markable->raw_id.empty()) markers[target.conv_id] = markable->raw_id;
    std::string stanza_id = reads_.NewestReceivedStanzaId(target.conv_id, kC2C, target.up_to_seq);
    if (!stanza_id.empty()) positions.push_back({target.conv_id, std::move(stanza_id)});
  }
  PublishConvUpdate(moved);
  if (markers.empty() && positions.empty()) return;
  bus_.AfterCommit([this, markers = std::move(markers), positions = std::move(positions)](bool committed) {
    if (!committed) return;
    if (!markers_ || !displayed_sync_) {
      spdlog::info("read state: offline, {} displayed marker(s) and {} read position(s) not sent", markers.size(),
                   positions.size());
      return;
    }
    for (const auto& [peer, raw_id] : markers) markers_->Send(peer, xmpp::MarkerKind::kDisplayed, raw_id);
    for (const auto& position : positions) displayed_sync_->Publish(position);
  });
}

void ReadState::OnMarker(const xmpp::ChatMarker& marker) {
  if (marker.kind != xmpp::MarkerKind::kDisplayed) return;  // received/acknowledged: no TIM event
  try {
    if (!marker.origin.is_own) return OnPeerMarker(marker.origin.from_bare, marker.marked_id);
    // Our other device read the peer's messages up to the marked one.
    auto to = xmpp::Jid::Parse(marker.origin.to);
    if (!to || to->local.empty()) return;
    auto marked = reads_.FindReferenced(to->Bare(), kC2C, marker.marked_id);
    if (!marked || marked->is_from_self) {
      spdlog::debug("read state: own marker for an unknown message in {} ignored", to->Bare());
      return;
    }
    MoveReadPointers({{to->Bare(), marked->conv_seq}}, false);
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a chat marker: ") + e.what());
  }
}

void ReadState::OnDisplayedPositions(const std::vector<xmpp::DisplayedPosition>& positions) {
  try {
    std::vector<Target> targets;
    for (const auto& position : positions) {
      auto displayed = reads_.FindByOwnStanzaId(position.chat_jid, kC2C, position.stanza_id);
      if (!displayed) {
        spdlog::debug("read state: a read position for a message not stored here ignored");
        continue;
      }
      targets.push_back({position.chat_jid, displayed->conv_seq});
    }
    // Our other device read these: its markers, if any, went out from there.
    MoveReadPointers(targets, false);
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store a read position: ") + e.what());
  }
}

void ReadState::OnPeerMarker(const std::string& conv_id, const std::string& marked_id) {
  // Only the conversation's peer can mark our messages in it: a marker
  // naming a message we sent someone else is spoofed and finds nothing.
  auto marked = reads_.FindReferenced(conv_id, kC2C, marked_id);
  if (!marked || !marked->is_from_self) {
    spdlog::info("read state: marker from {} for no own message of that conversation ignored", conv_id);
    return;
  }
  auto newly = reads_.MarkPeerRead(conv_id, kC2C, marked->conv_seq);
  if (newly.empty()) return;  // an old marker: markers only move forward
  const std::string user_id = login_.ids().ToUserId(conv_id);
  tim::v1::Event event;
  auto* receipts = event.mutable_msg_read_receipts();
  auto* conv_item = receipts->add_receipts();
  conv_item->set_conv_id(user_id);
  conv_item->set_conv_type(tim::v1::CONV_C2C);
  // The marked message's time, not the marker's: messages still in flight
  // when the peer marked must stay unread.
  conv_item->set_time_stamp(static_cast<uint64_t>(marked->server_time_ms / 1000));
  conv_item->set_is_peer_read(true);
  const auto now_s = static_cast<uint64_t>(NowMs() / 1000);
  for (const auto& message : newly) {
    if (!NeedsReceipt(message)) continue;
    auto* item = receipts->add_receipts();
    item->set_conv_id(user_id);
    item->set_conv_type(tim::v1::CONV_C2C);
    item->set_msg_id(message.msg_id);
    item->set_time_stamp(now_s);
    item->set_is_peer_read(true);
  }
  bus_.Publish(std::move(event));
}

void ReadState::PublishConvUpdate(const std::vector<store::ConversationRecord>& convs) {
  if (convs.empty()) return;
  tim::v1::Event event;
  event.mutable_conv_event()->set_type(tim::v1::CONV_EVENT_UPDATE);
  for (const auto& conv : convs) {
    std::optional<store::MessageRecord> last;
    if (conv.last_msg_rowid != 0) last = store_.FindByRowid(conv.last_msg_rowid);
    *event.mutable_conv_event()->add_conversations() = ToApiConversation(conv, last ? &*last : nullptr, login_.ids());
  }
  bus_.Publish(std::move(event));
}

}  // namespace timd::domain
