#include <spdlog/spdlog.h>

#include <utility>

#include "xmpp/client_impl.h"
#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kStreamNs = "http://etherx.jabber.org/streams";
constexpr std::string_view kStreamErrorNs = "urn:ietf:params:xml:ns:xmpp-streams";
constexpr std::string_view kTlsNs = "urn:ietf:params:xml:ns:xmpp-tls";
constexpr std::string_view kSaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
constexpr std::string_view kBindNs = "urn:ietf:params:xml:ns:xmpp-bind";

std::string StreamHeader(const std::string& domain) {
  return "<?xml version='1.0'?><stream:stream to='" + XmlEscape(domain) +
         "' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
}

std::string WithText(std::string condition, const Element& error) {
  const Element* text = error.Child("text");
  if (text != nullptr && !text->text.empty()) condition += ": " + text->text;
  return condition;
}

}  // namespace

void Client::Impl::OnConnected() {
  endpoint.address = transport->peer_address();
  tls = transport->tls_active();
  if (tls) spdlog::info("XMPP: TLS with {}: {}", Endpoint(), transport->tls_description());
  OpenStream();
}

void Client::Impl::OnTlsReady() {
  tls = true;
  spdlog::info("XMPP: STARTTLS with {}: {}", Endpoint(), transport->tls_description());
  parser->Reset();
  OpenStream();
}

void Client::Impl::OpenStream() {
  phase = Phase::kStreamFeatures;
  WriteRaw(StreamHeader(options.domain));
}

void Client::Impl::OnStreamOpen(const std::vector<std::pair<std::string, std::string>>& attrs) {
  for (const auto& [key, value] : attrs) {
    if (key == "id") spdlog::debug("XMPP: stream {} opened by {}", value, Endpoint());
  }
}

void Client::Impl::OnElement(Element element) {
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

void Client::Impl::OnStreamError(const Element& error) {
  std::string condition = DefinedCondition(error, kStreamErrorNs);
  sm.EndSession();  // the server ends the session with the stream
  Fail(condition == "conflict" ? ClientError::kConflict : ClientError::kStreamError, WithText(condition, error));
}

void Client::Impl::OnFeatures(const Element& features) {
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

void Client::Impl::BindIfOffered() {
  if (!bind_offered) return Fail(ClientError::kBindFailed, "the server offers no resource binding");
  Bind();
}

void Client::Impl::OnResumeReply(const Element& element) {
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
void Client::Impl::OnResumed(uint64_t handled, size_t resent) {
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
void Client::Impl::OnResumeFailed(const std::string& condition, std::optional<uint64_t> handled) {
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

void Client::Impl::OnStartTlsReply(const Element& element) {
  if (element.xmlns != kTlsNs) return;
  if (element.name != "proceed") return Fail(ClientError::kTls, "the server refused STARTTLS");
  phase = Phase::kTlsHandshake;
  transport->StartTls();
}

void Client::Impl::StartSasl(const Element& features) {
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

void Client::Impl::OnSaslReply(const Element& element) {
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

void Client::Impl::Bind() {
  phase = Phase::kBind;
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "set");
  Element& bind = iq.AddChild(Element("bind", std::string(kBindNs)));
  if (!options.resource.empty()) bind.AddTextChild("resource", std::string(kBindNs), options.resource);
  SendIqRaw(std::move(iq), [this](const Element* reply) { OnBindReply(reply); });
}

void Client::Impl::OnBindReply(const Element* reply) {
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

void Client::Impl::OnEnableSmReply(const Element& element) {
  if (sm.OnEnableReply(element) != StreamManagement::EnableReply::kIgnored) GoOnline();
}

void Client::Impl::GoOnline() {
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

}  // namespace timd::xmpp
