// The API's resource limits under a flood of calls, against a real
// ApiServer over real Unix-socket connections.
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "unit/api/api_harness.h"
#include "unit/api/call_flood.h"

namespace timd::api {
namespace {

using namespace std::chrono_literals;
using test_support::ApiHarness;
using test_support::CallFlood;
using test_support::OwnConnection;

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

class ApiLimitsTest : public ::testing::Test {
 protected:
  void Start(ApiOptions options) {
    char tmpl[] = "/tmp/timd-api-limits-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    harness_ = std::make_unique<ApiHarness>(dir_, std::move(options));
    ASSERT_TRUE(harness_->start_status().ok()) << harness_->start_status().message();
  }
  void TearDown() override {
    harness_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::shared_ptr<grpc::Channel> OwnChannel() { return OwnConnection(harness_->socket_path()); }
  // Its own connection too: the flood is on the Unix socket.
  std::shared_ptr<grpc::Channel> TcpChannel() {
    return grpc::CreateChannel("127.0.0.1:" + std::to_string(harness_->api().tcp_port()),
                               grpc::InsecureChannelCredentials());
  }

  // SendMessage to `conv_id` with a text of `text_bytes` (with the TCP token),
  // on a connection of its own.
  static grpc::Status CallOnce(const std::shared_ptr<grpc::Channel>& channel, const std::string& conv_id,
                               size_t text_bytes) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 5s);
    ctx.AddMetadata("authorization", std::string("Bearer ") + ApiHarness::kToken);
    tim::v1::SendMessageRequest request;
    request.set_conv_id(conv_id);
    request.add_elems()->mutable_text()->set_content(std::string(text_bytes, 'y'));
    tim::v1::SendMessageResponse response;
    return tim::v1::Messages::NewStub(channel)->SendMessage(&ctx, request, &response);
  }

  // CallOnce, which must succeed; how long it took.
  static std::chrono::milliseconds TimeCall(const std::shared_ptr<grpc::Channel>& channel,
                                            const std::string& conv_id, size_t text_bytes) {
    auto start = std::chrono::steady_clock::now();
    grpc::Status status = CallOnce(channel, conv_id, text_bytes);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
    return took;
  }

  std::string dir_;
  std::unique_ptr<ApiHarness> harness_;
};

// gRPC's HTTP/2 limit: the server announces SETTINGS_MAX_CONCURRENT_STREAMS
// and the client queues every further call on that connection itself; they
// neither reach the server nor fail before their deadline. Without the
// setting the server would see up to max_calls_per_caller (256) of them.
TEST_F(ApiLimitsTest, CallsBeyondTheConnectionsStreamLimitWaitInTheClient) {
  ApiOptions options;
  options.limits.max_streams_per_connection = 8;
  Start(options);
  auto& backend = harness_->backend();
  CallFlood flood(OwnConnection(harness_->socket_path()), 2000, "hang", 16, std::chrono::system_clock::now() + 20s);
  ASSERT_TRUE(WaitFor([&] { return backend.hung_calls >= 8; }, 5s)) << backend.hung_calls;
  std::this_thread::sleep_for(500ms);  // time for more streams, if any were let through
  EXPECT_EQ(backend.hung_calls, 8u);
  EXPECT_EQ(flood.done(), 0u) << "the calls beyond the limit wait";

  // Another connection is served at once.
  EXPECT_LT(TimeCall(OwnChannel(), "bob", 0), 1s);
  EXPECT_EQ(backend.hung_calls, 8u);

  // Ending the held calls lets queued ones start: a few may still reach the
  // server while the rest are being cancelled, and meet the caller's limit.
  flood.CancelAll();
  ASSERT_TRUE(flood.WaitAllDone(10s));
  auto codes = flood.codes();
  EXPECT_EQ(codes[grpc::StatusCode::CANCELLED] + codes[grpc::StatusCode::RESOURCE_EXHAUSTED], 2000u);
}

// One caller (uid 0 here) holding calls on many connections: beyond
// max_calls_per_caller they fail at once with RESOURCE_EXHAUSTED; another
// caller (the TCP token holder) is served as before.
TEST_F(ApiLimitsTest, CallsInFlightAreCappedPerCaller) {
  ApiOptions options = ApiHarness::TcpOptions("127.0.0.1:0");
  options.limits.max_calls_per_caller = 20;
  Start(options);
  auto& backend = harness_->backend();
  const auto deadline = std::chrono::system_clock::now() + 20s;
  std::vector<std::unique_ptr<CallFlood>> floods;
  for (int i = 0; i < 10; ++i) {
    floods.push_back(std::make_unique<CallFlood>(OwnConnection(harness_->socket_path()), 200, "hang", 16, deadline));
  }
  auto done = [&] {
    size_t n = 0;
    for (auto& flood : floods) n += flood->done();
    return n;
  };
  ASSERT_TRUE(WaitFor([&] { return done() == 1980; }, 15s)) << done() << " done, " << backend.hung_calls << " held";
  EXPECT_EQ(backend.hung_calls, 20u);
  for (auto& flood : floods) {
    auto codes = flood->codes();
    EXPECT_EQ(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], flood->done());
    if (flood->done() == 0) continue;
    EXPECT_NE(flood->message_of(grpc::StatusCode::RESOURCE_EXHAUSTED).find("[api] max_calls_per_caller"),
              std::string::npos)
        << flood->message_of(grpc::StatusCode::RESOURCE_EXHAUSTED);
  }

  EXPECT_LT(TimeCall(TcpChannel(), "bob", 0), 1s);
  EXPECT_EQ(CallOnce(OwnChannel(), "bob", 0).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  // The places come back as the calls finish.
  harness_->OnLoop([&] { backend.CompleteHung(); });
  for (auto& flood : floods) ASSERT_TRUE(flood->WaitAllDone(5s));
  EXPECT_TRUE(CallOnce(OwnChannel(), "bob", 0).ok());
}

// The memory quota is shared by every connection: once gRPC's buffers fill
// it, gRPC cancels streams (RST_STREAM ENHANCE_YOUR_CALM) and closes new
// connections, whoever they belong to. So one caller's requests in flight
// may take only a quarter of it; beyond that its calls fail at once with
// RESOURCE_EXHAUSTED and other callers are served.
TEST_F(ApiLimitsTest, OneCallerCannotFillTheMemoryQuota) {
  ApiOptions options = ApiHarness::TcpOptions("127.0.0.1:0");
  options.limits.memory_quota_bytes = 16u << 20;
  options.limits.max_receive_message_bytes = 1 << 20;
  Start(options);
  auto& backend = harness_->backend();
  const size_t budget = options.limits.memory_quota_bytes / 4;
  const auto deadline = std::chrono::system_clock::now() + 20s;
  std::vector<std::unique_ptr<CallFlood>> floods;  // 8 x 100 x 128 KiB: 100 MiB offered
  for (int i = 0; i < 8; ++i) {
    floods.push_back(
        std::make_unique<CallFlood>(OwnConnection(harness_->socket_path()), 100, "hang", 128 * 1024, deadline));
  }
  auto done = [&] {
    size_t n = 0;
    for (auto& flood : floods) n += flood->done();
    return n;
  };
  ASSERT_TRUE(WaitFor([&] { return done() + backend.hung_calls == 800; }, 15s))
      << done() << " done, " << backend.hung_calls << " held";
  std::printf("memory flood: %zu calls held, %zu request bytes held (budget %zu), %zu refused\n",
              backend.hung_calls.load(), backend.hung_bytes.load(), budget, done());
  EXPECT_LE(backend.hung_bytes, budget);
  EXPECT_GT(backend.hung_bytes, budget - 200 * 1024);  // the budget was used, not a smaller limit
  for (auto& flood : floods) {
    auto codes = flood->codes();
    EXPECT_EQ(codes[grpc::StatusCode::RESOURCE_EXHAUSTED], flood->done());
  }

  // Another caller still gets in, with a large request too.
  EXPECT_LT(TimeCall(TcpChannel(), "bob", 512 * 1024), 1s);
  EXPECT_LT(TimeCall(TcpChannel(), "bob", 0), 1s);
}

}  // namespace
}  // namespace timd::api
