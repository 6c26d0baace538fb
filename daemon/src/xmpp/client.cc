#include "xmpp/client.h"

#include <spdlog/spdlog.h>

#include <random>
#include <utility>

#include "xmpp/client_impl.h"
#include "xmpp/namespaces.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kPingNs = "urn:xmpp:ping";
constexpr uint64_t kNegotiationTimeoutMs = 30000;
constexpr uint64_t kCloseWaitMs = 1000;

bool IsStanza(const Element& element) {
  return element.xmlns == ns::kClient &&
         (element.name == "message" || element.name == "presence" || element.name == "iq");
}

}  // namespace

const char* ToString(ClientError error) {
  switch (error) {
    case ClientError::kNone: return "none";
    case ClientError::kNetwork: return "network";
    case ClientError::kTls: return "tls";
    case ClientError::kTlsRequired: return "tls-required";
    case ClientError::kAuthNotAuthorized: return "auth-not-authorized";
    case ClientError::kAuthCredentialsExpired: return "auth-credentials-expired";
    case ClientError::kAuthAccountDisabled: return "auth-account-disabled";
    case ClientError::kAuthNoMechanism: return "auth-no-mechanism";
    case ClientError::kConflict: return "conflict";
    case ClientError::kStreamError: return "stream-error";
    case ClientError::kMalformedXml: return "malformed-xml";
    case ClientError::kBindFailed: return "bind-failed";
    case ClientError::kTimeout: return "timeout";
    case ClientError::kPingTimeout: return "ping-timeout";
  }
  return "unknown";
}

Client::Impl::Impl(uv_loop_t* loop, ClientOptions options, Callbacks callbacks)
    : loop(loop),
      options(std::move(options)),
      callbacks(std::move(callbacks)),
      negotiation_timer(loop),
      ack_timer(loop),
      close_timer(loop),
      liveness(loop, this->options.ping_interval_ms, this->options.ping_timeout_ms,
               {[this] { Probe(); }, [this] { OnProbeTimeout(); }}),
      sm(static_cast<bool>(this->callbacks.on_ack_requested), [this](std::string xml) { WriteRaw(std::move(xml)); }) {
  std::random_device random;
  id_prefix = "timd" + std::to_string(random() % 100000) + "-";
  const std::optional<ResumeState>& resume = this->options.resume;
  if (resume.has_value() && sm.Load(*resume)) jid = resume->jid;
}

void Client::Impl::SetState(ClientState next) {
  if (state == next) return;
  state = next;
  Invoke(callbacks.on_state, next);
}

void Client::Impl::Connect() {
  if (state != ClientState::kDisconnected) return;
  phase = Phase::kIdle;
  tls = authenticated = sm_offered = bind_offered = false;
  failure.reset();
  if (!sm.BeginStream(options.stream_management)) jid = Jid{};

  transport.reset();  // the last connection's, closed: CloseTransport must not find it while DNS runs
  negotiation_timer.Start(kNegotiationTimeoutMs, [this] { OnNegotiationTimeout(); });
  auto alive_now = alive;
  SetState(ClientState::kConnecting);
  if (!*alive_now || state != ClientState::kConnecting) return;
  if (!options.transport.host.empty()) {
    endpoint = xmpp::Endpoint{options.transport.host, {}, options.transport.port, options.transport.direct_tls, false};
    return StartTransport(options.transport);
  }
  locator = std::make_unique<EndpointLocator>(loop, options.domain, options.dns_servers);
  TryNextEndpoint();
}

void Client::Impl::OnNegotiationTimeout() {
  Fail(ClientError::kTimeout,
       "stream negotiation did not finish within " + std::to_string(kNegotiationTimeoutMs / 1000) + " s");
}

// The locator's next endpoint; with none left the attempt fails.
void Client::Impl::TryNextEndpoint() {
  locator->Next([this](const xmpp::Endpoint* next, const std::string& why) {
    if (next == nullptr) return Fail(ClientError::kNetwork, why);
    endpoint = *next;
    auto alive_now = alive;
    Invoke(callbacks.on_endpoint, endpoint);
    if (!*alive_now || phase != Phase::kIdle || state != ClientState::kConnecting) return;
    TransportOptions target = options.transport;
    target.host = endpoint.address;
    target.port = endpoint.port;
    target.direct_tls = endpoint.direct_tls;
    target.tls_server_name = options.domain;  // RFC 6125: the domain, never the SRV target
    negotiation_timer.Start(kNegotiationTimeoutMs, [this] { OnNegotiationTimeout(); });
    StartTransport(target);
  });
}

// Before the stream starts, a connection that fails (not TLS: a refused
// certificate is an answer) hands over to the next endpoint.
bool Client::Impl::TryNextAfter(TransportError error, const std::string& detail) {
  if (!locator || failure.has_value() || phase != Phase::kIdle || error == TransportError::kTls ||
      error == TransportError::kNone) {
    return false;
  }
  transport.reset();
  auto alive_now = alive;
  Invoke(callbacks.on_endpoint_failed, endpoint, detail);
  if (!*alive_now || state != ClientState::kConnecting) return true;
  locator->Failed(detail);
  TryNextEndpoint();
  return true;
}

void Client::Impl::StartTransport(const TransportOptions& transport_options) {
  XmlStreamParser::Callbacks parser_callbacks;
  parser_callbacks.on_stream_open = [this](const auto& attrs) { OnStreamOpen(attrs); };
  parser_callbacks.on_stanza = [this](Element element) { OnElement(std::move(element)); };
  parser_callbacks.on_stream_close = [this] { OnStreamClose(); };
  parser_callbacks.on_error = [this](const std::string& reason) { OnParseError(reason); };
  parser = std::make_unique<XmlStreamParser>(std::move(parser_callbacks));

  Transport::Callbacks transport_callbacks;
  transport_callbacks.on_connected = [this] { OnConnected(); };
  transport_callbacks.on_tls_ready = [this] { OnTlsReady(); };
  transport_callbacks.on_data = [this](std::string_view bytes) { OnData(bytes); };
  transport_callbacks.on_closed = [this](TransportError error, const std::string& detail) {
    OnTransportClosed(error, detail);
  };
  transport = std::make_unique<Transport>(loop, transport_options, std::move(transport_callbacks));
  spdlog::info("XMPP: connecting to {} as {}@{}", Endpoint(), options.username, options.domain);
  transport->Connect();
}

// Closes the transport, or, while there is none yet (DNS), ends the
// attempt on the next loop turn as a closed transport would.
void Client::Impl::CloseTransport(bool abort) {
  if (transport) return abort ? transport->Abort() : transport->Close();
  locator.reset();
  close_timer.Start(0, [this] { OnTransportClosed(TransportError::kNone, {}); });
}

void Client::Impl::Disconnect() {
  if (state == ClientState::kDisconnected || phase == Phase::kClosing) return;
  if (phase != Phase::kOnline) {
    failure = ClientCloseInfo{ClientError::kNone, {}};
    phase = Phase::kClosing;
    CloseTransport();
    SetState(ClientState::kClosing);
    return;
  }
  spdlog::info("XMPP: closing the stream to {}", Endpoint());
  failure = ClientCloseInfo{ClientError::kNone, {}};
  sm.EndSession();  // the closing handshake ends the SM session
  sm.SendAck();
  CloseStream();
  SetState(ClientState::kClosing);
}

// Sends </stream:stream> and closes the transport once the server closed
// its side too, or after a short wait.
void Client::Impl::CloseStream() {
  const bool stream_open = phase != Phase::kIdle && phase != Phase::kTlsHandshake;
  if (phase == Phase::kOnline) sm.EndSession();  // </stream:stream> ends the SM session
  phase = Phase::kClosing;
  StopTimers();
  if (!stream_open) {
    CloseTransport();
    return;
  }
  WriteRaw("</stream:stream>");
  close_timer.Start(kCloseWaitMs, [this] { transport->Close(); });
}

// Records why the stream ends (the first reason wins) and closes it.
void Client::Impl::Fail(ClientError error, std::string detail) {
  if (phase == Phase::kClosing || state == ClientState::kDisconnected) return;
  spdlog::warn("XMPP: stream to {} failed ({}): {}", Endpoint(), ToString(error), detail);
  failure = ClientCloseInfo{error, std::move(detail)};
  CloseStream();
}

// Closes the socket without the closing handshake: the server keeps the
// session for a resume.
void Client::Impl::Abort(ClientError error, std::string detail) {
  if (phase == Phase::kClosing || state == ClientState::kDisconnected) return;
  spdlog::warn("XMPP: dropping the connection to {} ({}): {}", Endpoint(), ToString(error), detail);
  failure = ClientCloseInfo{error, std::move(detail)};
  phase = Phase::kClosing;
  StopTimers();
  CloseTransport(/*abort=*/true);
}

void Client::Impl::StopTimers() {
  negotiation_timer.Stop();
  ack_timer.Stop();
  liveness.Stop();
  sm.ForgetRequest();
}

void Client::Impl::OnTransportClosed(TransportError error, const std::string& detail) {
  if (TryNextAfter(error, detail)) return;
  StopTimers();
  close_timer.Stop();
  ClientCloseInfo info;
  if (failure.has_value()) {
    info = *failure;
  } else if (error == TransportError::kTls) {
    info = {ClientError::kTls, detail};
  } else if (error == TransportError::kNone) {
    info = {ClientError::kNone, {}};
  } else {
    info = {ClientError::kNetwork, detail};
  }
  if (info.error == ClientError::kNone) {
    spdlog::info("XMPP: disconnected from {}", Endpoint());
  } else {
    spdlog::info("XMPP: disconnected from {} ({}): {}", Endpoint(), ToString(info.error), info.detail);
  }
  phase = Phase::kIdle;
  sm.StreamClosed();
  state = ClientState::kDisconnected;  // before callbacks: they may reconnect
  auto alive_now = alive;
  auto iqs = std::move(pending_iqs);
  pending_iqs.clear();
  for (auto& [id, on_result] : iqs) {
    on_result(nullptr);
    if (!*alive_now) return;
  }
  Invoke(callbacks.on_closed, info);
  if (!*alive_now || state != ClientState::kDisconnected) return;
  Invoke(callbacks.on_state, ClientState::kDisconnected);
}

void Client::Impl::OnData(std::string_view bytes) {
  liveness.OnInput();
  parser->Feed(bytes);
}

void Client::Impl::OnStreamClose() {
  if (phase == Phase::kClosing) {
    transport->Close();
    return;
  }
  sm.EndSession();
  Fail(ClientError::kNetwork, "the server closed the stream");
}

void Client::Impl::OnParseError(const std::string& reason) {
  if (phase == Phase::kClosing) {
    transport->Close();
    return;
  }
  spdlog::warn("XMPP stream from {} is not well-formed: {}", Endpoint(), reason);
  sm.EndSession();
  WriteRaw("<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
  Fail(ClientError::kMalformedXml, reason);
}

void Client::Impl::OnOnlineElement(Element element) {
  if (element.xmlns == kStreamManagementNs) {
    switch (sm.OnElement(element)) {
      case StreamManagement::Event::kNone: return;
      case StreamManagement::Event::kAcked: return Invoke(callbacks.on_acked, sm.acked());
      case StreamManagement::Event::kAckRequested: return Invoke(callbacks.on_ack_requested);
      case StreamManagement::Event::kOverAcked:
        return Fail(ClientError::kStreamError, "the server acknowledged more than was sent");
    }
  }
  if (!IsStanza(element)) return;
  sm.CountInbound();
  if (element.name == "iq") return OnIq(element);
  Dispatch(element);
}

void Client::Impl::OnIq(const Element& iq) {
  std::string_view type = iq.Attr("type");
  if (type == "result" || type == "error") {
    auto it = pending_iqs.find(std::string(iq.Attr("id")));
    if (it != pending_iqs.end()) {
      auto on_result = std::move(it->second);
      pending_iqs.erase(it);
      on_result(&iq);
      return;
    }
  }
  if (phase != Phase::kOnline) return;
  if (Dispatch(iq)) return;
  if (type == "get" || type == "set") {
    Element reply("iq", std::string(ns::kClient));
    reply.SetAttr("type", "error");
    if (iq.HasAttr("from")) reply.SetAttr("to", std::string(iq.Attr("from")));
    reply.SetAttr("id", std::string(iq.Attr("id")));
    Element& error = reply.AddChild(Element("error", std::string(ns::kClient)));
    error.SetAttr("type", "cancel");
    error.AddChild(Element("service-unavailable", std::string(ns::kStanzaError)));
    Send(reply);
  }
}

// Returns true when a handler consumed the stanza (or the client is gone).
bool Client::Impl::Dispatch(const Element& stanza) {
  auto alive_now = alive;
  for (StanzaHandler* handler : std::vector<StanzaHandler*>(handlers)) {
    if (handler->HandleStanza(stanza)) return true;
    if (!*alive_now || phase != Phase::kOnline) return true;
  }
  return false;
}

void Client::Impl::ReportAcked(uint64_t handled) {
  if (sm.Acknowledge(handled)) Invoke(callbacks.on_acked, handled);
}

uint64_t Client::Impl::Send(const Element& stanza) {
  if (phase != Phase::kOnline) return 0;
  uint64_t seq = sm.Send(stanza.Serialize());
  if (!ack_timer.active()) ack_timer.Start(options.ack_request_delay_ms, [this] { RequestAck(); });
  return seq;
}

// One ack request per batch of sends. Without stream management a ping
// round trip stands in for <a/>: the server handles stanzas in order.
void Client::Impl::RequestAck() {
  if (phase != Phase::kOnline || !sm.MarkAckRequested()) return;
  if (sm.enabled()) return sm.SendRequest();
  uint64_t covered = sm.sent();
  SendPing([this, covered](const Element* reply) {
    if (reply != nullptr) ReportAcked(covered);
  });
}

// Any inbound byte answers (see Liveness).
void Client::Impl::Probe() {
  if (sm.enabled()) return sm.SendRequest();
  SendPing([](const Element*) {});
}

void Client::Impl::OnProbeTimeout() {
  Abort(ClientError::kPingTimeout,
        "no answer from the server in " + std::to_string((options.ping_timeout_ms + 999) / 1000) + " s");
}

// An XEP-0199 ping to the server, outside the counted stanza sequence.
void Client::Impl::SendPing(std::function<void(const Element*)> on_result) {
  Element ping("iq", std::string(ns::kClient));
  ping.SetAttr("type", "get");
  ping.SetAttr("to", jid.domain);
  ping.AddChild(Element("ping", std::string(kPingNs)));
  SendIqRaw(std::move(ping), std::move(on_result));
}

void Client::Impl::SendIq(Element iq, std::function<void(const Element*)> on_result) {
  if (phase != Phase::kOnline) {
    if (on_result) on_result(nullptr);
    return;
  }
  if (iq.Attr("id").empty()) iq.SetAttr("id", NextId());
  pending_iqs[std::string(iq.Attr("id"))] = std::move(on_result);
  Send(iq);
}

// For iqs outside the counted stanza sequence (bind, emulated acks).
void Client::Impl::SendIqRaw(Element iq, std::function<void(const Element*)> on_result) {
  std::string id = NextId();
  iq.SetAttr("id", id);
  pending_iqs[id] = std::move(on_result);
  WriteRaw(iq.Serialize());
}
Client::Client(uv_loop_t* loop, ClientOptions options, Callbacks callbacks)
    : impl_(std::make_unique<Impl>(loop, std::move(options), std::move(callbacks))) {}

Client::~Client() = default;

void Client::AddHandler(StanzaHandler* handler) { impl_->handlers.push_back(handler); }
void Client::Connect() { impl_->Connect(); }
void Client::Disconnect() { impl_->Disconnect(); }
uint64_t Client::Send(const Element& stanza) { return impl_->Send(stanza); }

void Client::SendIq(Element iq, std::function<void(const Element* reply)> on_result) {
  impl_->SendIq(std::move(iq), std::move(on_result));
}

ClientState Client::state() const { return impl_->state; }
const Endpoint& Client::endpoint() const { return impl_->endpoint; }
bool Client::stream_management_enabled() const { return impl_->sm.enabled(); }
const Jid& Client::bound_jid() const { return impl_->jid; }
const Element& Client::stream_features() const { return impl_->stream_features; }

void Client::SendNonza(const Element& nonza) {
  if (impl_->phase == Impl::Phase::kOnline) impl_->WriteRaw(nonza.Serialize());
}
size_t Client::PendingInputBytes() const {
  return impl_->transport ? impl_->transport->PendingInputBytes() : 0;
}

std::optional<ResumeState> Client::resume_state() const { return impl_->sm.Snapshot(impl_->jid); }

void Client::CheckLiveness() {
  if (impl_->phase == Impl::Phase::kOnline) impl_->liveness.ProbeNow();
}

void Client::Ack() { impl_->sm.Ack(); }

void Client::DropConnection(const std::string& why) { impl_->Abort(ClientError::kNetwork, why); }

}  // namespace timd::xmpp
