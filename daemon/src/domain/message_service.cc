#include "domain/message_service.h"

#include <utility>

#include "domain/batch_send.h"
#include "domain/file_elems.h"
#include "domain/message_codec.h"
#include "xmpp/chat_markers.h"
#include "xmpp/displayed_sync.h"
#include "xmpp/receipts.h"

namespace timd::domain {

struct MessageService::Modules final : StreamModules {
  // First: the modules below hold a pointer to it. Offered by chat, carbons
  // and MAM before their chat parse; a module that claims a message keeps
  // it from becoming a chat message.
  xmpp::MessagePayloadHandlers payloads;
  std::unique_ptr<xmpp::DeliveryReceipts> receipts;
  std::unique_ptr<xmpp::ChatMarkers> markers;
  std::unique_ptr<xmpp::DisplayedSync> displayed_sync;
  std::unique_ptr<xmpp::MessageRetraction> retraction;
  std::unique_ptr<xmpp::MessageCorrection> correction;
  std::unique_ptr<xmpp::ChatManager> chat;
  std::unique_ptr<xmpp::MamManager> mam;
  std::unique_ptr<xmpp::CarbonsManager> carbons;
  std::unique_ptr<xmpp::HttpUpload> http_upload;
};

MessageService::MessageService(uv_loop_t* loop, store::MessageStore& store, store::Settings& settings,
                               events::EventBus& bus, const LoginState& login, Options options)
    : login_(login),
      elem_types_(store.database(), [](std::string_view elems) { return ElemTypeBits(elems); }),
      messaging_(loop, store, bus, login.ids(), options.messaging),
      transfers_(loop, options.transfers),
      uploads_(transfers_, bus, login.ids(),
               [this](int64_t rowid, Result<tim::v1::Message> uploaded) {
                 messaging_.OnUploaded(rowid, std::move(uploaded), StreamReady() ? stream_->chat.get() : nullptr);
               },
               [this](int64_t rowid, const tim::v1::Message& content) { messaging_.OnPartlyUploaded(rowid, content); }),
      downloads_(transfers_, bus),
      read_state_(store, bus, login),
      deliveries_(store, bus, login.ids()),
      history_(store, bus, login),
      search_(store, login),
      import_(store, bus, login, options.messaging.max_body_bytes),
      changes_(store, bus, login.ids()),
      acks_(loop, options.messaging.send_ack_timeout_ms),
      revoke_(store, bus, login.ids(), changes_, acks_, options.revoke_time_limit_ms),
      modify_(store, bus, login.ids(), changes_, acks_, options.messaging.max_body_bytes),
      archive_(store, settings, bus, login, options.mam_page_size,
               [this](const xmpp::IncomingChat& chat) { Store(chat); }),
      older_history_(store, bus, login) {
  messaging_.set_cleared_check([this](const store::MessageRecord& r) {
    return history_.ClearedAfter(r.conv_id, r.conv_type, r.server_time_ms);
  });
  messaging_.set_uploads(&uploads_);
}

MessageService::~MessageService() {
  const Status stopping(Code::kUnavailable, tim_err::kNetDisconnect, "daemon shutting down");
  acks_.FailAll(stopping);  // while revoke_ and modify_, whose waiters these are, still live
  messaging_.FailPending(stopping);
}

void MessageService::OnLogin(const std::string& own_jid) {
  messaging_.set_own_jid(own_jid);
  revoke_.set_own_jid(own_jid);
  modify_.set_own_jid(own_jid);
  import_.set_own_jid(own_jid);
  archive_.set_own_jid(own_jid);
  older_history_.set_own_jid(own_jid);
}

std::unique_ptr<StreamModules> MessageService::OnStreamCreated(xmpp::Client& client,
                                                               xmpp::FeatureRegistry& features) {
  auto modules = std::make_unique<Modules>();
  // XEP-0184 first: it answers a request even on a message another module claims.
  modules->receipts = std::make_unique<xmpp::DeliveryReceipts>(
      client, [this](const xmpp::DeliveryReceipt& receipt) { deliveries_.OnReceipt(receipt); },
      /*answer_requests=*/true);
  modules->markers = std::make_unique<xmpp::ChatMarkers>(
      client, [this](const xmpp::ChatMarker& marker) { read_state_.OnMarker(marker); });
  modules->displayed_sync = std::make_unique<xmpp::DisplayedSync>(
      client, [this](const std::vector<xmpp::DisplayedPosition>& positions) {
        read_state_.OnDisplayedPositions(positions);
      });
  modules->retraction = std::make_unique<xmpp::MessageRetraction>(
      client, [this](const xmpp::Retraction& retraction) { revoke_.OnRetraction(retraction); });
  modules->correction = std::make_unique<xmpp::MessageCorrection>(
      client, [this](const xmpp::Correction& correction) { modify_.OnCorrection(correction); });
  for (xmpp::MessagePayloadHandler* handler : std::initializer_list<xmpp::MessagePayloadHandler*>{
           modules->receipts.get(), modules->markers.get(), modules->retraction.get(), modules->correction.get()}) {
    modules->payloads.Add(*handler);
  }
  modules->chat = std::make_unique<xmpp::ChatManager>(
      client, [this](const xmpp::IncomingChat& chat) { OnChat(chat); },
      [this](const xmpp::BouncedChat& bounce) { messaging_.OnBounced(bounce); });
  modules->mam = std::make_unique<xmpp::MamManager>(client);
  modules->carbons = std::make_unique<xmpp::CarbonsManager>(
      client, [this](const xmpp::IncomingChat& chat, xmpp::CarbonDirection) { Store(chat); });
  modules->http_upload = std::make_unique<xmpp::HttpUpload>(client);
  modules->chat->SetPayloadHandlers(&modules->payloads);
  modules->carbons->SetPayloadHandlers(&modules->payloads);
  modules->mam->SetPayloadHandlers(&modules->payloads);
  for (xmpp::StanzaHandler* module : std::initializer_list<xmpp::StanzaHandler*>{
           modules->displayed_sync.get(), modules->mam.get(), modules->carbons.get(), modules->chat.get(),
           modules->receipts.get(), modules->markers.get(), modules->retraction.get(), modules->correction.get()}) {
    features.Register(client, *module);
  }
  read_state_.set_stream_modules(modules->markers.get(), modules->displayed_sync.get());
  stream_ = modules.get();
  archive_.set_mam(modules->mam.get());
  older_history_.set_mam(modules->mam.get());
  return modules;
}

void MessageService::OnBound() {
  messaging_.RequeueUnacked();  // before the new session's first ack
  acks_.FailAll(Status(Code::kUnavailable, tim_err::kNetDisconnect,
                       "the connection was lost before the server acknowledged the change; call again"));
  if (stream_) stream_->carbons->Enable();
}

void MessageService::OnAcked(uint64_t handled) {
  messaging_.OnAcked(handled);
  acks_.OnAcked(handled);
}

void MessageService::CatchUpBeforePresence(CatchUpStep step) {
  archive_.BeginCatchUp();
  pulled_first_pass_ = false;
  if (!archive_.HasCursor()) {
    // Never synced: offline storage delivers what arrived meanwhile.
    return step.done("first login: no archive catch-up");
  }
  archive_.Pull(step.progress, [this, done = step.done](bool pulled, const std::string& outcome) {
    pulled_first_pass_ = pulled;
    first_pass_outcome_ = outcome;
    done("");
  });
}

void MessageService::CatchUpAfterPresence(CatchUpStep step) {
  // What arrived after the last page but before the presence went to
  // offline storage, which Prosody does not push to a session that queried
  // the archive: a second, usually empty, pass fetches it.
  if (!pulled_first_pass_) return step.done(first_pass_outcome_);
  archive_.Pull(step.progress, [done = step.done](bool, const std::string& outcome) { done(outcome); });
}

void MessageService::OnCaughtUp() {
  caught_up_ = true;
  archive_.set_caught_up(true);
  if (!stream_) return;
  // What our other devices read while we were away, now that the archive
  // has brought the messages their positions name.
  stream_->displayed_sync->FetchAll();
  uploads_.set_upload(stream_->http_upload.get());  // before the outbox: its files wait for the service
  messaging_.ResendOutbox(*stream_->chat);
}

void MessageService::OnStreamLost() {
  caught_up_ = false;
  archive_.set_caught_up(false);
  archive_.set_mam(nullptr);
  older_history_.set_mam(nullptr);
  read_state_.set_stream_modules(nullptr, nullptr);
  uploads_.set_upload(nullptr);  // running PUTs go on; slots wait for the next stream
  stream_ = nullptr;
}

void MessageService::OnLoginEnded(const Status& why) {
  OnStreamLost();
  messaging_.FailPending(why);
  acks_.FailAll(why);
}

void MessageService::OnChat(const xmpp::IncomingChat& chat) {
  Store(chat);
  archive_.OnLiveMessage(chat);
}

void MessageService::Store(const xmpp::IncomingChat& chat) {
  messaging_.OnIncoming(chat);
  revoke_.OnMessageStored(chat);
}

Status MessageService::WriteRefusal(const std::string& what) const {
  if (!login_.logged_in()) return Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in");
  if (!login_.store_failure().empty()) {
    return Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                  "the local store takes no writes (" + login_.store_failure() + "); the " + what + " was not accepted");
  }
  return Status::Ok();
}

void MessageService::SendMessage(const tim::v1::SendMessageRequest& request,
                                 Done<tim::v1::SendMessageResponse> done) {
  if (Status refusal = WriteRefusal("message"); !refusal.ok()) return done(refusal);
  // During catch-up the message waits in the outbox: it then goes out after
  // the older queued ones, in order, and exactly once.
  if (!HasFileElems(request.elems())) {
    return messaging_.Send(request, StreamReady() ? stream_->chat.get() : nullptr, std::move(done));
  }
  // Files: refused before anything is stored when the server takes no such
  // file, which the service discovery of a new stream is about to tell.
  uploads_.WhenServiceKnown([this, request, done = std::move(done)]() mutable {
    messaging_.Send(request, StreamReady() ? stream_->chat.get() : nullptr, std::move(done));
  });
}

void MessageService::GetMessages(const tim::v1::GetMessagesRequest& request,
                                 Done<tim::v1::GetMessagesResponse> done) {
  Result<tim::v1::GetMessagesResponse> local = history_.GetMessages(request);
  // The archive is asked only for what lies before the oldest stored
  // message: newer ones arrive by the catch-up. A forward page after a
  // stored row is all local; a backward page is unless the store ran out.
  if (!request.is_ramble() || !local.ok()) return done(std::move(local));
  if (request.is_forward() ? request.after_seq() != 0 : !local.value().is_finished()) return done(std::move(local));
  const std::string peer = login_.ids().ToJid(request.conv_id()).value();  // checked by the local query
  auto answer = [this, request, done = std::move(done)](Status fetched) {
    if (!fetched.ok()) return done(fetched);
    done(history_.GetMessages(request));
  };
  if (request.is_forward()) {
    const int64_t from_ms = static_cast<int64_t>(std::min<uint64_t>(request.time_begin(), INT64_MAX / 1000)) * 1000;
    return older_history_.FetchRange(peer, from_ms, std::move(answer));
  }
  // One more than the page, so that is_finished tells whether more remain.
  const int wanted = static_cast<int>(request.count() == 0 ? 20 : std::min<uint32_t>(request.count(), 99)) + 1;
  older_history_.FetchOlder(peer, wanted, std::move(answer));
}

void MessageService::RevokeMessage(const tim::v1::RevokeMessageRequest& request,
                                   Done<tim::v1::RevokeMessageResponse> done) {
  if (Status refusal = WriteRefusal("revoke"); !refusal.ok()) return done(refusal);
  revoke_.Revoke(request, StreamReady() ? stream_->retraction.get() : nullptr, std::move(done));
}

void MessageService::ModifyMessage(const tim::v1::ModifyMessageRequest& request,
                                   Done<tim::v1::ModifyMessageResponse> done) {
  if (Status refusal = WriteRefusal("modification"); !refusal.ok()) return done(refusal);
  modify_.Modify(request, StreamReady() ? stream_->correction.get() : nullptr, std::move(done));
}

void MessageService::CancelSend(const tim::v1::CancelSendRequest& request, Done<tim::v1::CancelSendResponse> done) {
  if (Status refusal = WriteRefusal("cancel"); !refusal.ok()) return done(refusal);
  messaging_.CancelSend(request, std::move(done));
}

void MessageService::BatchSend(const tim::v1::BatchSendRequest& request, Done<tim::v1::BatchSendResponse> done) {
  domain::BatchSend(*this, request, std::move(done));
}

}  // namespace timd::domain
