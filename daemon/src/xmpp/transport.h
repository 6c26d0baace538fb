// A byte pipe to the XMPP server on libuv: TCP connect (host name resolved
// with uv_getaddrinfo), optional direct TLS, and STARTTLS upgrade on demand.
// TLS uses OpenSSL with memory BIOs; certificates are verified against the
// system store or a configured CA file, including the host name. There is no
// insecure fallback: `verify_peer = false` must be asked for explicitly.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace timd::xmpp {

struct TransportOptions {
  std::string host;                 // TCP host (name or address)
  uint16_t port = 5222;
  bool direct_tls = false;          // TLS right after connect (XEP-0368 style)
  std::string tls_server_name;      // SNI and the name the certificate must match
  std::string ca_file;              // empty: system CA store
  bool verify_peer = true;
  uint64_t connect_timeout_ms = 15000;
};

enum class TransportError {
  kNone,
  kResolve,       // DNS failure
  kConnect,       // refused, unreachable, timeout
  kTls,           // handshake or certificate verification failed
  kIo,            // read/write error or reset
  kClosedByPeer,  // orderly EOF
};

class Transport {
 public:
  struct Callbacks {
    std::function<void()> on_connected;   // TCP up (and TLS up, for direct TLS)
    std::function<void()> on_tls_ready;   // STARTTLS handshake finished
    std::function<void(std::string_view bytes)> on_data;  // plaintext bytes
    // Fires once; the transport is unusable afterwards. `detail` is for logs.
    std::function<void(TransportError error, const std::string& detail)> on_closed;
  };

  Transport(uv_loop_t* loop, TransportOptions options, Callbacks callbacks);
  ~Transport();  // closes without further callbacks
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  void Connect();
  void StartTls();  // after the server's <proceed/>
  void Write(std::string bytes);
  // Flushes pending writes (and TLS close_notify), then closes. on_closed
  // fires with kNone.
  void Close();
  // Closes the socket at once, without flushing or TLS close_notify, like a
  // dropped network. on_closed fires with kIo.
  void Abort();

  bool tls_active() const;
  // TLS version and cipher, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384", for logs.
  std::string tls_description() const;
  // The server's numeric IP address once TCP is up, e.g. "127.0.0.1".
  std::string peer_address() const;
  // Bytes received but not yet handed to on_data: queued in the kernel's
  // socket buffer or buffered as undecrypted TLS. A large figure means the
  // peer is sending faster than we process (e.g. a stored backlog).
  size_t PendingInputBytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timd::xmpp
