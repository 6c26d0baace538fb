// The unary calls in flight, so that TIMUninit can cancel them and wait
// until each has delivered its result (a TIMCommCallback fires exactly once
// for every call that returned TIM_SUCC).
#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace timclient {

class PendingCalls {
 public:
  // False once CloseAndWait() ran: the call must not start.
  bool Begin(const std::shared_ptr<grpc::ClientContext>& ctx);
  void End(const grpc::ClientContext* ctx);
  // Refuses new calls, cancels those in flight and waits until all ended.
  void CloseAndWait();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<const grpc::ClientContext*, std::shared_ptr<grpc::ClientContext>> calls_;
  bool closed_ = false;
};

}  // namespace timclient
