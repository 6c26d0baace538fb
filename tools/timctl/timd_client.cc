#include "timd_client.h"

#include <chrono>

#include "socket_path.h"

namespace timctl {

TimdClient::TimdClient(const CommonOptions& options)
    : options_(options), socket_path_(options.socket.empty() ? DefaultSocketPath() : options.socket) {
  channel_ = grpc::CreateChannel("unix:" + socket_path_, grpc::InsecureChannelCredentials());
  stub_ = tim::v1::Timd::NewStub(channel_);
}

void TimdClient::SetDeadline(grpc::ClientContext& ctx) const {
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(options_.timeout_s));
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
}

}  // namespace timctl
