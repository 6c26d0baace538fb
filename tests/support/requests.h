// Builders for API requests that tests send often.
#pragma once

#include <string>

#include "tim/v1/timd.pb.h"

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

// Subscribe from the start of the journal.
inline tim::v1::SubscribeRequest FromStart() {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  return request;
}

}  // namespace timd::test
