// Builders for API requests that tests send often.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>

#include "tim/v1/common.pb.h"
#include "tim/v1/session.pb.h"
#include "tim/v1/messages.pb.h"
#include "tim/v1/events.pb.h"
#include "timd/api_stubs.h"

namespace timd::test {

// A C2C text message to `peer`, optionally with an idempotency key.
inline tim::v1::SendMessageRequest TextTo(const std::string& peer, const std::string& text,
                                          const std::string& client_msg_id = "") {
  tim::v1::SendMessageRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  auto* elem = request.add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content(text);
  request.set_client_msg_id(client_msg_id);
  return request;
}

// Sends `text` to `peer` and waits for the result (20 s at most).
inline grpc::Status SendText(timd::ApiStubs& stub, const std::string& peer, const std::string& text) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  tim::v1::SendMessageResponse response;
  return stub.messages->SendMessage(&ctx, TextTo(peer, text), &response);
}

// Sends `request` and waits for the result (`timeout` at most).
inline grpc::Status SendWithin(timd::ApiStubs& stubs, const tim::v1::SendMessageRequest& request,
                               tim::v1::SendMessageResponse* response,
                               std::chrono::seconds timeout = std::chrono::seconds(20)) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  return stubs.messages->SendMessage(&ctx, request, response);
}

// Logs `user` in with `sig` (password or token) and waits for the result.
inline grpc::Status LoginWith(timd::ApiStubs& stub, const std::string& user, const std::string& sig,
                              std::chrono::seconds timeout, tim::v1::LoginResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
  tim::v1::LoginRequest request;
  request.set_user_id(user);
  request.set_user_sig(sig);
  return stub.session->Login(&ctx, request, response);
}

// Subscribe from the start of the journal.
inline tim::v1::SubscribeRequest FromStart() {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  return request;
}

}  // namespace timd::test
