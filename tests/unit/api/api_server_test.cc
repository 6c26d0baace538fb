// The API server end to end in one process: a real uv loop on a thread, a
// real EventBus on a SQLite file, a fake domain Backend, and gRPC clients on
// the Unix socket.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <future>
#include <vector>

#include "api/unix_listener.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "unit/api/api_harness.h"

namespace timd::api {
namespace {

using namespace std::chrono_literals;
using test_support::ApiHarness;
using test_support::LogEvent;

class ApiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/timd-api-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    harness_ = std::make_unique<ApiHarness>(dir_);
    ASSERT_TRUE(harness_->start_status().ok()) << harness_->start_status().message();
    channel_ = grpc::CreateChannel("unix:" + harness_->socket_path(), grpc::InsecureChannelCredentials());
    stub_ = std::make_unique<timd::ApiStubs>(channel_);
  }
  void TearDown() override {
    harness_.reset();
    std::filesystem::remove_all(dir_);
  }

  static void SetDeadline(grpc::ClientContext& ctx) { ctx.set_deadline(std::chrono::system_clock::now() + 10s); }

  // AckEvents(consumer, seq).
  grpc::Status Ack(const std::string& consumer, uint64_t seq) {
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    tim::v1::AckEventsRequest request;
    request.set_consumer(consumer);
    request.set_seq(seq);
    tim::v1::AckEventsResponse response;
    return stub_->events->AckEvents(&ctx, request, &response);
  }

  std::string dir_;
  std::unique_ptr<ApiHarness> harness_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<timd::ApiStubs> stub_;
};

TEST_F(ApiServerTest, SocketFileIsGroupReadWrite) {
  struct stat st{};
  ASSERT_EQ(stat(harness_->socket_path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0660u);
}

TEST_F(ApiServerTest, UnaryRoundTripAndPeerCredentials) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  tim::v1::LoginRequest request;
  request.set_user_id("alice");
  request.set_user_sig("secret");
  tim::v1::LoginResponse response;
  grpc::Status status = stub_->session->Login(&ctx, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.user_id(), "alice");

  grpc::ClientContext ctx2;
  SetDeadline(ctx2);
  tim::v1::GetLoginStatusResponse login_status;
  ASSERT_TRUE(stub_->session->GetLoginStatus(&ctx2, tim::v1::GetLoginStatusRequest(), &login_status).ok());
  EXPECT_EQ(login_status.status(), tim::v1::LOGINED);
  EXPECT_EQ(login_status.user_id(), "alice");

  grpc::ClientContext ctx3;
  SetDeadline(ctx3);
  tim::v1::SendMessageRequest send;
  send.set_conv_id("bob");
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(stub_->messages->SendMessage(&ctx3, send, &sent).ok());
  EXPECT_EQ(sent.message().conv_id(), "bob");

  // The connection was admitted with this process's credentials.
  bool found = false;
  for (int fd = 0; fd < 1024 && !found; ++fd) {
    auto peer = harness_->api().peers().Lookup(fd);
    found = peer && peer->pid == getpid() && peer->uid == getuid();
  }
  EXPECT_TRUE(found);
}

TEST_F(ApiServerTest, ErrorCarriesDetailAndTrailer) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  tim::v1::LoginRequest request;
  request.set_user_id("alice");
  request.set_user_sig("wrong");
  tim::v1::LoginResponse response;
  grpc::Status status = stub_->session->Login(&ctx, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "authentication failed");
  tim::v1::ErrorDetail detail;
  ASSERT_TRUE(detail.ParseFromString(status.error_details()));
  EXPECT_EQ(detail.tim_code(), tim_err::kLoginAuthFailed);
  auto trailers = ctx.GetServerTrailingMetadata();
  auto it = trailers.find("tim-error-code");
  ASSERT_NE(it, trailers.end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "6207");

  grpc::ClientContext ctx2;
  SetDeadline(ctx2);
  tim::v1::GetMessagesResponse messages;
  status = stub_->messages->GetMessages(&ctx2, tim::v1::GetMessagesRequest(), &messages);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ApiServerTest, SubscribeDeliversLiveEventsInOrder) {
  grpc::ClientContext ctx;
  auto reader = stub_->events->Subscribe(&ctx, tim::v1::SubscribeRequest());
  ASSERT_TRUE(harness_->WaitForSubscribers(1));
  auto seqs = harness_->Publish(50, "live");
  for (int i = 0; i < 50; ++i) {
    tim::v1::Event event;
    ASSERT_TRUE(reader->Read(&event)) << i;
    EXPECT_EQ(event.seq(), seqs[static_cast<size_t>(i)]);
    EXPECT_EQ(event.log().text(), "live" + std::to_string(i));
  }
  ctx.TryCancel();
  tim::v1::Event event;
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The cancelled stream gives its subscription back to the bus.
  EXPECT_TRUE(harness_->WaitForSubscribers(0));
}

TEST_F(ApiServerTest, SubscribeSurvivesBurstBeyondQueueLimit) {
  grpc::ClientContext ctx;
  auto reader = stub_->events->Subscribe(&ctx, tim::v1::SubscribeRequest());
  ASSERT_TRUE(harness_->WaitForSubscribers(1));
  // More than the bus's per-subscriber queue: the rest comes from the journal.
  auto seqs = harness_->Publish(3000, "burst");
  for (size_t i = 0; i < seqs.size(); ++i) {
    tim::v1::Event event;
    ASSERT_TRUE(reader->Read(&event)) << i;
    ASSERT_EQ(event.seq(), seqs[i]);
  }
  ctx.TryCancel();
  reader->Finish();
}

// Any bytes as a request to a streaming method, through the generic stub:
// the status and how many messages came back before it.
class RawStreamCall : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  RawStreamCall(grpc::GenericStub& stub, const std::string& method, const std::string& bytes) {
    ctx_.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::Slice slice(bytes);
    request_ = grpc::ByteBuffer(&slice, 1);
    stub.PrepareBidiStreamingCall(&ctx_, method, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    ++messages_;
    StartRead(&response_);
  }
  void OnDone(const grpc::Status& status) override { done_.set_value(status); }

  grpc::Status Wait() { return done_.get_future().get(); }
  int messages() const { return messages_; }  // after Wait()
  const grpc::ClientContext& ctx() const { return ctx_; }

 private:
  grpc::ClientContext ctx_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::atomic<int> messages_{0};
  std::promise<grpc::Status> done_;
};

TEST_F(ApiServerTest, SubscribeWithBytesThatAreNotARequestIsInvalidArgument) {
  harness_->Publish(1, "event");
  grpc::GenericStub stub(channel_);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string("\x0a\x05" "ab"), "malformed protobuf bytes"},  // field 1 claims 5 bytes, 2 follow
      {std::string("\x22\x03" "a\xff" "b"), "text fields must be valid UTF-8"}};  // consumer (4)
  for (const auto& [bytes, reason] : cases) {
    RawStreamCall call(stub, "/tim.v1.Events/Subscribe", bytes);
    grpc::Status status = call.Wait();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << reason;
    EXPECT_EQ(status.error_message(), "request is not a valid tim.v1.SubscribeRequest: " + reason);
    EXPECT_EQ(call.messages(), 0);
    auto trailer = call.ctx().GetServerTrailingMetadata().find("tim-error-code");
    ASSERT_NE(trailer, call.ctx().GetServerTrailingMetadata().end());
    EXPECT_EQ(std::string(trailer->second.data(), trailer->second.size()), "6017");
  }
  // A well-formed request on the same path is served.
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  RawStreamCall served(stub, "/tim.v1.Events/Subscribe", request.SerializeAsString());
  ASSERT_TRUE(harness_->WaitForSubscribers(1));
  harness_->Stop();
  EXPECT_EQ(served.Wait().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(served.messages(), 1);
}

TEST_F(ApiServerTest, SubscribeReplaysSinceSeqThenGoesLive) {
  auto before = harness_->Publish(5, "old");
  grpc::ClientContext ctx;
  tim::v1::SubscribeRequest request;
  request.set_since_seq(before[1]);
  auto reader = stub_->events->Subscribe(&ctx, request);
  for (size_t i = 2; i < 5; ++i) {
    tim::v1::Event event;
    ASSERT_TRUE(reader->Read(&event));
    EXPECT_EQ(event.seq(), before[i]);
  }
  auto after = harness_->Publish(1, "new");
  tim::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), after[0]);
  EXPECT_EQ(event.log().text(), "new0");
  ctx.TryCancel();
  reader->Finish();
}

TEST_F(ApiServerTest, SubscribeFiltersKinds) {
  grpc::ClientContext ctx;
  tim::v1::SubscribeRequest request;
  request.add_kinds(tim::v1::EVENT_KIND_NETWORK_STATUS);
  auto reader = stub_->events->Subscribe(&ctx, request);
  ASSERT_TRUE(harness_->WaitForSubscribers(1));
  harness_->Publish(3, "log");
  uint64_t network_seq = 0;
  harness_->OnLoop([&] {
    tim::v1::Event event;
    event.mutable_network_status()->set_status(tim::v1::NET_CONNECTED);
    network_seq = harness_->bus().Publish(event);
  });
  tim::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), network_seq);
  EXPECT_TRUE(event.has_network_status());
  ctx.TryCancel();
  reader->Finish();
}

// Subscribes with `request` and expects OUT_OF_RANGE; its ErrorDetail.
tim::v1::ErrorDetail OutOfRangeDetail(timd::ApiStubs& stub, const tim::v1::SubscribeRequest& request) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  auto reader = stub.events->Subscribe(&ctx, request);
  tim::v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE);
  tim::v1::ErrorDetail detail;
  EXPECT_TRUE(detail.ParseFromString(status.error_details()));
  auto trailers = ctx.GetServerTrailingMetadata();
  auto code = trailers.find("tim-error-code");
  EXPECT_TRUE(code != trailers.end() && std::string(code->second.data(), code->second.size()) == "7011");
  return detail;
}

TEST_F(ApiServerTest, SinceSeqTooOldIsOutOfRange) {
  auto seqs = harness_->Publish(10, "e");
  ASSERT_TRUE(Ack("away", seqs[1]).ok());
  harness_->OnLoop([&] { store::Journal(harness_->db()).Trim(3); });

  tim::v1::SubscribeRequest request;
  request.set_since_seq(seqs[0]);
  tim::v1::ErrorDetail detail = OutOfRangeDetail(*stub_, request);
  EXPECT_EQ(detail.tim_code(), 7011);  // ERR_SDK_COMM_DATABASE_NOTFOUND
  EXPECT_EQ(detail.oldest_available_seq(), seqs[7]);
  EXPECT_EQ(detail.requested_since_seq(), seqs[0]);

  // A consumer whose stored cursor fell below the floor: the cursor is named.
  tim::v1::SubscribeRequest by_consumer;
  by_consumer.set_consumer("away");
  detail = OutOfRangeDetail(*stub_, by_consumer);
  EXPECT_EQ(detail.tim_code(), 7011);
  EXPECT_EQ(detail.oldest_available_seq(), seqs[7]);
  EXPECT_EQ(detail.requested_since_seq(), seqs[1]);
}

// Reads the next event of a consumer's stream and returns its seq (0 at end).
uint64_t NextSeq(grpc::ClientReaderInterface<tim::v1::Event>& reader) {
  tim::v1::Event event;
  return reader.Read(&event) ? event.seq() : 0;
}

TEST_F(ApiServerTest, ConsumerResumesAfterItsAcknowledgedCursorAcrossRestarts) {
  harness_->Publish(2, "before-first-subscribe");
  {
    grpc::ClientContext ctx;
    tim::v1::SubscribeRequest request;
    request.set_consumer("app-1");
    auto reader = stub_->events->Subscribe(&ctx, request);  // new consumer: starts live
    ASSERT_TRUE(harness_->WaitForSubscribers(1));
    auto seqs = harness_->Publish(3, "e");
    for (uint64_t seq : seqs) EXPECT_EQ(NextSeq(*reader), seq);

    grpc::ClientContext ack_ctx;
    SetDeadline(ack_ctx);
    tim::v1::AckEventsRequest ack;
    ack.set_consumer("app-1");
    ack.set_seq(seqs[1]);
    tim::v1::AckEventsResponse acked;
    ASSERT_TRUE(stub_->events->AckEvents(&ack_ctx, ack, &acked).ok());
    EXPECT_EQ(acked.seq(), seqs[1]);

    grpc::ClientContext older_ctx;
    SetDeadline(older_ctx);
    ack.set_seq(seqs[0]);  // cursors only move forward
    ASSERT_TRUE(stub_->events->AckEvents(&older_ctx, ack, &acked).ok());
    EXPECT_EQ(acked.seq(), seqs[1]);
    ctx.TryCancel();
    reader->Finish();
  }
  auto last = harness_->Publish(1, "while-away");

  // The daemon restarts: the cursor is durable.
  harness_.reset();
  harness_ = std::make_unique<ApiHarness>(dir_);
  ASSERT_TRUE(harness_->start_status().ok());
  channel_ = grpc::CreateChannel("unix:" + harness_->socket_path(), grpc::InsecureChannelCredentials());
  stub_ = std::make_unique<timd::ApiStubs>(channel_);

  grpc::ClientContext ctx;
  tim::v1::SubscribeRequest request;
  request.set_consumer("app-1");
  auto reader = stub_->events->Subscribe(&ctx, request);
  tim::v1::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.log().text(), "e2");  // the first one after the acknowledged "e1"
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.seq(), last[0]);
  ctx.TryCancel();
  reader->Finish();
}

TEST_F(ApiServerTest, AckEventsRejectsBadNamesAndFutureSeqs) {
  auto seqs = harness_->Publish(1, "e");
  auto ack = [&](const std::string& consumer, uint64_t seq) { return Ack(consumer, seq).error_code(); };
  EXPECT_EQ(ack("", seqs[0]), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ack("has space", seqs[0]), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ack(std::string(65, 'a'), seqs[0]), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ack("app", seqs[0] + 1), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(ack("app", seqs[0]), grpc::StatusCode::OK);

  grpc::ClientContext ctx;
  SetDeadline(ctx);
  tim::v1::SubscribeRequest request;
  request.set_consumer("bad/name");
  auto reader = stub_->events->Subscribe(&ctx, request);
  EXPECT_EQ(NextSeq(*reader), 0u);
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ApiServerTest, ReflectionListsEveryTimdService) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel_);
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  auto stream = stub->ServerReflectionInfo(&ctx);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  request.set_file_containing_symbol("tim.v1.Messages");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();

  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  std::vector<std::string> services;
  for (const auto& service : response.list_services_response().service()) services.push_back(service.name());
  for (const char* timd_service : {"tim.v1.Session", "tim.v1.Messages", "tim.v1.Conversations", "tim.v1.Events"}) {
    EXPECT_NE(std::find(services.begin(), services.end(), timd_service), services.end()) << timd_service;
  }
  EXPECT_NE(std::find(services.begin(), services.end(), "grpc.health.v1.Health"), services.end());

  ASSERT_TRUE(stream->Read(&response));
  EXPECT_GT(response.file_descriptor_response().file_descriptor_proto_size(), 0);
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(ApiServerTest, HealthCheckIsServing) {
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ApiServerTest, SecondListenerRefusesWhileServing) {
  Status second;
  harness_->OnLoop([&] {
    UnixListener listener(harness_->loop(), ListenerOptions{harness_->socket_path(), {}, {}},
                          [](int fd, const PeerCredentials&) { close(fd); });
    second = listener.Start();
  });
  EXPECT_FALSE(second.ok());
  // The first server still serves.
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  tim::v1::ListConversationsResponse response;
  EXPECT_TRUE(stub_->conversations->ListConversations(&ctx, tim::v1::ListConversationsRequest(), &response).ok());
}

TEST_F(ApiServerTest, ShutdownEndsStreamsAndPendingCallsQuickly) {
  grpc::ClientContext stream_ctx;
  auto reader = stub_->events->Subscribe(&stream_ctx, tim::v1::SubscribeRequest());
  ASSERT_TRUE(harness_->WaitForSubscribers(1));

  grpc::Status hung_status;
  std::thread hung_call([&] {
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    tim::v1::SendMessageRequest request;
    request.set_conv_id("hang");
    tim::v1::SendMessageResponse response;
    hung_status = stub_->messages->SendMessage(&ctx, request, &response);
  });
  for (int i = 0; i < 500 && harness_->backend().hung_calls == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(harness_->backend().hung_calls, 1u);

  auto start = std::chrono::steady_clock::now();
  harness_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  hung_call.join();
  EXPECT_EQ(hung_status.error_code(), grpc::StatusCode::UNAVAILABLE);

  tim::v1::Event event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  // The socket file we created is gone.
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/timd.sock"));
}

TEST(ApiServerStartTest, ReplacesStaleSocketAndServesLoopbackTcp) {
  char tmpl[] = "/tmp/timd-api-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  // A socket file nobody listens on, as a crashed daemon leaves behind.
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = dir + "/timd.sock";
  std::strcpy(addr.sun_path, path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);

  {
    ApiHarness harness(dir, "127.0.0.1:0");
    ASSERT_TRUE(harness.start_status().ok()) << harness.start_status().message();
    ASSERT_GT(harness.api().tcp_port(), 0);
    for (const std::string& target :
         {"unix:" + path, "127.0.0.1:" + std::to_string(harness.api().tcp_port())}) {
      auto stub = std::make_unique<timd::ApiStubs>(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + 10s);
      ctx.AddMetadata("authorization", std::string("Bearer ") + ApiHarness::kToken);
      tim::v1::GetLoginStatusResponse response;
      EXPECT_TRUE(stub->session->GetLoginStatus(&ctx, tim::v1::GetLoginStatusRequest(), &response).ok()) << target;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(ApiServerStartTest, RefusesNonLoopbackTcp) {
  char tmpl[] = "/tmp/timd-api-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  {
    ApiHarness harness(tmpl, "0.0.0.0:0");
    EXPECT_EQ(harness.start_status().code(), Code::kInvalidArgument);
  }
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace timd::api
