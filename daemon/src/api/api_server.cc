#include "api/api_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/server_posix.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <utility>

#include "api/token_auth.h"
#include "common/listen_address.h"

namespace timd::api {
namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(1);

CallerLimits PerCaller(const ApiLimits& limits) {
  CallerLimits per_caller;
  per_caller.max_subscribers = limits.max_subscribers_per_caller;
  per_caller.max_calls = limits.max_calls_per_caller;
  per_caller.max_request_bytes =
      std::max(limits.memory_quota_bytes / 4, static_cast<size_t>(limits.max_receive_message_bytes));
  return per_caller;
}

Status ReadPemFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (in.is_open()) content << in.rdbuf();
  if (content.str().empty()) {
    return Status(Code::kFailedPrecondition, tim_err::kIoOperationFailed, "cannot read TLS file " + path);
  }
  out = content.str();
  return Status::Ok();
}

}  // namespace

ApiServer::ApiServer(uv_loop_t* loop, LoopQueue& queue, const domain::Services& domain, ApiOptions options)
    : options_(std::move(options)),
      gate_(queue, peers_, PerCaller(options_.limits)),
      session_service_(gate_, domain.session),
      messages_service_(gate_, domain.messages),
      conversations_service_(gate_, domain.conversations),
      events_service_(gate_, domain.bus, domain.consumers),
      listener_(loop, ListenerOptions{options_.socket_path, options_.allow_uids, options_.allow_gids},
                [this](int fd, const PeerCredentials& peer) { OnAccepted(fd, peer); }) {}

ApiServer::~ApiServer() { Shutdown(); }

Result<std::shared_ptr<grpc::ServerCredentials>> ApiServer::TcpCredentials() const {
  bool tls = !options_.tls_cert_file.empty() || !options_.tls_key_file.empty();
  Status valid = tls ? ValidateListenAddress(options_.tcp_listen) : ValidateLoopbackAddress(options_.tcp_listen);
  if (!valid.ok()) return valid;
  if (options_.tcp_token.empty()) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "api tcp_listen needs a token");
  }
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (tls) {
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    if (options_.tls_cert_file.empty() || options_.tls_key_file.empty()) {
      return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "api: set both tls_cert and tls_key");
    }
    if (Status read = ReadPemFile(options_.tls_key_file, pair.private_key); !read.ok()) return read;
    if (Status read = ReadPemFile(options_.tls_cert_file, pair.cert_chain); !read.ok()) return read;
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back(std::move(pair));
    credentials = grpc::SslServerCredentials(ssl);
  } else {
    // Plain text on the wire, like insecure credentials, but it runs the auth
    // filter (so the token check) and accepts loopback peers only.
    credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
  }
  credentials->SetAuthMetadataProcessor(std::make_shared<BearerTokenProcessor>(options_.tcp_token));
  return credentials;
}

Status ApiServer::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  // Also keeps the linker from dropping libgrpc++_reflection (--as-needed).
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  const ApiLimits& limits = options_.limits;
  grpc::ServerBuilder builder;
  grpc::ResourceQuota quota("timd-api");
  quota.Resize(limits.memory_quota_bytes);
  quota.SetMaxThreads(limits.max_threads);
  builder.SetResourceQuota(quota);
  builder.SetMaxReceiveMessageSize(limits.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, limits.max_streams_per_connection);
  if (!options_.tcp_listen.empty()) {
    auto credentials = TcpCredentials();
    if (!credentials.ok()) return credentials.status();
    builder.AddListeningPort(options_.tcp_listen, credentials.value(), &tcp_port_);
  }
  builder.RegisterService(&session_service_);
  builder.RegisterService(&messages_service_);
  builder.RegisterService(&conversations_service_);
  builder.RegisterService(&events_service_);
  server_ = builder.BuildAndStart();
  if (!server_) return Status(Code::kInternal, tim_err::kSdkInternalError, "cannot start the gRPC server");
  if (!options_.tcp_listen.empty()) {
    if (tcp_port_ == 0) {
      Shutdown();
      return Status(Code::kUnavailable, tim_err::kIoOperationFailed, "cannot listen on " + options_.tcp_listen);
    }
    spdlog::info("api: listening on TCP {} (port {}, {}, bearer token required)", options_.tcp_listen, tcp_port_,
                 options_.tls_cert_file.empty() ? "plain text" : "TLS");
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
  gate_.BeginShutdown();
  server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  server_.reset();
  spdlog::debug("api: server stopped");
}

}  // namespace timd::api
