#include "domain/own_message_lookup.h"

namespace timd::domain {

Result<store::MessageRecord> FindOwnMessage(store::MessageStore& store, const UserIds& ids,
                                            const std::string& conv_id, tim::v1::ConvType conv_type,
                                            const std::string& msg_id, const std::string& verb) {
  if (conv_type != tim::v1::CONV_C2C) {
    return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported");
  }
  auto peer = ids.ToJid(conv_id);
  if (!peer.ok()) return peer.status();
  if (msg_id.empty()) return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "no msg_id");
  auto record = store.FindByMsgId(msg_id);
  if (!record || record->conv_type != tim::v1::CONV_C2C || record->conv_id != peer.value()) {
    return Status(Code::kNotFound, tim_err::kDatabaseNotFound,
                  "no message " + msg_id + " in the conversation with " + conv_id);
  }
  if (!record->is_from_self) {
    return Status(Code::kPermissionDenied, tim_err::kInterfaceNotSupported,
                  "message " + msg_id + " was sent by " + ids.ToUserId(record->sender) +
                      "; only the sender's own messages can be " + verb);
  }
  return std::move(*record);
}

Status CheckChangeable(const store::MessageRecord& record, const std::string& verb) {
  if (record.status == tim::v1::MSG_REVOKED) {
    return Status(Code::kFailedPrecondition, tim_err::kInvalidOperation,
                  "message " + record.msg_id + " is revoked and cannot be " + verb);
  }
  if (record.status != tim::v1::MSG_SEND_SUCC) {
    return Status(Code::kFailedPrecondition, tim_err::kInvalidOperation,
                  "message " + record.msg_id + " was not sent (status " + std::to_string(record.status) +
                      ") and cannot be " + verb);
  }
  if (record.raw_id.empty()) {  // a copy from another device that carried no id
    return Status(Code::kFailedPrecondition, tim_err::kInterfaceNotSupported,
                  "message " + record.msg_id + " has no id its peer knows it by; it cannot be " + verb);
  }
  return Status::Ok();
}

Status NotConnectedStatus() {
  return Status(Code::kUnavailable, tim_err::kNetDisconnect, "not connected to the server; try again when online");
}

}  // namespace timd::domain
