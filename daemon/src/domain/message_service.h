// tim.v1.Messages in the domain: one-to-one messages over the login's
// streams. Messaging keeps the store, the outbox and the events; this
// service gives it the stream's XEP modules (chat, carbons, the archive for
// catch-up, see ArchiveSync) and decides when a send may go out at once.
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "domain/ack_waiters.h"
#include "domain/file_downloads.h"
#include "domain/file_uploads.h"
#include "domain/archive_page_fetch.h"
#include "domain/archive_sync.h"
#include "domain/delivery_receipts.h"
#include "domain/login_state.h"
#include "domain/message_calls.h"
#include "domain/message_change_events.h"
#include "domain/message_history.h"
#include "domain/message_import.h"
#include "domain/message_search.h"
#include "domain/message_modify.h"
#include "domain/message_revoke.h"
#include "domain/messaging.h"
#include "domain/read_state.h"
#include "domain/stream_participant.h"
#include "store/elem_type_filter.h"
#include "xmpp/carbons.h"
#include "xmpp/chat.h"
#include "xmpp/mam.h"

namespace timd::domain {

class MessageService final : public MessageCalls, public StreamParticipant {
 public:
  struct Options {
    Messaging::Options messaging;
    uint32_t mam_page_size = 100;
    // Own messages may be revoked for this long after they were sent (TIM's
    // default limit; XMPP has none, so the sender's daemon enforces it).
    uint64_t revoke_time_limit_ms = 120000;
    http::EngineOptions transfers;  // file uploads (XEP-0363 PUTs)
  };

  MessageService(uv_loop_t* loop, store::MessageStore& store, store::Settings& settings, events::EventBus& bus,
                 const LoginState& login, Options options);
  ~MessageService() override;

  // MessageCalls
  void SendMessage(const tim::v1::SendMessageRequest& request, Done<tim::v1::SendMessageResponse> done) override;
  void GetMessages(const tim::v1::GetMessagesRequest& request, Done<tim::v1::GetMessagesResponse> done) override;
  void ReportRead(const tim::v1::ReportReadRequest& request, Done<tim::v1::ReportReadResponse> done) override {
    read_state_.ReportRead(request, std::move(done));
  }
  void SendMessageReadReceipts(const tim::v1::SendMessageReadReceiptsRequest& request,
                               Done<tim::v1::SendMessageReadReceiptsResponse> done) override {
    read_state_.SendReceipts(request, std::move(done));
  }
  Result<tim::v1::GetMessageReadReceiptsResponse> GetMessageReadReceipts(
      const tim::v1::GetMessageReadReceiptsRequest& request) override {
    return read_state_.GetReceipts(request);
  }
  void MarkAllMessageAsRead(const tim::v1::MarkAllMessageAsReadRequest&,
                            Done<tim::v1::MarkAllMessageAsReadResponse> done) override {
    read_state_.MarkAllRead(std::move(done));
  }
  ReadState& read_state() { return read_state_; }
  void RevokeMessage(const tim::v1::RevokeMessageRequest& request, Done<tim::v1::RevokeMessageResponse> done) override;
  void ModifyMessage(const tim::v1::ModifyMessageRequest& request, Done<tim::v1::ModifyMessageResponse> done) override;
  Result<tim::v1::FindMessagesResponse> FindMessages(const tim::v1::FindMessagesRequest& request) override {
    return history_.FindMessages(request);
  }
  Result<tim::v1::FindMessagesByLocatorResponse> FindMessagesByLocator(
      const tim::v1::FindMessagesByLocatorRequest& request) override {
    return history_.FindByLocator(request);
  }
  void DeleteMessages(const tim::v1::DeleteMessagesRequest& request,
                      Done<tim::v1::DeleteMessagesResponse> done) override {
    history_.DeleteMessages(request, std::move(done));
  }
  void ClearHistory(const tim::v1::ClearHistoryRequest& request, Done<tim::v1::ClearHistoryResponse> done) override {
    history_.ClearHistory(request, std::move(done));
  }
  void SetLocalCustomData(const tim::v1::SetLocalCustomDataRequest& request,
                          Done<tim::v1::SetLocalCustomDataResponse> done) override {
    history_.SetLocalCustomData(request, std::move(done));
  }
  Result<tim::v1::SearchLocalMessagesResponse> SearchLocalMessages(
      const tim::v1::SearchLocalMessagesRequest& request) override {
    return search_.Search(request);
  }
  void ImportMessages(const tim::v1::ImportMessagesRequest& request,
                      Done<tim::v1::ImportMessagesResponse> done) override {
    import_.Import(request, std::move(done));
  }
  void BatchSend(const tim::v1::BatchSendRequest& request, Done<tim::v1::BatchSendResponse> done) override;
  void DownloadElemToPath(const tim::v1::DownloadElemToPathRequest& request,
                          Done<tim::v1::DownloadElemToPathResponse> done) override {
    downloads_.Download(request, std::move(done));
  }
  void CancelSend(const tim::v1::CancelSendRequest& request, Done<tim::v1::CancelSendResponse> done) override;

  // StreamParticipant
  void OnLogin(const std::string& own_jid) override;
  std::unique_ptr<StreamModules> OnStreamCreated(xmpp::Client& client, xmpp::FeatureRegistry& features) override;
  void OnBound() override;
  void OnAcked(uint64_t handled) override;
  void CatchUpBeforePresence(CatchUpStep step) override;
  void CatchUpAfterPresence(CatchUpStep step) override;
  void OnCaughtUp() override;
  void OnStreamLost() override;
  void OnLoginEnded(const Status& why) override;

 private:
  struct Modules;
  void OnChat(const xmpp::IncomingChat& chat);
  // A received message (live, carbon or archive) goes to the store.
  void Store(const xmpp::IncomingChat& chat);
  // Why an app's write cannot be accepted now (not logged in, store
  // failing); OK when it can.
  Status WriteRefusal(const std::string& what) const;
  bool StreamReady() const { return stream_ && caught_up_; }

  const LoginState& login_;
  store::ElemTypeFunction elem_types_;  // before the queries that filter by element type
  Messaging messaging_;
  http::TransferEngine transfers_;  // before the uploads and downloads that use it
  FileUploads uploads_;
  FileDownloads downloads_;
  ReadState read_state_;
  DeliveryReceiptTracker deliveries_;
  MessageHistory history_;
  MessageSearch search_;
  MessageImport import_;
  // After messaging_: their events follow the turn's new messages.
  MessageChangeEvents changes_;
  AckWaiters acks_;
  MessageRevoke revoke_;
  MessageModify modify_;
  ArchiveSync archive_;
  ArchivePageFetch older_history_;  // GetMessages with is_ramble
  Modules* stream_ = nullptr;  // the current stream's modules, owned by the stream
  bool caught_up_ = false;     // sends go out at once (else they wait in the outbox)
  bool pulled_first_pass_ = false;
  std::string first_pass_outcome_;
};

}  // namespace timd::domain
