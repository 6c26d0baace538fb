// The TCP listener's bearer token, TLS, and the server's resource limits,
// against a real ApiServer over real sockets.
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "unit/api/api_harness.h"

namespace timd::api {
namespace {

using namespace std::chrono_literals;
using test_support::ApiHarness;

std::string ScratchDir() {
  char tmpl[] = "/tmp/timd-api-tcp-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

void SetDeadline(grpc::ClientContext& ctx) { ctx.set_deadline(std::chrono::system_clock::now() + 10s); }

// "" = no authorization metadata at all.
void Authorize(grpc::ClientContext& ctx, const std::string& authorization) {
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
}

const std::string kGoodAuthorization = std::string("Bearer ") + ApiHarness::kToken;

grpc::Status CallGetLoginStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& authorization) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, authorization);
  tim::v1::GetLoginStatusResponse response;
  return tim::v1::Session::NewStub(channel)->GetLoginStatus(&ctx, {}, &response);
}

grpc::Status CallSubscribe(const std::shared_ptr<grpc::Channel>& channel, const std::string& authorization) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, authorization);
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  auto reader = tim::v1::Events::NewStub(channel)->Subscribe(&ctx, request);
  tim::v1::Event event;
  if (reader->Read(&event)) return grpc::Status::OK;  // the stream is served
  return reader->Finish();
}

grpc::Status CallHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& authorization) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, authorization);
  grpc::health::v1::HealthCheckResponse response;
  return grpc::health::v1::Health::NewStub(channel)->Check(&ctx, {}, &response);
}

grpc::Status CallReflection(const std::shared_ptr<grpc::Channel>& channel, const std::string& authorization) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, authorization);
  auto stream = grpc::reflection::v1alpha::ServerReflection::NewStub(channel)->ServerReflectionInfo(&ctx);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  stream->Write(request);
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  while (stream->Read(&response)) {
  }
  return stream->Finish();
}

class ApiTcpTest : public ::testing::Test {
 protected:
  void Start(ApiOptions options) {
    dir_ = ScratchDir();
    harness_ = std::make_unique<ApiHarness>(dir_, std::move(options));
    ASSERT_TRUE(harness_->start_status().ok()) << harness_->start_status().message();
    unix_ = grpc::CreateChannel("unix:" + harness_->socket_path(), grpc::InsecureChannelCredentials());
    if (harness_->api().tcp_port() > 0) {
      tcp_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(harness_->api().tcp_port()),
                                 grpc::InsecureChannelCredentials());
    }
  }
  void TearDown() override {
    harness_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<ApiHarness> harness_;
  std::shared_ptr<grpc::Channel> unix_;
  std::shared_ptr<grpc::Channel> tcp_;
};

TEST_F(ApiTcpTest, EveryTcpCallNeedsTheTokenUnixCallsDoNot) {
  Start(ApiHarness::TcpOptions("127.0.0.1:0"));
  harness_->Publish(1, "event");
  using Call = grpc::Status (*)(const std::shared_ptr<grpc::Channel>&, const std::string&);
  const std::vector<std::pair<const char*, Call>> calls = {{"GetLoginStatus", &CallGetLoginStatus},
                                                           {"Subscribe", &CallSubscribe},
                                                           {"Health.Check", &CallHealth},
                                                           {"Reflection", &CallReflection}};
  const std::string wrong = std::string("Bearer ") + std::string(64, 'f');
  for (const auto& [name, call] : calls) {
    grpc::Status none = call(tcp_, "");
    EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name << ": " << none.error_message();
    EXPECT_NE(none.error_message().find("authorization: Bearer <token>"), std::string::npos) << name;

    grpc::Status bad = call(tcp_, wrong);
    EXPECT_EQ(bad.error_code(), grpc::StatusCode::UNAUTHENTICATED) << name;
    EXPECT_EQ(bad.error_message().find(std::string(64, 'f')), std::string::npos) << name;

    grpc::Status good = call(tcp_, kGoodAuthorization);
    EXPECT_TRUE(good.ok()) << name << ": " << good.error_code() << " " << good.error_message();
    grpc::Status local = call(unix_, "");
    EXPECT_TRUE(local.ok()) << name << " over the Unix socket: " << local.error_message();
  }
}

TEST_F(ApiTcpTest, TcpWithoutTokenOrOnNonLoopbackWithoutTlsDoesNotStart) {
  std::string dir = ScratchDir();
  ApiOptions no_token;
  no_token.tcp_listen = "127.0.0.1:0";
  EXPECT_EQ(ApiHarness(dir, no_token).start_status().code(), Code::kInvalidArgument);
  ApiHarness any_address(dir, "0.0.0.0:0");
  EXPECT_EQ(any_address.start_status().code(), Code::kInvalidArgument);
  EXPECT_NE(any_address.start_status().message().find("tls_cert"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A self-signed certificate for localhost / 127.0.0.1, made with the openssl CLI.
bool MakeCertificate(const std::string& dir) {
  std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
                        "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
                        dir + "/key.pem -out " + dir + "/cert.pem 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(ApiTcpTest, TlsServesAnyAddressWithTheToken) {
  std::string certs = ScratchDir();
  ASSERT_TRUE(MakeCertificate(certs));
  ApiOptions options = ApiHarness::TcpOptions("0.0.0.0:0");
  options.tls_cert_file = certs + "/cert.pem";
  options.tls_key_file = certs + "/key.pem";
  Start(options);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadText(certs + "/cert.pem");
  // An address, not "localhost": a name would go through gRPC's c-ares
  // resolver, whose Debian 12 build leaks a few bytes under LeakSanitizer.
  // The certificate names IP:127.0.0.1 too.
  auto tls = grpc::CreateChannel("127.0.0.1:" + std::to_string(harness_->api().tcp_port()),
                                 grpc::SslCredentials(ssl));
  EXPECT_TRUE(CallGetLoginStatus(tls, kGoodAuthorization).ok());
  EXPECT_EQ(CallGetLoginStatus(tls, "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // Plain text on the TLS port does not get through.
  EXPECT_FALSE(CallGetLoginStatus(tcp_, kGoodAuthorization).ok());
  std::filesystem::remove_all(certs);
}

TEST_F(ApiTcpTest, SubscribeStreamsAreCappedPerCaller) {
  ApiOptions options = ApiHarness::TcpOptions("127.0.0.1:0");
  options.limits.max_subscribers_per_caller = 3;
  Start(options);
  auto stub = std::make_unique<timd::ApiStubs>(unix_);
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<tim::v1::Event>>> streams;
  auto open = [&](timd::ApiStubs& on, const std::string& authorization) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    Authorize(*contexts.back(), authorization);
    streams.push_back(on.events->Subscribe(contexts.back().get(), tim::v1::SubscribeRequest()));
    return streams.back().get();
  };
  for (int i = 0; i < 3; ++i) open(*stub, "");
  ASSERT_TRUE(harness_->WaitForSubscribers(3));

  auto* refused = open(*stub, "");
  tim::v1::Event event;
  EXPECT_FALSE(refused->Read(&event));
  grpc::Status status = refused->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("max_subscribers_per_caller"), std::string::npos) << status.error_message();
  streams.pop_back();  // finished
  contexts.pop_back();

  // Another caller (the TCP token holder) still subscribes and gets events.
  auto tcp_stub = std::make_unique<timd::ApiStubs>(tcp_);
  auto* other = open(*tcp_stub, kGoodAuthorization);
  ASSERT_TRUE(harness_->WaitForSubscribers(4));
  harness_->Publish(1, "to everyone");
  ASSERT_TRUE(other->Read(&event));
  EXPECT_EQ(event.log().text(), "to everyone0");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(streams[static_cast<size_t>(i)]->Read(&event));
    EXPECT_EQ(event.log().text(), "to everyone0");
  }

  // Closing one of the three gives its place back. The server frees it when
  // it has finished the cancelled call, which the client cannot observe: a
  // reopen right after the cancel may still be refused, so it is retried.
  contexts[0]->TryCancel();
  EXPECT_EQ(streams[0]->Finish().error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_TRUE(harness_->WaitForSubscribers(3));
  auto* again = open(*stub, "");
  for (int attempt = 0; attempt < 50 && !harness_->WaitForSubscribers(4, 100ms); ++attempt) {
    contexts.back()->TryCancel();  // in case it was taken after all, only slowly
    grpc::StatusCode code = again->Finish().error_code();
    EXPECT_TRUE(code == grpc::StatusCode::RESOURCE_EXHAUSTED || code == grpc::StatusCode::CANCELLED) << code;
    streams.pop_back();
    contexts.pop_back();
    ASSERT_TRUE(harness_->WaitForSubscribers(3));
    again = open(*stub, "");
  }
  ASSERT_TRUE(harness_->WaitForSubscribers(4));
  harness_->Publish(1, "later");
  ASSERT_TRUE(again->Read(&event));
  EXPECT_EQ(event.log().text(), "later0");
  for (size_t i = 1; i < contexts.size(); ++i) contexts[i]->TryCancel();
  for (size_t i = 1; i < streams.size(); ++i) streams[i]->Finish();
}

TEST_F(ApiTcpTest, OversizedRequestIsRefused) {
  ApiOptions options;
  options.limits.max_receive_message_bytes = 64 * 1024;
  Start(options);
  tim::v1::SendMessageRequest request;
  request.set_conv_id("bob");
  request.add_elems()->mutable_text()->set_content(std::string(100 * 1024, 'x'));
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  tim::v1::SendMessageResponse response;
  grpc::Status status = tim::v1::Messages::NewStub(unix_)->SendMessage(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  // A normal request on the same server still works.
  EXPECT_TRUE(CallGetLoginStatus(unix_, "").ok());
}

}  // namespace
}  // namespace timd::api
