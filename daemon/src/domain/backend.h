// What the API layer may ask of the domain. Every method runs on the loop
// thread; completions are invoked on the loop thread too (the API layer then
// finishes its gRPC call from there, which the callback API allows).
#pragma once

#include <functional>

#include "common/status.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"
#include "tim/v1/timd.pb.h"

namespace timd::domain {

template <typename T>
using Done = std::function<void(Result<T>)>;

class Backend {
 public:
  virtual ~Backend() = default;

  virtual void Login(const tim::v1::LoginRequest& request, Done<tim::v1::LoginResponse> done) = 0;
  virtual void Logout(Done<tim::v1::LogoutResponse> done) = 0;
  virtual tim::v1::GetLoginStatusResponse GetLoginStatus() = 0;
  virtual void SendMessage(const tim::v1::SendMessageRequest& request,
                           Done<tim::v1::SendMessageResponse> done) = 0;
  virtual Result<tim::v1::GetMessagesResponse> GetMessages(const tim::v1::GetMessagesRequest& request) = 0;
  virtual Result<tim::v1::ListConversationsResponse> ListConversations(
      const tim::v1::ListConversationsRequest& request) = 0;
  virtual events::EventBus& bus() = 0;
  virtual events::ConsumerCursors& consumers() = 0;
};

}  // namespace timd::domain
