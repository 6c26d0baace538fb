// The API server in one process for tests: a real uv loop on a thread, a
// real EventBus on a SQLite file, a fake domain (FakeDomain).
#pragma once

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/api_server.h"
#include "common/loop_queue.h"
#include "domain/services.h"
#include "events/consumer_cursors.h"
#include "events/event_bus.h"
#include "store/database.h"
#include "store/journal.h"
#include "tim/v1/common.pb.h"
#include "tim/v1/session.pb.h"
#include "tim/v1/messages.pb.h"
#include "tim/v1/conversations.pb.h"
#include "tim/v1/events.pb.h"
#include "timd/api_stubs.h"

namespace timd::api::test_support {

using namespace std::chrono_literals;

// Every manager's calls, answered from memory; SendMessage to "hang" never
// completes (until the server shuts down): hung_calls and hung_bytes count
// what it holds.
class FakeDomain : public domain::SessionCalls, public domain::MessageCalls, public domain::ConversationCalls {
 public:
  FakeDomain(events::EventBus& bus, store::Settings& settings) : bus_(bus), consumers_(settings, bus) {}
  domain::Services services() { return {*this, *this, *this, bus_, consumers_}; }

  void Login(const tim::v1::LoginRequest& request, domain::Done<tim::v1::LoginResponse> done) override {
    if (request.user_sig() != "secret") {
      done(Status(Code::kUnauthenticated, tim_err::kLoginAuthFailed, "authentication failed"));
      return;
    }
    user_ = request.user_id();
    tim::v1::LoginResponse response;
    response.set_user_id(user_);
    done(response);
  }
  void Logout(domain::Done<tim::v1::LogoutResponse> done) override {
    user_.clear();
    done(tim::v1::LogoutResponse());
  }
  tim::v1::GetLoginStatusResponse GetLoginStatus() override {
    tim::v1::GetLoginStatusResponse response;
    response.set_status(user_.empty() ? tim::v1::UNLOGINED : tim::v1::LOGINED);
    response.set_user_id(user_);
    return response;
  }
  void SendMessage(const tim::v1::SendMessageRequest& request,
                   domain::Done<tim::v1::SendMessageResponse> done) override {
    if (request.conv_id() == "hang") {
      hung_.push_back(std::move(done));
      hung_bytes += request.ByteSizeLong();
      ++hung_calls;
      return;
    }
    tim::v1::SendMessageResponse response;
    response.mutable_message()->set_conv_id(request.conv_id());
    done(response);
  }
  // Loop thread: completes every hung SendMessage.
  void CompleteHung() {
    for (auto& done : hung_) done(tim::v1::SendMessageResponse());
    hung_.clear();
    hung_calls = 0;
    hung_bytes = 0;
  }
  void GetMessages(const tim::v1::GetMessagesRequest&, domain::Done<tim::v1::GetMessagesResponse> done) override {
    done(Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in"));
  }
  void RevokeMessage(const tim::v1::RevokeMessageRequest&, domain::Done<tim::v1::RevokeMessageResponse> done) override {
    done(Status(Code::kNotFound, tim_err::kDatabaseNotFound, "no such message"));
  }
  void ModifyMessage(const tim::v1::ModifyMessageRequest&, domain::Done<tim::v1::ModifyMessageResponse> done) override {
    done(Status(Code::kNotFound, tim_err::kDatabaseNotFound, "no such message"));
  }
  Result<tim::v1::FindMessagesResponse> FindMessages(const tim::v1::FindMessagesRequest&) override {
    return tim::v1::FindMessagesResponse();
  }
  Result<tim::v1::FindMessagesByLocatorResponse> FindMessagesByLocator(
      const tim::v1::FindMessagesByLocatorRequest&) override {
    return tim::v1::FindMessagesByLocatorResponse();
  }
  void DeleteMessages(const tim::v1::DeleteMessagesRequest&, domain::Done<tim::v1::DeleteMessagesResponse> done) override {
    done(Status(Code::kNotFound, tim_err::kDatabaseNotFound, "no such message"));
  }
  void ClearHistory(const tim::v1::ClearHistoryRequest&, domain::Done<tim::v1::ClearHistoryResponse> done) override {
    done(tim::v1::ClearHistoryResponse());
  }
  void SetLocalCustomData(const tim::v1::SetLocalCustomDataRequest&,
                          domain::Done<tim::v1::SetLocalCustomDataResponse> done) override {
    done(Status(Code::kNotFound, tim_err::kDatabaseNotFound, "no such message"));
  }
  Result<tim::v1::SearchLocalMessagesResponse> SearchLocalMessages(
      const tim::v1::SearchLocalMessagesRequest&) override {
    return tim::v1::SearchLocalMessagesResponse();
  }
  void ImportMessages(const tim::v1::ImportMessagesRequest&, domain::Done<tim::v1::ImportMessagesResponse> done) override {
    done(tim::v1::ImportMessagesResponse());
  }
  void BatchSend(const tim::v1::BatchSendRequest&, domain::Done<tim::v1::BatchSendResponse> done) override {
    done(tim::v1::BatchSendResponse());
  }
  void DownloadElemToPath(const tim::v1::DownloadElemToPathRequest&,
                          domain::Done<tim::v1::DownloadElemToPathResponse> done) override {
    done(Status(Code::kUnavailable, tim_err::kFileTransDownloadFailed, "nothing to download"));
  }
  void CancelSend(const tim::v1::CancelSendRequest&, domain::Done<tim::v1::CancelSendResponse> done) override {
    done(Status(Code::kNotFound, tim_err::kDatabaseNotFound, "no such message"));
  }
  Result<tim::v1::ListConversationsResponse> ListConversations(const tim::v1::ListConversationsRequest&) override {
    return tim::v1::ListConversationsResponse();
  }
  // Read state: as when logged out.
  void ReportRead(const tim::v1::ReportReadRequest&, domain::Done<tim::v1::ReportReadResponse> done) override {
    done(NotLoggedIn());
  }
  void SendMessageReadReceipts(const tim::v1::SendMessageReadReceiptsRequest&,
                               domain::Done<tim::v1::SendMessageReadReceiptsResponse> done) override {
    done(NotLoggedIn());
  }
  Result<tim::v1::GetMessageReadReceiptsResponse> GetMessageReadReceipts(
      const tim::v1::GetMessageReadReceiptsRequest&) override {
    return NotLoggedIn();
  }
  void MarkAllMessageAsRead(const tim::v1::MarkAllMessageAsReadRequest&,
                            domain::Done<tim::v1::MarkAllMessageAsReadResponse> done) override {
    done(NotLoggedIn());
  }
  void CleanConversationUnreadMessageCount(const tim::v1::CleanUnreadRequest&,
                                           domain::Done<tim::v1::CleanUnreadResponse> done) override {
    done(NotLoggedIn());
  }
  Result<tim::v1::GetTotalUnreadResponse> GetTotalUnreadMessageCount(const tim::v1::GetTotalUnreadRequest&) override {
    return NotLoggedIn();
  }
  Result<tim::v1::GetUnreadMessageCountByFilterResponse> GetUnreadMessageCountByFilter(
      const tim::v1::GetUnreadMessageCountByFilterRequest&) override {
    return NotLoggedIn();
  }
  // Conversation edits and lookups: as when logged out.
  void DeleteConversation(const tim::v1::DeleteConversationRequest&,
                          domain::Done<tim::v1::DeleteConversationResponse> done) override {
    done(NotLoggedIn());
  }
  void DeleteConversationList(const tim::v1::DeleteConversationListRequest&,
                              domain::Done<tim::v1::DeleteConversationListResponse> done) override {
    done(NotLoggedIn());
  }
  Result<tim::v1::GetConversationsResponse> GetConversations(const tim::v1::GetConversationsRequest&) override {
    return NotLoggedIn();
  }
  Result<tim::v1::GetConversationListByFilterResponse> GetConversationListByFilter(
      const tim::v1::GetConversationListByFilterRequest&) override {
    return NotLoggedIn();
  }
  void SetDraft(const tim::v1::SetDraftRequest&, domain::Done<tim::v1::SetDraftResponse> done) override {
    done(NotLoggedIn());
  }
  void PinConversation(const tim::v1::PinConversationRequest&,
                       domain::Done<tim::v1::PinConversationResponse> done) override {
    done(NotLoggedIn());
  }
  void MarkConversation(const tim::v1::MarkConversationRequest&,
                        domain::Done<tim::v1::MarkConversationResponse> done) override {
    done(NotLoggedIn());
  }
  void SetConversationCustomData(const tim::v1::SetConversationCustomDataRequest&,
                                 domain::Done<tim::v1::SetConversationCustomDataResponse> done) override {
    done(NotLoggedIn());
  }
  void CreateConversation(const tim::v1::CreateConversationRequest&,
                          domain::Done<tim::v1::CreateConversationResponse> done) override {
    done(NotLoggedIn());
  }
  static Status NotLoggedIn() { return Status(Code::kFailedPrecondition, tim_err::kNotLoggedIn, "not logged in"); }
  events::ConsumerCursors& consumers() { return consumers_; }

  std::atomic<size_t> hung_calls{0};
  std::atomic<size_t> hung_bytes{0};

 private:
  events::EventBus& bus_;
  events::ConsumerCursors consumers_;
  std::string user_;
  std::vector<domain::Done<tim::v1::SendMessageResponse>> hung_;
};

inline tim::v1::Event LogEvent(const std::string& text) {
  tim::v1::Event event;
  event.mutable_log()->set_level(tim::v1::LOG_INFO);
  event.mutable_log()->set_text(text);
  return event;
}

// Runs the loop, the bus and the ApiServer on a thread of its own.
class ApiHarness {
 public:
  // `options.socket_path` is set to dir/timd.sock.
  ApiHarness(std::string dir, ApiOptions options) : dir_(std::move(dir)) {
    socket_path_ = dir_ + "/timd.sock";
    options.socket_path = socket_path_;
    std::promise<Status> started;
    auto started_future = started.get_future();
    thread_ = std::thread([this, options, &started] { Run(options, started); });
    start_status_ = started_future.get();
  }
  explicit ApiHarness(std::string dir, std::string tcp_listen = "")
      : ApiHarness(std::move(dir), TcpOptions(std::move(tcp_listen))) {}

  static constexpr char kToken[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static ApiOptions TcpOptions(std::string tcp_listen) {
    ApiOptions options;
    options.tcp_listen = std::move(tcp_listen);
    options.tcp_token = kToken;
    return options;
  }
  ~ApiHarness() { Stop(); }

  const Status& start_status() const { return start_status_; }
  const std::string& socket_path() const { return socket_path_; }
  ApiServer& api() { return *api_; }
  FakeDomain& backend() { return *backend_; }
  events::EventBus& bus() { return *bus_; }
  store::Database& db() { return *db_; }
  uv_loop_t* loop() { return &loop_; }

  // Runs `fn` on the loop thread and waits for it.
  void OnLoop(const std::function<void()>& fn) {
    std::promise<void> done;
    ASSERT_TRUE(queue_->Post([&] {
      fn();
      done.set_value();
    }));
    done.get_future().wait();
  }

  std::vector<uint64_t> Publish(int count, const std::string& prefix) {
    std::vector<uint64_t> seqs;
    OnLoop([&] {
      for (int i = 0; i < count; ++i) seqs.push_back(bus_->Publish(LogEvent(prefix + std::to_string(i))));
    });
    return seqs;
  }

  size_t SubscriberCount() {
    size_t count = 0;
    OnLoop([&] { count = bus_->subscriber_count(); });
    return count;
  }

  bool WaitForSubscribers(size_t n, std::chrono::milliseconds timeout = 5000ms) {
    for (auto waited = 0ms; waited < timeout; waited += 10ms) {
      if (SubscriberCount() == n) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  void Stop() {
    if (!thread_.joinable()) return;
    OnLoop([&] {
      api_->Shutdown();
      api_.reset();
      backend_.reset();
      settings_.reset();
      bus_.reset();
      db_.reset();
      queue_->Close();
    });
    thread_.join();
  }

 private:
  void Run(const ApiOptions& options, std::promise<Status>& started) {
    uv_loop_init(&loop_);
    queue_ = std::make_unique<LoopQueue>(&loop_);
    auto db = store::Database::Open(dir_ + "/state.db");
    if (!db.ok()) {
      started.set_value(db.status());
      return;
    }
    db_ = std::move(db).value();
    LoopQueue* queue = queue_.get();
    bus_ = std::make_unique<events::EventBus>(
        &loop_, *db_, [queue](std::function<void()> task) { return queue->Post(std::move(task)); },
        events::EventBus::Options{});
    settings_ = std::make_unique<store::Settings>(*db_);
    backend_ = std::make_unique<FakeDomain>(*bus_, *settings_);
    api_ = std::make_unique<ApiServer>(&loop_, *queue_, backend_->services(), options);
    started.set_value(api_->Start());
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
    queue_.reset();
  }

  std::string dir_;
  std::string socket_path_;
  Status start_status_;
  std::thread thread_;
  uv_loop_t loop_{};
  std::unique_ptr<LoopQueue> queue_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<events::EventBus> bus_;
  std::unique_ptr<store::Settings> settings_;
  std::unique_ptr<FakeDomain> backend_;
  std::unique_ptr<ApiServer> api_;
};

}  // namespace timd::api::test_support
