// The gRPC server of the tim.v1 services, one per TIM manager (plus health
// checking and reflection v1alpha), fed with connections accepted on timd's
// own Unix socket, and optionally listening on a TCP port: loopback in
// plain text, or any address with TLS.
// Every call over TCP (any service) needs the bearer token (token_auth.h);
// Unix-socket callers are admitted by their credentials instead.
//
// Limits (ApiLimits) bound what callers can make the server hold: one
// ResourceQuota (memory, threads) for every connection, the size of a
// received message, concurrent streams per connection (HTTP/2
// SETTINGS_MAX_CONCURRENT_STREAMS: a gRPC client queues further calls
// itself, the server never sees them), and per caller (CallerBudget) its
// Subscribe streams, its unary calls in flight and their requests' bytes
// (a quarter of the quota, at least one largest message): a caller cannot
// fill the shared quota, which, once full, makes gRPC cancel streams of
// every connection and close new ones.
//
// Protocol for the daemon (main.cc / daemon.cc):
//   * Construct, Start() and Shutdown() on the loop thread. The domain, the
//     LoopQueue and the loop must outlive the ApiServer.
//   * Shutdown() blocks the loop thread for at most about one second and does
//     not need the loop to run meanwhile: it first stops accepting, fails the
//     unary calls still waiting for the domain and ends every Subscribe
//     stream with UNAVAILABLE ("timd is shutting down"), so no gRPC handler
//     waits for the loop any more; then grpc::Server::Shutdown gives writes in
//     flight one second before cancelling them.
//   * Call Shutdown() before shutting the domain down. Loop tasks the API
//     posted earlier may still run afterwards (LoopQueue::Close drains them);
//     they hold their own state and only no-op, so destroying the ApiServer
//     right after Shutdown() is fine.
//   * The destructor calls Shutdown() if it has not run (loop thread).
#pragma once

#include <grpcpp/grpcpp.h>
#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/peer_registry.h"
#include "api/call_gate.h"
#include "api/conversations_service.h"
#include "api/events_service.h"
#include "api/messages_service.h"
#include "api/session_service.h"
#include "api/unix_listener.h"
#include "common/loop_queue.h"
#include "common/status.h"
#include "domain/services.h"

namespace timd::api {

struct ApiLimits {
  size_t memory_quota_bytes = 128u << 20;         // all of gRPC's buffers, every connection
  int max_threads = 16;                           // gRPC's threads for synchronous services
  int max_receive_message_bytes = 4 << 20;
  int max_streams_per_connection = 100;           // HTTP/2 concurrent streams
  size_t max_subscribers_per_caller = 64;
  size_t max_calls_per_caller = 256;              // unary calls in flight
};

struct ApiOptions {
  std::string socket_path;
  // HOST:PORT; empty = off. Without TLS, HOST must be loopback.
  std::string tcp_listen;
  std::vector<uint32_t> allow_uids;
  std::vector<uint32_t> allow_gids;
  std::string tcp_token;      // required with tcp_listen (api_token.h)
  std::string tls_cert_file;  // PEM; both or neither: TLS on the TCP port
  std::string tls_key_file;
  ApiLimits limits;
};

class ApiServer {
 public:
  ApiServer(uv_loop_t* loop, LoopQueue& queue, const domain::Services& domain, ApiOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  Status Start();
  void Shutdown();  // idempotent

  const std::string& socket_path() const { return listener_.path(); }
  int tcp_port() const { return tcp_port_; }  // bound port (useful with port 0); 0 when off
  const PeerRegistry& peers() const { return peers_; }

 private:
  void OnAccepted(int fd, const PeerCredentials& peer);
  Result<std::shared_ptr<grpc::ServerCredentials>> TcpCredentials() const;

  ApiOptions options_;
  PeerRegistry peers_;
  // Declared before server_: they must outlive it.
  CallGate gate_;
  SessionService session_service_;
  MessagesService messages_service_;
  ConversationsService conversations_service_;
  EventsService events_service_;
  UnixListener listener_;
  std::unique_ptr<grpc::Server> server_;
  int tcp_port_ = 0;
};

}  // namespace timd::api
