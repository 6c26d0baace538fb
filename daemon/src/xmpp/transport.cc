// Over 500 lines: one class (TCP + TLS on libuv); TLS and the socket share
// every buffer and close path, so a split would only move its state around.
#include "xmpp/transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

#include <array>
#include <cstddef>
#include <utility>

namespace timd::xmpp {
namespace {

// Lets the kernel notice a silently vanished peer even while we are idle.
constexpr unsigned kKeepAliveDelaySeconds = 60;

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    if (!out.empty()) out += "; ";
    out += buf.data();
  }
  return out.empty() ? "unknown TLS error" : out;
}

std::string PeerAddress(const uv_tcp_t* tcp) {
  sockaddr_storage address{};
  int length = sizeof address;
  if (uv_tcp_getpeername(tcp, reinterpret_cast<sockaddr*>(&address), &length) != 0) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET6) {
    uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(&address), text, sizeof text);
  } else {
    uv_ip4_name(reinterpret_cast<const sockaddr_in*>(&address), text, sizeof text);
  }
  return text;
}

// The connection state lives here, shared-owned: libuv closes handles
// asynchronously, so it must outlive the Transport until the last close
// callback. `self_` keeps it alive while any handle or request is open, and
// each libuv callback holds a reference so user callbacks may destroy the
// Transport (or call Close) re-entrantly.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(uv_loop_t* loop, TransportOptions options, Transport::Callbacks callbacks)
      : loop_(loop), options_(std::move(options)), callbacks_(std::move(callbacks)) {}

  ~Connection() {
    if (addresses_ != nullptr) uv_freeaddrinfo(addresses_);
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }

  void Init() {
    self_ = shared_from_this();
    InitTimer(&attempt_timer_);
    InitTimer(&notify_timer_);
  }

  void Connect() {
    if (phase_ != Phase::kIdle) return;
    phase_ = Phase::kResolving;
    resolve_req_.data = this;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    const std::string port = std::to_string(options_.port);
    if (!options_.verify_peer) {
      // Said on every attempt, so a setting meant for a test never goes unnoticed in production.
      spdlog::warn("connecting to {}:{} without verifying the server's TLS certificate (insecure_skip_verify): "
                   "anyone on the network path can read and change this connection",
                   options_.host, options_.port);
    }
    spdlog::debug("transport: resolving {}:{}", options_.host, options_.port);
    int rc = uv_getaddrinfo(loop_, &resolve_req_, &Connection::OnResolved, options_.host.c_str(),
                            port.c_str(), &hints);
    if (rc != 0) {
      Finish(TransportError::kResolve, std::string("cannot resolve ") + options_.host + ": " + uv_strerror(rc));
      return;
    }
    ++open_;
    resolving_ = true;
    StartAttemptTimer();
  }

  void StartTls() {
    if (phase_ != Phase::kOpen || ssl_ != nullptr) return;
    if (!SetUpTls()) return;
    phase_ = Phase::kStartTlsHandshake;
    StartAttemptTimer();
    DriveHandshake();
  }

  void Write(std::string bytes) {
    if (finished_ || closing_ || bytes.empty()) return;
    if (phase_ != Phase::kOpen) {
      pending_plain_ += bytes;
      return;
    }
    if (ssl_ != nullptr) {
      EncryptAndSend(bytes);
    } else {
      SendRaw(std::move(bytes));
    }
  }

  void Close() {
    if (finished_ || closing_) return;
    closing_ = true;
    if (phase_ != Phase::kOpen) {
      Finish(TransportError::kNone, {});
      return;
    }
    uv_read_stop(Stream());
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);  // queues close_notify
      FlushTls();
    }
    socket_->shutdown.data = socket_;
    if (uv_shutdown(&socket_->shutdown, Stream(), &Connection::OnShutdown) != 0) {
      Finish(TransportError::kNone, {});
      return;
    }
    // Do not wait forever for a peer that stopped reading.
    uv_timer_start(&attempt_timer_, &Connection::OnCloseTimeout, 2000, 0);
  }

  void Abort() {
    if (finished_) return;
    closing_ = false;
    Finish(TransportError::kIo, "connection aborted");
  }

  // The owning Transport is gone: no more callbacks, release everything.
  void Detach() {
    detached_ = true;
    finished_ = true;
    CloseSocket();
    if (resolving_) uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_req_));
    CloseTimer(&attempt_timer_);
    CloseTimer(&notify_timer_);
  }

  bool tls_active() const { return ssl_ != nullptr && phase_ == Phase::kOpen; }

  std::string tls_description() const {
    if (!tls_active()) return {};
    return std::string(SSL_get_version(ssl_)) + " " + SSL_get_cipher_name(ssl_);
  }

  const std::string& peer_address() const { return peer_address_; }

  size_t PendingInputBytes() const {
    if (socket_ == nullptr || finished_) return 0;
    size_t pending = net_in_ != nullptr ? BIO_ctrl_pending(net_in_) : 0;
    uv_os_fd_t fd;
    int queued = 0;
    if (uv_fileno(reinterpret_cast<const uv_handle_t*>(&socket_->tcp), &fd) == 0 &&
        ::ioctl(fd, FIONREAD, &queued) == 0 && queued > 0) {
      pending += static_cast<size_t>(queued);
    }
    return pending;
  }

 private:
  enum class Phase { kIdle, kResolving, kConnecting, kDirectTlsHandshake, kStartTlsHandshake, kOpen };

  // One TCP connection attempt; freed in its close callback, after libuv has
  // cancelled the requests embedded here.
  struct Socket {
    uv_tcp_t tcp;
    uv_connect_t connect;
    uv_shutdown_t shutdown;
    Connection* owner;
  };

  struct WriteRequest {
    uv_write_t req;
    std::string data;
    Connection* owner;
  };

  uv_stream_t* Stream() { return reinterpret_cast<uv_stream_t*>(&socket_->tcp); }

  void InitTimer(uv_timer_t* timer) {
    uv_timer_init(loop_, timer);
    timer->data = this;
    ++open_;
  }

  void CloseTimer(uv_timer_t* timer) {
    if (uv_is_closing(reinterpret_cast<uv_handle_t*>(timer))) return;
    uv_close(reinterpret_cast<uv_handle_t*>(timer), [](uv_handle_t* handle) {
      static_cast<Connection*>(handle->data)->Released();
    });
  }

  void CloseSocket() {
    if (socket_ == nullptr) return;
    uv_close(reinterpret_cast<uv_handle_t*>(&socket_->tcp), [](uv_handle_t* handle) {
      auto* socket = reinterpret_cast<Socket*>(handle);
      Connection* owner = socket->owner;
      delete socket;
      owner->Released();
    });
    socket_ = nullptr;
  }

  void Released() {
    if (--open_ == 0) {
      auto last = std::move(self_);  // may destroy *this at scope end
    }
  }

  void StartAttemptTimer() {
    uv_timer_start(&attempt_timer_, &Connection::OnAttemptTimeout, options_.connect_timeout_ms, 0);
  }

  static void OnResolved(uv_getaddrinfo_t* req, int status, addrinfo* result) {
    auto* self = static_cast<Connection*>(req->data);
    auto keep = self->shared_from_this();
    self->resolving_ = false;
    self->Released();
    if (self->finished_) {
      if (result != nullptr) uv_freeaddrinfo(result);
      return;
    }
    if (status != 0) {
      self->Finish(TransportError::kResolve,
                   "cannot resolve " + self->options_.host + ": " + uv_strerror(status));
      return;
    }
    self->addresses_ = result;
    self->next_address_ = result;
    self->phase_ = Phase::kConnecting;
    self->TryNextAddress();
  }

  void TryNextAddress() {
    CloseSocket();
    if (next_address_ == nullptr) {
      Finish(TransportError::kConnect, "cannot connect to " + options_.host + ":" +
                                           std::to_string(options_.port) + ": " + last_connect_error_);
      return;
    }
    const addrinfo* address = next_address_;
    next_address_ = next_address_->ai_next;
    auto* socket = new Socket{};
    socket->owner = this;
    uv_tcp_init(loop_, &socket->tcp);
    ++open_;
    socket_ = socket;
    uv_tcp_nodelay(&socket->tcp, 1);
    uv_tcp_keepalive(&socket->tcp, 1, kKeepAliveDelaySeconds);
    StartAttemptTimer();
    int rc = uv_tcp_connect(&socket->connect, &socket->tcp, address->ai_addr, &Connection::OnConnected);
    if (rc != 0) {
      last_connect_error_ = uv_strerror(rc);
      TryNextAddress();
    }
  }

  static void OnConnected(uv_connect_t* req, int status) {
    auto* socket = reinterpret_cast<Socket*>(reinterpret_cast<char*>(req) - offsetof(Socket, connect));
    Connection* self = socket->owner;
    if (status == UV_ECANCELED || socket != self->socket_ || self->finished_) return;
    auto keep = self->shared_from_this();
    if (status != 0) {
      self->last_connect_error_ = uv_strerror(status);
      self->TryNextAddress();
      return;
    }
    uv_timer_stop(&self->attempt_timer_);
    self->peer_address_ = PeerAddress(&socket->tcp);
    spdlog::debug("transport: TCP connected to {}:{}", self->options_.host, self->options_.port);
    uv_read_start(self->Stream(), &Connection::OnAlloc, &Connection::OnRead);
    if (self->options_.direct_tls) {
      if (!self->SetUpTls()) return;
      self->phase_ = Phase::kDirectTlsHandshake;
      self->StartAttemptTimer();
      self->DriveHandshake();
      return;
    }
    self->BecomeOpen();
  }

  bool SetUpTls() {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (ctx_ == nullptr) return FailTls("cannot create TLS context: " + OpenSslErrors());
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    if (options_.verify_peer) {
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
      if (!options_.ca_file.empty()) {
        if (SSL_CTX_load_verify_locations(ctx_, options_.ca_file.c_str(), nullptr) != 1) {
          return FailTls("cannot load CA file " + options_.ca_file + ": " + OpenSslErrors());
        }
      } else if (SSL_CTX_set_default_verify_paths(ctx_) != 1) {
        return FailTls("cannot load the system CA store: " + OpenSslErrors());
      }
    }
    ssl_ = SSL_new(ctx_);
    if (ssl_ == nullptr) return FailTls("cannot create TLS session: " + OpenSslErrors());
    const std::string& name = options_.tls_server_name.empty() ? options_.host : options_.tls_server_name;
    SSL_set_tlsext_host_name(ssl_, name.c_str());
    if (options_.verify_peer) {
      SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (SSL_set1_host(ssl_, name.c_str()) != 1) return FailTls("invalid TLS server name " + name);
    }
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);  // empty means "wait for more", not EOF
    BIO_set_mem_eof_return(out, -1);
    SSL_set_bio(ssl_, in, out);
    net_in_ = in;
    net_out_ = out;
    SSL_set_connect_state(ssl_);
    return true;
  }

  bool FailTls(std::string detail) {
    Finish(TransportError::kTls, std::move(detail));
    return false;
  }

  void DriveHandshake() {
    ERR_clear_error();
    int rc = SSL_do_handshake(ssl_);
    FlushTls();
    if (rc == 1) {
      const bool direct = phase_ == Phase::kDirectTlsHandshake;
      spdlog::debug("transport: TLS established with {} ({})", options_.host,
                   std::string(SSL_get_version(ssl_)) + " " + SSL_get_cipher_name(ssl_));
      BecomeOpen(direct ? Event::kConnected : Event::kTlsReady);
      return;
    }
    int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    long verify = SSL_get_verify_result(ssl_);
    if (verify != X509_V_OK) {
      Finish(TransportError::kTls, std::string("certificate verification failed: ") +
                                       X509_verify_cert_error_string(verify));
    } else {
      Finish(TransportError::kTls, "TLS handshake failed: " + OpenSslErrors());
    }
  }

  enum class Event { kConnected, kTlsReady };

  void BecomeOpen(Event event = Event::kConnected) {
    uv_timer_stop(&attempt_timer_);
    phase_ = Phase::kOpen;
    if (!pending_plain_.empty()) Write(std::exchange(pending_plain_, {}));
    auto& callback = event == Event::kConnected ? callbacks_.on_connected : callbacks_.on_tls_ready;
    if (callback && !detached_) callback();
    // Application data may have arrived together with the handshake.
    if (ssl_ != nullptr && !finished_ && !detached_) ReadDecrypted();
  }

  static void OnAlloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
    auto* socket = reinterpret_cast<Socket*>(handle);
    Connection* self = socket->owner;
    *buf = uv_buf_init(self->read_buffer_.data(), static_cast<unsigned>(self->read_buffer_.size()));
  }

  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
    auto* socket = reinterpret_cast<Socket*>(stream);
    Connection* self = socket->owner;
    if (socket != self->socket_ || self->finished_ || self->closing_ || nread == 0) return;
    auto keep = self->shared_from_this();
    if (nread == UV_EOF) {
      self->Finish(self->phase_ == Phase::kOpen ? TransportError::kClosedByPeer : self->HandshakeError(),
                   "connection closed by peer");
      return;
    }
    if (nread < 0) {
      self->Finish(TransportError::kIo, std::string("read error: ") + uv_strerror(static_cast<int>(nread)));
      return;
    }
    if (self->ssl_ == nullptr) {
      if (self->callbacks_.on_data) self->callbacks_.on_data(std::string_view(buf->base, nread));
      return;
    }
    BIO_write(self->net_in_, buf->base, static_cast<int>(nread));
    if (self->phase_ == Phase::kOpen) {
      self->ReadDecrypted();
    } else {
      self->DriveHandshake();
    }
  }

  TransportError HandshakeError() const {
    return phase_ == Phase::kDirectTlsHandshake || phase_ == Phase::kStartTlsHandshake ? TransportError::kTls
                                                                                       : TransportError::kClosedByPeer;
  }

  void ReadDecrypted() {
    std::array<char, 16384> plain;
    while (!finished_ && !closing_ && !detached_) {
      ERR_clear_error();
      int n = SSL_read(ssl_, plain.data(), static_cast<int>(plain.size()));
      if (n > 0) {
        if (callbacks_.on_data) callbacks_.on_data(std::string_view(plain.data(), n));
        continue;
      }
      int error = SSL_get_error(ssl_, n);
      if (error == SSL_ERROR_WANT_READ) break;
      if (error == SSL_ERROR_ZERO_RETURN) {
        Finish(TransportError::kClosedByPeer, "TLS closed by peer");
      } else {
        Finish(TransportError::kTls, "TLS read failed: " + OpenSslErrors());
      }
      return;
    }
    FlushTls();  // TLS 1.3 may answer key updates
  }

  void EncryptAndSend(const std::string& bytes) {
    ERR_clear_error();
    int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
    if (n <= 0) {
      Finish(TransportError::kTls, "TLS write failed: " + OpenSslErrors());
      return;
    }
    FlushTls();
  }

  void FlushTls() {
    while (socket_ != nullptr && BIO_ctrl_pending(net_out_) > 0) {
      std::string chunk(BIO_ctrl_pending(net_out_), '\0');
      int n = BIO_read(net_out_, chunk.data(), static_cast<int>(chunk.size()));
      if (n <= 0) break;
      chunk.resize(n);
      SendRaw(std::move(chunk));
    }
  }

  void SendRaw(std::string bytes) {
    if (socket_ == nullptr) return;
    auto* write = new WriteRequest{};
    write->data = std::move(bytes);
    write->owner = this;
    uv_buf_t buf = uv_buf_init(write->data.data(), static_cast<unsigned>(write->data.size()));
    int rc = uv_write(&write->req, Stream(), &buf, 1, &Connection::OnWritten);
    if (rc != 0) {
      delete write;
      Finish(TransportError::kIo, std::string("write failed: ") + uv_strerror(rc));
    }
  }

  static void OnWritten(uv_write_t* req, int status) {
    auto* write = reinterpret_cast<WriteRequest*>(req);
    Connection* self = write->owner;
    delete write;
    if (status == 0 || status == UV_ECANCELED || self->finished_) return;
    auto keep = self->shared_from_this();
    self->Finish(TransportError::kIo, std::string("write failed: ") + uv_strerror(status));
  }

  static void OnShutdown(uv_shutdown_t* req, int) {
    auto* socket = static_cast<Socket*>(req->data);
    Connection* self = socket->owner;
    if (socket != self->socket_ || self->finished_) return;
    auto keep = self->shared_from_this();
    self->Finish(TransportError::kNone, {});
  }

  static void OnAttemptTimeout(uv_timer_t* timer) {
    auto* self = static_cast<Connection*>(timer->data);
    auto keep = self->shared_from_this();
    switch (self->phase_) {
      case Phase::kResolving:
        self->Finish(TransportError::kResolve, "resolving " + self->options_.host + " timed out");
        break;
      case Phase::kConnecting:
        self->last_connect_error_ = "connection timed out";
        self->TryNextAddress();
        break;
      case Phase::kDirectTlsHandshake:
      case Phase::kStartTlsHandshake:
        self->Finish(TransportError::kTls, "TLS handshake timed out");
        break;
      default:
        break;
    }
  }

  static void OnCloseTimeout(uv_timer_t* timer) {
    auto* self = static_cast<Connection*>(timer->data);
    auto keep = self->shared_from_this();
    self->Finish(TransportError::kNone, {});
  }

  // Tears the connection down and reports on the next loop turn, so on_closed
  // never runs inside a caller's Write/Close/StartTls.
  void Finish(TransportError error, std::string detail) {
    if (finished_) return;
    finished_ = true;
    if (closing_) error = TransportError::kNone;
    if (error != TransportError::kNone) {
      spdlog::debug("transport: {}:{} closed: {}", options_.host, options_.port, detail);
    }
    uv_timer_stop(&attempt_timer_);
    if (resolving_) uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_req_));
    CloseSocket();
    close_error_ = error;
    close_detail_ = std::move(detail);
    uv_timer_start(&notify_timer_, &Connection::OnNotifyClosed, 0, 0);
  }

  static void OnNotifyClosed(uv_timer_t* timer) {
    auto* self = static_cast<Connection*>(timer->data);
    auto keep = self->shared_from_this();
    if (self->detached_ || !self->callbacks_.on_closed) return;
    auto on_closed = std::move(self->callbacks_.on_closed);  // fires at most once
    on_closed(self->close_error_, self->close_detail_);
  }

  uv_loop_t* loop_;
  TransportOptions options_;
  Transport::Callbacks callbacks_;
  std::shared_ptr<Connection> self_;
  int open_ = 0;  // handles and requests libuv still references

  Phase phase_ = Phase::kIdle;
  bool closing_ = false;
  bool finished_ = false;
  bool detached_ = false;
  TransportError close_error_ = TransportError::kNone;
  std::string close_detail_;

  uv_getaddrinfo_t resolve_req_{};
  bool resolving_ = false;
  addrinfo* addresses_ = nullptr;
  const addrinfo* next_address_ = nullptr;
  std::string last_connect_error_ = "no address";
  std::string peer_address_;
  Socket* socket_ = nullptr;
  uv_timer_t attempt_timer_{};
  uv_timer_t notify_timer_{};
  std::array<char, 65536> read_buffer_{};
  std::string pending_plain_;  // written before the stream was ready

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* net_in_ = nullptr;   // ciphertext from the network, owned by ssl_
  BIO* net_out_ = nullptr;  // ciphertext to the network, owned by ssl_
};

}  // namespace

struct Transport::Impl {
  std::shared_ptr<Connection> connection;
};

Transport::Transport(uv_loop_t* loop, TransportOptions options, Callbacks callbacks)
    : impl_(std::make_unique<Impl>()) {
  impl_->connection = std::make_shared<Connection>(loop, std::move(options), std::move(callbacks));
  impl_->connection->Init();
}

Transport::~Transport() { impl_->connection->Detach(); }

void Transport::Connect() { impl_->connection->Connect(); }
void Transport::StartTls() { impl_->connection->StartTls(); }
void Transport::Write(std::string bytes) { impl_->connection->Write(std::move(bytes)); }
void Transport::Close() { impl_->connection->Close(); }
void Transport::Abort() { impl_->connection->Abort(); }
bool Transport::tls_active() const { return impl_->connection->tls_active(); }
std::string Transport::tls_description() const { return impl_->connection->tls_description(); }
std::string Transport::peer_address() const { return impl_->connection->peer_address(); }
size_t Transport::PendingInputBytes() const { return impl_->connection->PendingInputBytes(); }

}  // namespace timd::xmpp
