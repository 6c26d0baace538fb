// The XMPP client stream (RFC 6120): stream header, STARTTLS, SASL (via
// Sasl), resource binding, stream management (XEP-0198, via
// StreamManagement: acks and resuming a dropped session), liveness probes,
// and the closing handshake. Stanzas that are not stream-level are handed to
// registered handlers (one per XEP module). It knows nothing of TIM or storage.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/element.h"
#include "xmpp/endpoint_locator.h"
#include "xmpp/jid.h"
#include "xmpp/stream_management.h"
#include "xmpp/transport.h"

namespace timd::xmpp {

struct ClientOptions {
  // transport.host empty: the server is found by DNS SRV for `domain`
  // (EndpointLocator), each endpoint's TLS mode and port from its record,
  // and the certificate always checked against `domain`.
  TransportOptions transport;
  std::vector<std::string> dns_servers;  // for the SRV lookup; empty = the system's resolver
  std::string domain;         // XMPP domain of the account
  std::string username;       // local part
  std::string password;       // secret: never logged
  std::string resource;       // requested resource; empty = server chooses
  bool allow_plain = true;    // SASL PLAIN, and then only inside TLS
  bool require_tls = true;    // refuse to authenticate without TLS
  bool stream_management = true;
  // Answer interval for our own <r/> requests (ack latency for sends).
  uint64_t ack_request_delay_ms = 0;  // 0 = request an ack right after each send batch
  // Resume this session (XEP-0198) instead of binding; on <failed/> the
  // client binds afresh. Sequence numbers continue from outbound_sent.
  std::optional<ResumeState> resume;
  // Liveness: after ping_interval_ms without any inbound byte, send <r/> (SM)
  // or an XEP-0199 ping; without an answer within ping_timeout_ms, drop the
  // connection with kPingTimeout (keeping the session resumable). 0 = off.
  uint64_t ping_interval_ms = 30000;
  uint64_t ping_timeout_ms = 30000;
};

enum class ClientState {
  kDisconnected,
  kConnecting,      // TCP/TLS/stream/SASL/bind in progress
  kOnline,          // bound (and SM enabled if offered)
  kClosing,
};

// Why the stream ended (or failed to come up).
enum class ClientError {
  kNone,               // closed on request
  kNetwork,            // connect/resolve/IO failure or peer closed
  kTls,                // TLS handshake or certificate verification failed
  kTlsRequired,        // server offers no TLS while we require it
  kAuthNotAuthorized,  // SASL <not-authorized/> (or any other SASL failure)
  kAuthCredentialsExpired,  // SASL <credentials-expired/>
  kAuthAccountDisabled,     // SASL <account-disabled/>
  kAuthNoMechanism,    // no acceptable SASL mechanism offered
  kConflict,           // stream error <conflict/>: replaced by another login
  kStreamError,        // any other stream error from the server
  kMalformedXml,       // the server sent bytes that are not a valid XMPP stream
  kBindFailed,
  kTimeout,            // negotiation did not finish in time
  kPingTimeout,        // the server stopped answering while online
};

const char* ToString(ClientError error);

struct ClientCloseInfo {
  ClientError error = ClientError::kNone;
  std::string detail;  // human-readable; never contains secrets
};

// A module that consumes stanzas (message, presence, iq) addressed to it.
class StanzaHandler {
 public:
  virtual ~StanzaHandler() = default;
  // Return true when the stanza was consumed (later handlers are skipped).
  virtual bool HandleStanza(const Element& stanza) = 0;
  // The XEP-0030 features this module implements, which timd then
  // advertises in disco#info and its XEP-0115 hash (see FeatureRegistry).
  virtual std::vector<std::string> DiscoFeatures() const { return {}; }
};

class Client {
 public:
  struct Callbacks {
    std::function<void(ClientState state)> on_state;
    // Found by SRV (transport.host empty): connecting to `endpoint`; and
    // `endpoint` could not be reached (`why`), the next one is tried.
    std::function<void(const Endpoint& endpoint)> on_endpoint;
    std::function<void(const Endpoint& endpoint, const std::string& why)> on_endpoint_failed;
    // Bound (fresh session). `jid` is the full JID the server assigned.
    std::function<void(const Jid& jid)> on_online;
    // The session given in ClientOptions::resume was resumed: stanzas the
    // server queued meanwhile follow, unacknowledged outbound stanzas were
    // resent (keeping their sequence numbers). Fires instead of on_online.
    std::function<void(const Jid& jid)> on_resumed;
    // The server refused the resume (`condition`, e.g. "item-not-found").
    // The stanzas in ResumeState::unacked that on_acked has not covered
    // will never be acknowledged: they may or may not have been delivered.
    // The client goes on to bind a fresh session (on_online follows) and
    // keeps numbering from outbound_sent.
    std::function<void(const std::string& condition)> on_resume_failed;
    // The stream ended or never came up; on_state(kDisconnected) follows.
    std::function<void(const ClientCloseInfo& info)> on_closed;
    // Outbound stanzas with sequence number <= `handled` were acknowledged
    // by the server (XEP-0198 <a h=.../>).
    std::function<void(uint64_t handled)> on_acked;
    // The server asked for an ack (XEP-0198 <r/>). When set, the client
    // does not answer by itself: the owner calls Ack() once every stanza
    // handed out so far is safe (e.g. committed), so the server never drops
    // a stanza that could still be lost here. Requests that arrive before
    // Ack() share its answer. Unset: answered at once.
    std::function<void()> on_ack_requested;
  };

  Client(uv_loop_t* loop, ClientOptions options, Callbacks callbacks);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Handlers are not owned and must outlive the client.
  void AddHandler(StanzaHandler* handler);

  void Connect();
  // Polite close: answers pending acks, sends </stream:stream>, waits briefly
  // for the server's close, then closes the transport. on_closed(kNone).
  void Disconnect();

  // Sends a stanza. Returns its outbound sequence number (1, 2, ...), which
  // on_acked later covers; 0 when not online (nothing is sent).
  uint64_t Send(const Element& stanza);

  // Sends an <iq>; `on_result` receives the result or error stanza (or
  // nullptr when the stream ended first). Assigns the id if empty.
  void SendIq(Element iq, std::function<void(const Element* reply)> on_result);

  // Sends a nonza (a stream-level element such as XEP-0352's <active/>):
  // not a stanza, so stream management neither counts nor resends it.
  // No-op unless online.
  void SendNonza(const Element& nonza);

  // Answers the server's ack request with everything handled so far
  // (see Callbacks::on_ack_requested). No-op unless online with SM.
  void Ack();

  ClientState state() const;
  // Where the current (or last) connection goes; its address once TCP is up.
  const Endpoint& endpoint() const;
  bool stream_management_enabled() const;
  const Jid& bound_jid() const;
  // The <stream:features/> of the current stream after authentication
  // (what the server offers the bound session, e.g. XEP-0352's <csi/>).
  const Element& stream_features() const;
  // Transport::PendingInputBytes of the current connection; 0 without one.
  size_t PendingInputBytes() const;

  // The session as it stands, for a later resume; nothing when there is no
  // resumable SM session (never enabled, closed politely with Disconnect,
  // ended by a stream error, or refused). Valid during and after on_closed.
  // Connect() on this same client also resumes from it when present.
  std::optional<ResumeState> resume_state() const;

  // Probes the server now instead of after ping_interval_ms of silence, e.g.
  // because the network changed under the connection: without an answer in
  // ping_timeout_ms the connection is dropped (kPingTimeout). Online only.
  void CheckLiveness();

  // Closes the socket without closing the stream, like a dropped network
  // (on_closed with kNetwork, `why` in its detail); the session stays
  // resumable. For when the owner cannot go on with this stream.
  void DropConnection(const std::string& why);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timd::xmpp
