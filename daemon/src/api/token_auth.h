// Bearer-token check for the TCP listener. Installed on that port's server
// credentials, so it runs in gRPC's auth filter before any handler, for every
// service on the port (every tim.v1 service, reflection and health alike). Connections
// fed in from the Unix socket do not pass through it.
#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/security/auth_metadata_processor.h>

#include <string>

namespace timd::api {

inline constexpr char kAuthorizationKey[] = "authorization";
inline constexpr char kBearerPrefix[] = "Bearer ";

class BearerTokenProcessor : public grpc::AuthMetadataProcessor {
 public:
  explicit BearerTokenProcessor(std::string token);
  ~BearerTokenProcessor() override;

  // A string compare: cheap enough for gRPC's own thread.
  bool IsBlocking() const override { return false; }

  // OK for "authorization: Bearer <token>" (compared in constant time), else
  // UNAUTHENTICATED with a message that never contains what was sent. The
  // header is consumed: handlers never see it.
  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata, OutputMetadata* response_metadata) override;

 private:
  std::string expected_;  // "Bearer <token>"
};

}  // namespace timd::api
