// RevokeMessage and ModifyMessage calls and event predicates for tests of
// message revoke and modify (issue 15).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <string>

#include "support/event_reader.h"
#include "support/timd_process.h"
#include "tim/v1/common.pb.h"
#include "tim/v1/messages.pb.h"

namespace timd::test {

inline grpc::Status Revoke(const TimdProcess& timd, const std::string& peer, const std::string& msg_id,
                           tim::v1::RevokeMessageResponse* response) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  tim::v1::RevokeMessageRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(msg_id);
  return timd.Stubs()->messages->RevokeMessage(&ctx, request, response);
}

// Replaces the message's content with one text element plus `cloud_custom_str`.
inline grpc::Status ModifyText(const TimdProcess& timd, const std::string& peer, const std::string& msg_id,
                               const std::string& text, tim::v1::ModifyMessageResponse* response,
                               const std::string& cloud_custom_str = "") {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  tim::v1::ModifyMessageRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(msg_id);
  auto* elem = request.add_elems();
  elem->set_type(tim::v1::ELEM_TEXT);
  elem->mutable_text()->set_content(text);
  request.set_cloud_custom_str(cloud_custom_str);
  return timd.Stubs()->messages->ModifyMessage(&ctx, request, response);
}

// The TIM code in a failed call's ErrorDetail; -1 when there is none.
inline int TimCodeOf(const grpc::Status& status) {
  tim::v1::ErrorDetail detail;
  return detail.ParseFromString(status.error_details()) ? detail.tim_code() : -1;
}

// A MsgRevoked event naming `msg_id`.
inline EventReader::Predicate RevokedEvent(const std::string& msg_id) {
  return [msg_id](const tim::v1::Event& e) {
    if (!e.has_msg_revoked()) return false;
    for (const auto& l : e.msg_revoked().locators()) {
      if (l.msg_id() == msg_id) return true;
    }
    return false;
  };
}

// A MessagesUpdated event carrying `msg_id` whose first element reads `text`.
inline EventReader::Predicate UpdatedEvent(const std::string& msg_id, const std::string& text) {
  return [msg_id, text](const tim::v1::Event& e) {
    if (!e.has_messages_updated()) return false;
    for (const auto& m : e.messages_updated().messages()) {
      if (m.msg_id() == msg_id && !m.elems().empty() && m.elems(0).text().content() == text) return true;
    }
    return false;
  };
}

// A NewMessages event carrying `msg_id`.
inline EventReader::Predicate NewMessageEvent(const std::string& msg_id) {
  return [msg_id](const tim::v1::Event& e) {
    if (!e.has_new_messages()) return false;
    for (const auto& m : e.new_messages().messages()) {
      if (m.msg_id() == msg_id) return true;
    }
    return false;
  };
}

}  // namespace timd::test
