#include "timd_client.h"

#include <chrono>

#include "instance_socket.h"
#include "secret_input.h"
#include "socket_path.h"

namespace timctl {

namespace {

std::shared_ptr<grpc::ChannelCredentials> TcpCredentials(const CommonOptions& options) {
  if (options.tcp_ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadWholeFile(options.tcp_ca_file).value_or("");
  return grpc::SslCredentials(ssl);
}

}  // namespace

TimdClient::TimdClient(const CommonOptions& options) : options_(options) {
  if (!options.tcp.empty()) {
    target_ = options.tcp;
    channel_ = grpc::CreateChannel(target_, TcpCredentials(options));
  } else {
    target_ = !options.socket.empty()     ? options.socket
              : !options.instance.empty() ? timclient::InstanceSocketPath(options.instance)
                                          : DefaultSocketPath();
    channel_ = grpc::CreateChannel("unix:" + target_, grpc::InsecureChannelCredentials());
  }
  stubs_ = std::make_unique<timd::ApiStubs>(channel_);
}

void TimdClient::Authorize(grpc::ClientContext& ctx) const {
  if (!options_.token.empty()) ctx.AddMetadata("authorization", "Bearer " + options_.token);
}

void TimdClient::PrepareUnary(grpc::ClientContext& ctx) const {
  Authorize(ctx);
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(options_.timeout_s));
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
}

}  // namespace timctl
