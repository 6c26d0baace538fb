#include "api/api_server.h"

#include <arpa/inet.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/server_posix.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <utility>

namespace timd::api {
namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(1);

Status InvalidAddress(const std::string& address, const std::string& why) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                "api tcp_listen \"" + address + "\": " + why);
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace

Status ValidateLoopbackAddress(const std::string& address) {
  std::string host, port;
  if (address.starts_with('[')) {
    auto close = address.find("]:");
    if (close == std::string::npos) return InvalidAddress(address, "expected [HOST]:PORT");
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    auto colon = address.rfind(':');
    if (colon == std::string::npos) return InvalidAddress(address, "expected HOST:PORT");
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
    return InvalidAddress(address, "invalid port");
  }
  if (!IsLoopbackHost(host)) return InvalidAddress(address, "only loopback addresses are allowed");
  return Status::Ok();
}

ApiServer::ApiServer(uv_loop_t* loop, LoopQueue& queue, domain::Backend& backend, ApiOptions options)
    : options_(std::move(options)),
      service_(queue, backend, peers_),
      listener_(loop, ListenerOptions{options_.socket_path, options_.allow_uids, options_.allow_gids},
                [this](int fd, const PeerCredentials& peer) { OnAccepted(fd, peer); }) {}

ApiServer::~ApiServer() { Shutdown(); }

Status ApiServer::Start() {
  if (!options_.tcp_listen.empty()) {
    Status valid = ValidateLoopbackAddress(options_.tcp_listen);
    if (!valid.ok()) return valid;
  }
  grpc::EnableDefaultHealthCheckService(true);
  // Also keeps the linker from dropping libgrpc++_reflection (--as-needed).
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  if (!options_.tcp_listen.empty()) {
    builder.AddListeningPort(options_.tcp_listen, grpc::InsecureServerCredentials(), &tcp_port_);
  }
  builder.RegisterService(&service_);
  server_ = builder.BuildAndStart();
  if (!server_) return Status(Code::kInternal, tim_err::kSdkInternalError, "cannot start the gRPC server");
  if (!options_.tcp_listen.empty()) {
    if (tcp_port_ == 0) {
      Shutdown();
      return Status(Code::kUnavailable, tim_err::kIoOperationFailed, "cannot listen on " + options_.tcp_listen);
    }
    spdlog::info("api: listening on TCP {} (port {})", options_.tcp_listen, tcp_port_);
  }

  Status listening = listener_.Start();
  if (!listening.ok()) Shutdown();
  return listening;
}

void ApiServer::OnAccepted(int fd, const PeerCredentials& peer) {
  if (!server_) {
    close(fd);
    return;
  }
  peers_.Add(fd, peer);
  grpc::AddInsecureChannelFromFd(server_.get(), fd);
}

void ApiServer::Shutdown() {
  listener_.Stop();
  if (!server_) return;
  service_.BeginShutdown();
  server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  server_.reset();
  spdlog::debug("api: server stopped");
}

}  // namespace timd::api
