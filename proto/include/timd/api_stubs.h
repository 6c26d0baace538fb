// One stub per tim.v1 service, all over one channel: what a C++ client of
// timd holds (client-lib, timctl, tests, benchmarks).
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "tim/v1/conversations.grpc.pb.h"
#include "tim/v1/events.grpc.pb.h"
#include "tim/v1/messages.grpc.pb.h"
#include "tim/v1/session.grpc.pb.h"

namespace timd {

struct ApiStubs {
  explicit ApiStubs(const std::shared_ptr<grpc::ChannelInterface>& channel)
      : session(tim::v1::Session::NewStub(channel)),
        messages(tim::v1::Messages::NewStub(channel)),
        conversations(tim::v1::Conversations::NewStub(channel)),
        events(tim::v1::Events::NewStub(channel)) {}

  const std::unique_ptr<tim::v1::Session::Stub> session;
  const std::unique_ptr<tim::v1::Messages::Stub> messages;
  const std::unique_ptr<tim::v1::Conversations::Stub> conversations;
  const std::unique_ptr<tim::v1::Events::Stub> events;
};

}  // namespace timd
