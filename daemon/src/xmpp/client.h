// The XMPP client stream (RFC 6120): stream header, STARTTLS, SASL (via
// Sasl), resource binding, stream management (XEP-0198: enable with resume,
// count inbound stanzas, answer <r/>, track outbound acks), and the closing
// handshake. Stanzas that are not stream-level are handed to registered
// handlers (one per XEP module). It knows nothing of TIM or storage.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "xmpp/element.h"
#include "xmpp/jid.h"
#include "xmpp/transport.h"

namespace timd::xmpp {

struct ClientOptions {
  TransportOptions transport;
  std::string domain;         // XMPP domain of the account
  std::string username;       // local part
  std::string password;       // secret: never logged
  std::string resource;       // requested resource; empty = server chooses
  bool allow_plain = true;    // SASL PLAIN, and then only inside TLS
  bool require_tls = true;    // refuse to authenticate without TLS
  bool stream_management = true;
  // Answer interval for our own <r/> requests (ack latency for sends).
  uint64_t ack_request_delay_ms = 0;  // 0 = request an ack right after each send batch
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
};

class Client {
 public:
  struct Callbacks {
    std::function<void(ClientState state)> on_state;
    // Bound (fresh session). `jid` is the full JID the server assigned.
    std::function<void(const Jid& jid)> on_online;
    // The stream ended or never came up; on_state(kDisconnected) follows.
    std::function<void(const ClientCloseInfo& info)> on_closed;
    // Outbound stanzas with sequence number <= `handled` were acknowledged
    // by the server (XEP-0198 <a h=.../>).
    std::function<void(uint64_t handled)> on_acked;
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

  ClientState state() const;
  bool stream_management_enabled() const;
  const Jid& bound_jid() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timd::xmpp
