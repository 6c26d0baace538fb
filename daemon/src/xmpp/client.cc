// Over 900 lines: the stream core (connect, TLS, SASL, bind, XEP-0198,
// resumption, liveness) shares one state machine. Issue 15 begins by moving
// stream management (XEP-0198) and endpoint handling into files of their own.
#include "xmpp/client.h"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <random>
#include <utility>

#include "common/timer.h"
#include "xmpp/liveness.h"
#include "xmpp/namespaces.h"
#include "xmpp/sasl.h"
#include "xmpp/stanza_error.h"
#include "xmpp/stream_management.h"
#include "xmpp/xml_stream_parser.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
constexpr std::string_view kStreamErrorNs = "urn:ietf:params:xml:ns:xmpp-streams";
constexpr std::string_view kTlsNs = "urn:ietf:params:xml:ns:xmpp-tls";
constexpr std::string_view kSaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
constexpr std::string_view kBindNs = "urn:ietf:params:xml:ns:xmpp-bind";
constexpr std::string_view kPingNs = "urn:xmpp:ping";
constexpr uint64_t kNegotiationTimeoutMs = 30000;
constexpr uint64_t kCloseWaitMs = 1000;

enum class Phase {
  kIdle,
  kStreamFeatures,  // waiting for <stream:features>
  kStartTls,        // sent <starttls/>, waiting for <proceed/>
  kTlsHandshake,
  kSasl,            // sent <auth/>, exchanging challenges
  kResume,          // sent <resume/>, waiting for <resumed/> or <failed/>
  kBind,
  kEnableSm,
  kOnline,
  kClosing,         // sent </stream:stream>
};

std::string StreamHeader(const std::string& domain) {
  return "<?xml version='1.0'?><stream:stream to='" + XmlEscape(domain) +
         "' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
}

// Calls a user callback through a copy: the callback may destroy the
// client, and with it the stored std::function, while it runs.
template <typename Fn, typename... Args>
void Invoke(const Fn& fn, const Args&... args) {
  if (!fn) return;
  Fn copy = fn;
  copy(args...);
}

bool IsStanza(const Element& element) {
  return element.xmlns == ns::kClient &&
         (element.name == "message" || element.name == "presence" || element.name == "iq");
}

std::string WithText(std::string condition, const Element& error) {
  const Element* text = error.Child("text");
  if (text != nullptr && !text->text.empty()) condition += ": " + text->text;
  return condition;
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

struct Client::Impl {
  Impl(uv_loop_t* loop, ClientOptions options, Callbacks callbacks)
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

  ~Impl() { *alive = false; }

  uv_loop_t* loop;
  ClientOptions options;
  Callbacks callbacks;
  std::vector<StanzaHandler*> handlers;
  // Cleared on destruction; checked after every user callback, which may
  // destroy the client.
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  std::unique_ptr<EndpointLocator> locator;  // finds the server when no host is configured
  xmpp::Endpoint endpoint;
  std::unique_ptr<Transport> transport;
  std::unique_ptr<XmlStreamParser> parser;
  std::unique_ptr<SaslClient> sasl;
  Timer negotiation_timer;
  Timer ack_timer;
  Timer close_timer;
  Liveness liveness;

  ClientState state = ClientState::kDisconnected;
  Phase phase = Phase::kIdle;
  bool tls = false;
  bool authenticated = false;
  bool sm_offered = false;
  bool bind_offered = false;
  Element stream_features;  // after authentication
  std::optional<ClientCloseInfo> failure;  // the first reason the stream ends
  Jid jid;
  StreamManagement sm;  // XEP-0198, and the outbound numbering without it

  std::string id_prefix;
  uint64_t next_id = 0;
  std::map<std::string, std::function<void(const Element*)>> pending_iqs;

  std::string Endpoint() const { return endpoint.Describe(); }

  void SetState(ClientState next) {
    if (state == next) return;
    state = next;
    Invoke(callbacks.on_state, next);
  }

  // --- connection lifecycle -------------------------------------------------

  void Connect() {
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

  void OnNegotiationTimeout() {
    Fail(ClientError::kTimeout,
         "stream negotiation did not finish within " + std::to_string(kNegotiationTimeoutMs / 1000) + " s");
  }

  // The locator's next endpoint; with none left the attempt fails.
  void TryNextEndpoint() {
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
  bool TryNextAfter(TransportError error, const std::string& detail) {
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

  void StartTransport(const TransportOptions& transport_options) {
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
  void CloseTransport(bool abort = false) {
    if (transport) return abort ? transport->Abort() : transport->Close();
    locator.reset();
    close_timer.Start(0, [this] { OnTransportClosed(TransportError::kNone, {}); });
  }

  void Disconnect() {
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
  void CloseStream() {
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
  void Fail(ClientError error, std::string detail) {
    if (phase == Phase::kClosing || state == ClientState::kDisconnected) return;
    spdlog::warn("XMPP: stream to {} failed ({}): {}", Endpoint(), ToString(error), detail);
    failure = ClientCloseInfo{error, std::move(detail)};
    CloseStream();
  }

  // Closes the socket without the closing handshake: the server keeps the
  // session for a resume.
  void Abort(ClientError error, std::string detail) {
    if (phase == Phase::kClosing || state == ClientState::kDisconnected) return;
    spdlog::warn("XMPP: dropping the connection to {} ({}): {}", Endpoint(), ToString(error), detail);
    failure = ClientCloseInfo{error, std::move(detail)};
    phase = Phase::kClosing;
    StopTimers();
    CloseTransport(/*abort=*/true);
  }

  void StopTimers() {
    negotiation_timer.Stop();
    ack_timer.Stop();
    liveness.Stop();
    sm.ForgetRequest();
  }

  void OnTransportClosed(TransportError error, const std::string& detail) {
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

  // --- stream negotiation ---------------------------------------------------

  void OnConnected() {
    endpoint.address = transport->peer_address();
    tls = transport->tls_active();
    if (tls) spdlog::info("XMPP: TLS with {}: {}", Endpoint(), transport->tls_description());
    OpenStream();
  }

  void OnTlsReady() {
    tls = true;
    spdlog::info("XMPP: STARTTLS with {}: {}", Endpoint(), transport->tls_description());
    parser->Reset();
    OpenStream();
  }

  void OpenStream() {
    phase = Phase::kStreamFeatures;
    WriteRaw(StreamHeader(options.domain));
  }

  void OnStreamOpen(const std::vector<std::pair<std::string, std::string>>& attrs) {
    for (const auto& [key, value] : attrs) {
      if (key == "id") spdlog::debug("XMPP: stream {} opened by {}", value, Endpoint());
    }
  }

  void OnData(std::string_view bytes) {
    liveness.OnInput();
    parser->Feed(bytes);
  }

  void OnStreamClose() {
    if (phase == Phase::kClosing) {
      transport->Close();
      return;
    }
    sm.EndSession();
    Fail(ClientError::kNetwork, "the server closed the stream");
  }

  void OnParseError(const std::string& reason) {
    if (phase == Phase::kClosing) {
      transport->Close();
      return;
    }
    spdlog::warn("XMPP stream from {} is not well-formed: {}", Endpoint(), reason);
    sm.EndSession();
    WriteRaw("<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    Fail(ClientError::kMalformedXml, reason);
  }

  void OnElement(Element element) {
    if (phase == Phase::kClosing) return;
    if (element.xmlns == kStreamNs && element.name == "error") return OnStreamError(element);
    if (element.xmlns == kStreamNs && element.name == "features") return OnFeatures(element);
    switch (phase) {
      case Phase::kStartTls: return OnStartTlsReply(element);
      case Phase::kSasl: return OnSaslReply(element);
      case Phase::kResume: return OnResumeReply(element);
      case Phase::kEnableSm: return OnEnableSmReply(element);
      case Phase::kOnline: return OnOnlineElement(std::move(element));
      case Phase::kBind:
        if (element.name == "iq" && element.xmlns == ns::kClient) return OnIq(element);
        break;
      default:
        break;
    }
    spdlog::debug("XMPP: ignoring unexpected <{} xmlns='{}'/> during negotiation", element.name, element.xmlns);
  }

  void OnStreamError(const Element& error) {
    std::string condition = DefinedCondition(error, kStreamErrorNs);
    sm.EndSession();  // the server ends the session with the stream
    Fail(condition == "conflict" ? ClientError::kConflict : ClientError::kStreamError, WithText(condition, error));
  }

  void OnFeatures(const Element& features) {
    if (phase != Phase::kStreamFeatures) return;
    if (!tls) {
      if (features.Child("starttls", kTlsNs) != nullptr) {
        phase = Phase::kStartTls;
        WriteRaw(Element("starttls", std::string(kTlsNs)).Serialize());
        return;
      }
      if (options.require_tls) return Fail(ClientError::kTlsRequired, "the server does not offer STARTTLS");
    }
    if (!authenticated) return StartSasl(features);
    stream_features = features;
    sm_offered = features.Child("sm", kStreamManagementNs) != nullptr;
    bind_offered = features.Child("bind", kBindNs) != nullptr;
    if (sm.resuming()) {
      if (!sm_offered) return OnResumeFailed("feature-not-implemented", std::nullopt);
      phase = Phase::kResume;
      return sm.SendResume();
    }
    BindIfOffered();
  }

  void BindIfOffered() {
    if (!bind_offered) return Fail(ClientError::kBindFailed, "the server offers no resource binding");
    Bind();
  }

  // --- stream resumption (XEP-0198) -----------------------------------------

  void OnResumeReply(const Element& element) {
    StreamManagement::ResumeReply reply = sm.OnResumeReply(element);
    using Kind = StreamManagement::ResumeReply::Kind;
    switch (reply.kind) {
      case Kind::kIgnored: return;
      case Kind::kCounterMismatch:
        return Fail(ClientError::kStreamError, "the server's resumption counter does not match what was sent");
      case Kind::kResumed: return OnResumed(*reply.handled, reply.resent);
      case Kind::kRefused: return OnResumeFailed(reply.condition, reply.handled);
    }
  }

  // The server handled outbound stanzas up to `handled`; `resent` more
  // followed again.
  void OnResumed(uint64_t handled, size_t resent) {
    phase = Phase::kOnline;
    negotiation_timer.Stop();
    if (resent > 0) ack_timer.Start(options.ack_request_delay_ms, [this] { RequestAck(); });
    liveness.Start();
    spdlog::info("XMPP: resumed session as {} (server handled {}, resent {})", jid.Full(), handled, resent);
    auto alive_now = alive;
    SetState(ClientState::kOnline);
    if (!*alive_now || phase != Phase::kOnline) return;
    ReportAcked(handled);
    if (!*alive_now || phase != Phase::kOnline) return;
    Invoke(callbacks.on_resumed, Jid(jid));
  }

  // The old session is gone: report what it acknowledged, then bind afresh.
  void OnResumeFailed(const std::string& condition, std::optional<uint64_t> handled) {
    spdlog::info("XMPP: the server refused to resume the session ({}); binding a new session", condition);
    auto alive_now = alive;
    const Phase before = phase;
    if (handled.has_value()) {
      ReportAcked(*handled);
      if (!*alive_now || phase != before) return;
    }
    sm.DropSession();
    jid = Jid{};
    Invoke(callbacks.on_resume_failed, condition);
    if (!*alive_now || phase != before) return;
    BindIfOffered();
  }

  void OnStartTlsReply(const Element& element) {
    if (element.xmlns != kTlsNs) return;
    if (element.name != "proceed") return Fail(ClientError::kTls, "the server refused STARTTLS");
    phase = Phase::kTlsHandshake;
    transport->StartTls();
  }

  void StartSasl(const Element& features) {
    std::vector<std::string> offered;
    if (const Element* mechanisms = features.Child("mechanisms", kSaslNs)) {
      for (const Element& mechanism : mechanisms->children) {
        if (mechanism.name == "mechanism") offered.push_back(mechanism.text);
      }
    }
    std::string mechanism = SaslClient::ChooseMechanism(offered, tls, options.allow_plain);
    if (mechanism.empty()) {
      std::string list;
      for (const auto& name : offered) list += (list.empty() ? "" : " ") + name;
      return Fail(ClientError::kAuthNoMechanism, "no acceptable SASL mechanism among [" + list + "]" +
                                                     (tls ? "" : " without TLS"));
    }
    sasl = std::make_unique<SaslClient>();
    std::string initial;
    if (!sasl->Start(mechanism, options.username, options.password, &initial)) {
      return Fail(ClientError::kAuthNotAuthorized, "SASL " + mechanism + " failed to start: " + sasl->error());
    }
    spdlog::debug("XMPP: authenticating with SASL {}", mechanism);
    phase = Phase::kSasl;
    Element auth("auth", std::string(kSaslNs));
    auth.SetAttr("mechanism", mechanism);
    auth.text = std::move(initial);
    WriteRaw(auth.Serialize());
  }

  void OnSaslReply(const Element& element) {
    if (element.xmlns != kSaslNs) return;
    if (element.name == "challenge") {
      std::string response;
      if (sasl->Step(element.text, &response) == SaslClient::StepResult::kError) {
        return Fail(ClientError::kAuthNotAuthorized, "invalid SASL challenge: " + sasl->error());
      }
      Element reply("response", std::string(kSaslNs));
      reply.text = std::move(response);
      WriteRaw(reply.Serialize());
    } else if (element.name == "success") {
      if (sasl->Step(element.text, nullptr) != SaslClient::StepResult::kDone || !sasl->completed()) {
        return Fail(ClientError::kAuthNotAuthorized,
                    "the server's SASL success did not verify: " + sasl->error());
      }
      sasl.reset();
      authenticated = true;
      spdlog::info("XMPP: authenticated as {}@{}", options.username, options.domain);
      parser->Reset();  // the parser defers this until the current event returns
      OpenStream();
    } else if (element.name == "failure") {
      std::string condition = DefinedCondition(element, kSaslNs);
      ClientError error = ClientError::kAuthNotAuthorized;
      if (condition == "credentials-expired") error = ClientError::kAuthCredentialsExpired;
      if (condition == "account-disabled") error = ClientError::kAuthAccountDisabled;
      Fail(error, "SASL failure: " + WithText(condition, element));
    }
  }

  void Bind() {
    phase = Phase::kBind;
    Element iq("iq", std::string(ns::kClient));
    iq.SetAttr("type", "set");
    Element& bind = iq.AddChild(Element("bind", std::string(kBindNs)));
    if (!options.resource.empty()) bind.AddTextChild("resource", std::string(kBindNs), options.resource);
    SendIqRaw(std::move(iq), [this](const Element* reply) { OnBindReply(reply); });
  }

  void OnBindReply(const Element* reply) {
    if (reply == nullptr) return;  // the stream ended
    const Element* bind = reply->Child("bind", kBindNs);
    const Element* jid_element = bind != nullptr ? bind->Child("jid", kBindNs) : nullptr;
    std::optional<Jid> bound = jid_element != nullptr ? Jid::Parse(jid_element->text) : std::nullopt;
    if (reply->Attr("type") != "result" || !bound.has_value()) {
      const Element* error = reply->Child("error");
      return Fail(ClientError::kBindFailed,
                  "resource binding failed: " + (error ? DefinedCondition(*error, ns::kStanzaError) : "no JID"));
    }
    jid = *bound;
    if (sm_offered && options.stream_management) {
      phase = Phase::kEnableSm;
      return sm.SendEnable();
    }
    GoOnline();
  }

  void OnEnableSmReply(const Element& element) {
    if (sm.OnEnableReply(element) != StreamManagement::EnableReply::kIgnored) GoOnline();
  }

  void GoOnline() {
    phase = Phase::kOnline;
    negotiation_timer.Stop();
    liveness.Start();
    spdlog::info("XMPP: online as {} (stream management {})", jid.Full(),
                 sm.enabled() ? (sm.resumable() ? "on, resumable" : "on") : "off");
    auto alive_now = alive;
    SetState(ClientState::kOnline);
    if (!*alive_now || phase != Phase::kOnline) return;
    Invoke(callbacks.on_online, Jid(jid));
  }

  // --- online ---------------------------------------------------------------

  void OnOnlineElement(Element element) {
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

  void OnIq(const Element& iq) {
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
  bool Dispatch(const Element& stanza) {
    auto alive_now = alive;
    for (StanzaHandler* handler : std::vector<StanzaHandler*>(handlers)) {
      if (handler->HandleStanza(stanza)) return true;
      if (!*alive_now || phase != Phase::kOnline) return true;
    }
    return false;
  }

  void ReportAcked(uint64_t handled) {
    if (sm.Acknowledge(handled)) Invoke(callbacks.on_acked, handled);
  }

  uint64_t Send(const Element& stanza) {
    if (phase != Phase::kOnline) return 0;
    uint64_t seq = sm.Send(stanza.Serialize());
    if (!ack_timer.active()) ack_timer.Start(options.ack_request_delay_ms, [this] { RequestAck(); });
    return seq;
  }

  // One ack request per batch of sends. Without stream management a ping
  // round trip stands in for <a/>: the server handles stanzas in order.
  void RequestAck() {
    if (phase != Phase::kOnline || !sm.MarkAckRequested()) return;
    if (sm.enabled()) return sm.SendRequest();
    uint64_t covered = sm.sent();
    SendPing([this, covered](const Element* reply) {
      if (reply != nullptr) ReportAcked(covered);
    });
  }

  // --- liveness --------------------------------------------------------------

  // Any inbound byte answers (see Liveness).
  void Probe() {
    if (sm.enabled()) return sm.SendRequest();
    SendPing([](const Element*) {});
  }

  void OnProbeTimeout() {
    Abort(ClientError::kPingTimeout,
          "no answer from the server in " + std::to_string((options.ping_timeout_ms + 999) / 1000) + " s");
  }

  // An XEP-0199 ping to the server, outside the counted stanza sequence.
  void SendPing(std::function<void(const Element*)> on_result) {
    Element ping("iq", std::string(ns::kClient));
    ping.SetAttr("type", "get");
    ping.SetAttr("to", jid.domain);
    ping.AddChild(Element("ping", std::string(kPingNs)));
    SendIqRaw(std::move(ping), std::move(on_result));
  }

  void SendIq(Element iq, std::function<void(const Element*)> on_result) {
    if (phase != Phase::kOnline) {
      if (on_result) on_result(nullptr);
      return;
    }
    if (iq.Attr("id").empty()) iq.SetAttr("id", NextId());
    pending_iqs[std::string(iq.Attr("id"))] = std::move(on_result);
    Send(iq);
  }

  // For iqs outside the counted stanza sequence (bind, emulated acks).
  void SendIqRaw(Element iq, std::function<void(const Element*)> on_result) {
    std::string id = NextId();
    iq.SetAttr("id", id);
    pending_iqs[id] = std::move(on_result);
    WriteRaw(iq.Serialize());
  }

  std::string NextId() { return id_prefix + std::to_string(++next_id); }

  void WriteRaw(std::string bytes) { transport->Write(std::move(bytes)); }
};

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
  if (impl_->phase == Phase::kOnline) impl_->WriteRaw(nonza.Serialize());
}
size_t Client::PendingInputBytes() const {
  return impl_->transport ? impl_->transport->PendingInputBytes() : 0;
}

std::optional<ResumeState> Client::resume_state() const { return impl_->sm.Snapshot(impl_->jid); }

void Client::CheckLiveness() {
  if (impl_->phase == Phase::kOnline) impl_->liveness.ProbeNow();
}

void Client::Ack() { impl_->sm.Ack(); }

void Client::DropConnection(const std::string& why) { impl_->Abort(ClientError::kNetwork, why); }

}  // namespace timd::xmpp
