// Requests, responses and Subscribe's events as bytes. gRPC's own parse of a
// request that protobuf refuses (a proto3 string field that is not valid
// UTF-8, or bytes that are not protobuf at all) ends the call with an empty
// UNIMPLEMENTED status; parsing here lets such a request get INVALID_ARGUMENT
// with a TIM code and a reason.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "common/status.h"

namespace timd::api {

// Fills `request` from `raw`. A request that does not parse is
// INVALID_ARGUMENT, TIM 6016 for SendMessage (like its other unsendable text),
// 6017 otherwise.
Status ParseRequest(const grpc::ByteBuffer& raw, google::protobuf::Message& request);

Status SerializeResponse(const google::protobuf::Message& response, grpc::ByteBuffer& raw);

}  // namespace timd::api
