#include "domain/message_service.h"

#include <utility>

#include "xmpp/chat_markers.h"
#include "xmpp/receipts.h"

namespace timd::domain {

struct MessageService::Modules final : StreamModules {
  std::unique_ptr<xmpp::ChatManager> chat;
  std::unique_ptr<xmpp::MamManager> mam;
  std::unique_ptr<xmpp::CarbonsManager> carbons;
  xmpp::MessagePayloadHandlers payloads;  // offered by chat, carbons and MAM before their chat parse
  std::unique_ptr<xmpp::DeliveryReceipts> receipts;
  std::unique_ptr<xmpp::ChatMarkers> markers;
};

MessageService::MessageService(uv_loop_t* loop, store::MessageStore& store, store::Settings& settings,
                               events::EventBus& bus, const LoginState& login, Options options)
    : login_(login),
      messaging_(loop, store, bus, login.ids(), options.messaging),
      read_state_(store, bus, login),
      archive_(store, settings, bus, login, options.mam_page_size,
               [this](const xmpp::IncomingChat& chat) { messaging_.OnIncoming(chat); }) {}

MessageService::~MessageService() {
  messaging_.FailPending(Status(Code::kUnavailable, tim_err::kNetDisconnect, "daemon shutting down"));
}

void MessageService::OnLogin(const std::string& own_jid) {
  messaging_.set_own_jid(own_jid);
  archive_.set_own_jid(own_jid);
}

std::unique_ptr<StreamModules> MessageService::OnStreamCreated(xmpp::Client& client,
                                                               xmpp::FeatureRegistry& features) {
  auto modules = std::make_unique<Modules>();
  modules->chat = std::make_unique<xmpp::ChatManager>(
      client, [this](const xmpp::IncomingChat& chat) { OnChat(chat); },
      [this](const xmpp::BouncedChat& bounce) { messaging_.OnBounced(bounce); });
  modules->mam = std::make_unique<xmpp::MamManager>(client);
  modules->carbons = std::make_unique<xmpp::CarbonsManager>(
      client, [this](const xmpp::IncomingChat& chat, xmpp::CarbonDirection) { messaging_.OnIncoming(chat); });
  // XEP-0184 first: it answers a request even on a message another module claims.
  modules->receipts = std::make_unique<xmpp::DeliveryReceipts>(client, nullptr, /*answer_requests=*/true);
  modules->markers = std::make_unique<xmpp::ChatMarkers>(
      client, [this](const xmpp::ChatMarker& marker) { read_state_.OnMarker(marker); });
  modules->payloads.Add(*modules->receipts);
  modules->payloads.Add(*modules->markers);
  modules->chat->SetPayloadHandlers(&modules->payloads);
  modules->carbons->SetPayloadHandlers(&modules->payloads);
  modules->mam->SetPayloadHandlers(&modules->payloads);
  for (xmpp::StanzaHandler* module :
       std::initializer_list<xmpp::StanzaHandler*>{modules->mam.get(), modules->carbons.get(), modules->chat.get(),
                                                   modules->receipts.get(), modules->markers.get()}) {
    features.Register(client, *module);
  }
  read_state_.set_markers(modules->markers.get());
  stream_ = modules.get();
  archive_.set_mam(modules->mam.get());
  return modules;
}

void MessageService::OnBound() {
  messaging_.RequeueUnacked();  // before the new session's first ack
  if (stream_) stream_->carbons->Enable();
}

void MessageService::OnAcked(uint64_t handled) { messaging_.OnAcked(handled); }

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
  if (stream_) messaging_.ResendOutbox(*stream_->chat);
}

void MessageService::OnStreamLost() {
  caught_up_ = false;
  archive_.set_caught_up(false);
  archive_.set_mam(nullptr);
  read_state_.set_markers(nullptr);
  stream_ = nullptr;
}

void MessageService::OnLoginEnded(const Status& why) {
  OnStreamLost();
  messaging_.FailPending(why);
}

void MessageService::OnChat(const xmpp::IncomingChat& chat) {
  messaging_.OnIncoming(chat);
  archive_.OnLiveMessage(chat);
}

void MessageService::SendMessage(const tim::v1::SendMessageRequest& request,
                                 Done<tim::v1::SendMessageResponse> done) {
  if (!login_.logged_in()) {
    return done(Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in"));
  }
  if (!login_.store_failure().empty()) {
    return done(Status(Code::kUnavailable, tim_err::kDatabaseFailure,
                       "the local store takes no writes (" + login_.store_failure() +
                           "); the message was not accepted"));
  }
  // During catch-up the message waits in the outbox: it then goes out after
  // the older queued ones, in order, and exactly once.
  const bool ready = stream_ && caught_up_;
  messaging_.Send(request, ready ? stream_->chat.get() : nullptr, std::move(done));
}

Result<tim::v1::GetMessagesResponse> MessageService::GetMessages(const tim::v1::GetMessagesRequest& request) {
  return messaging_.GetMessages(request);
}

}  // namespace timd::domain
