#include "api/raw_messages.h"

#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <string>

#include "tim/v1/messages.pb.h"

namespace timd::api {
namespace {

// Whether `raw` is well-formed protobuf wire format, read without a schema
// (so without the UTF-8 check of string fields).
bool IsWireFormat(const grpc::ByteBuffer& raw) {
  grpc::ByteBuffer bytes(raw);  // shares the slices; the reader needs a mutable buffer
  grpc::ProtoBufferReader reader(&bytes);
  google::protobuf::UnknownFieldSet fields;
  return fields.ParseFromZeroCopyStream(&reader);
}

}  // namespace

Status ParseRequest(const grpc::ByteBuffer& raw, google::protobuf::Message& request) {
  {
    grpc::ByteBuffer bytes(raw);
    grpc::ProtoBufferReader reader(&bytes);
    if (reader.status().ok() && request.ParseFromZeroCopyStream(&reader)) return Status::Ok();
  }
  const bool send_message = request.GetDescriptor() == tim::v1::SendMessageRequest::descriptor();
  const std::string reason = IsWireFormat(raw) ? "text fields must be valid UTF-8" : "malformed protobuf bytes";
  return Status(Code::kInvalidArgument, send_message ? tim_err::kInvalidMsgElem : tim_err::kInvalidParameters,
                "request is not a valid " + request.GetDescriptor()->full_name() + ": " + reason);
}

Status SerializeResponse(const google::protobuf::Message& response, grpc::ByteBuffer& raw) {
  bool own_buffer = false;
  grpc::Status serialized =
      grpc::SerializationTraits<google::protobuf::MessageLite>::Serialize(response, &raw, &own_buffer);
  if (serialized.ok()) return Status::Ok();
  return Status(Code::kInternal, tim_err::kSdkInternalError, "cannot serialize the response");
}

}  // namespace timd::api
