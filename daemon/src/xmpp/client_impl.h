// xmpp::Client's private state, shared by the two files that do its work:
// client.cc runs the connection (connect, close, failure), sending, the
// online stanza flow and liveness; client_negotiation.cc takes a new stream
// through STARTTLS, SASL and resource binding or an XEP-0198 resume until
// it is online. Stream management itself lives in StreamManagement.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/timer.h"
#include "xmpp/client.h"
#include "xmpp/liveness.h"
#include "xmpp/sasl.h"
#include "xmpp/stream_management.h"
#include "xmpp/xml_stream_parser.h"

namespace timd::xmpp {

struct Client::Impl {
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

  Impl(uv_loop_t* loop, ClientOptions options, Callbacks callbacks);
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

  // Calls a user callback through a copy: the callback may destroy the
  // client, and with it the stored std::function, while it runs.
  template <typename Fn, typename... Args>
  static void Invoke(const Fn& fn, const Args&... args) {
    if (!fn) return;
    Fn copy = fn;
    copy(args...);
  }

  std::string Endpoint() const { return endpoint.Describe(); }
  std::string NextId() { return id_prefix + std::to_string(++next_id); }
  void WriteRaw(std::string bytes) { transport->Write(std::move(bytes)); }

  // client.cc: the connection, sending and the online stream.
  void SetState(ClientState next);
  void Connect();
  void OnNegotiationTimeout();
  void TryNextEndpoint();
  bool TryNextAfter(TransportError error, const std::string& detail);
  void StartTransport(const TransportOptions& transport_options);
  void CloseTransport(bool abort = false);
  void Disconnect();
  void CloseStream();
  void Fail(ClientError error, std::string detail);
  void Abort(ClientError error, std::string detail);
  void StopTimers();
  void OnTransportClosed(TransportError error, const std::string& detail);
  void OnData(std::string_view bytes);
  void OnStreamClose();
  void OnParseError(const std::string& reason);
  void OnOnlineElement(Element element);
  void OnIq(const Element& iq);
  bool Dispatch(const Element& stanza);
  void ReportAcked(uint64_t handled);
  uint64_t Send(const Element& stanza);
  void RequestAck();
  void Probe();
  void OnProbeTimeout();
  void SendPing(std::function<void(const Element*)> on_result);
  void SendIq(Element iq, std::function<void(const Element*)> on_result);
  void SendIqRaw(Element iq, std::function<void(const Element*)> on_result);

  // client_negotiation.cc: from the stream header to online.
  void OnConnected();
  void OnTlsReady();
  void OpenStream();
  void OnStreamOpen(const std::vector<std::pair<std::string, std::string>>& attrs);
  void OnElement(Element element);
  void OnStreamError(const Element& error);
  void OnFeatures(const Element& features);
  void BindIfOffered();
  void OnResumeReply(const Element& element);
  void OnResumed(uint64_t handled, size_t resent);
  void OnResumeFailed(const std::string& condition, std::optional<uint64_t> handled);
  void OnStartTlsReply(const Element& element);
  void StartSasl(const Element& features);
  void OnSaslReply(const Element& element);
  void Bind();
  void OnBindReply(const Element* reply);
  void OnEnableSmReply(const Element& element);
  void GoOnline();
};

}  // namespace timd::xmpp
