// What the API may ask of messages (tim.v1.Messages, TIMMessageManager.h).
// Every method runs on the loop thread.
#pragma once

#include "domain/done.h"
#include "tim/v1/history.pb.h"
#include "tim/v1/message_import.pb.h"
#include "tim/v1/messages.pb.h"
#include "tim/v1/read_state.pb.h"
#include "tim/v1/unread_counts.pb.h"

namespace timd::domain {

class MessageCalls {
 public:
  virtual ~MessageCalls() = default;
  virtual void SendMessage(const tim::v1::SendMessageRequest& request, Done<tim::v1::SendMessageResponse> done) = 0;
  // Answers at once from the store, or, with is_ramble, possibly after a
  // server round trip (ArchivePageFetch).
  virtual void GetMessages(const tim::v1::GetMessagesRequest& request, Done<tim::v1::GetMessagesResponse> done) = 0;
  virtual void ReportRead(const tim::v1::ReportReadRequest& request, Done<tim::v1::ReportReadResponse> done) = 0;
  virtual void SendMessageReadReceipts(const tim::v1::SendMessageReadReceiptsRequest& request,
                                       Done<tim::v1::SendMessageReadReceiptsResponse> done) = 0;
  virtual Result<tim::v1::GetMessageReadReceiptsResponse> GetMessageReadReceipts(
      const tim::v1::GetMessageReadReceiptsRequest& request) = 0;
  virtual void MarkAllMessageAsRead(const tim::v1::MarkAllMessageAsReadRequest& request,
                                    Done<tim::v1::MarkAllMessageAsReadResponse> done) = 0;
  virtual void RevokeMessage(const tim::v1::RevokeMessageRequest& request,
                             Done<tim::v1::RevokeMessageResponse> done) = 0;
  virtual void ModifyMessage(const tim::v1::ModifyMessageRequest& request,
                             Done<tim::v1::ModifyMessageResponse> done) = 0;
  // History and lookup (history.proto).
  virtual Result<tim::v1::FindMessagesResponse> FindMessages(const tim::v1::FindMessagesRequest& request) = 0;
  virtual Result<tim::v1::FindMessagesByLocatorResponse> FindMessagesByLocator(
      const tim::v1::FindMessagesByLocatorRequest& request) = 0;
  virtual void DeleteMessages(const tim::v1::DeleteMessagesRequest& request,
                              Done<tim::v1::DeleteMessagesResponse> done) = 0;
  virtual void ClearHistory(const tim::v1::ClearHistoryRequest& request, Done<tim::v1::ClearHistoryResponse> done) = 0;
  virtual void SetLocalCustomData(const tim::v1::SetLocalCustomDataRequest& request,
                                  Done<tim::v1::SetLocalCustomDataResponse> done) = 0;
  virtual Result<tim::v1::SearchLocalMessagesResponse> SearchLocalMessages(
      const tim::v1::SearchLocalMessagesRequest& request) = 0;
  // Saving, importing and batch sending (message_import.proto).
  virtual void ImportMessages(const tim::v1::ImportMessagesRequest& request,
                              Done<tim::v1::ImportMessagesResponse> done) = 0;
  virtual void BatchSend(const tim::v1::BatchSendRequest& request, Done<tim::v1::BatchSendResponse> done) = 0;
  virtual void DownloadElemToPath(const tim::v1::DownloadElemToPathRequest& request,
                                  Done<tim::v1::DownloadElemToPathResponse> done) = 0;
  virtual void CancelSend(const tim::v1::CancelSendRequest& request, Done<tim::v1::CancelSendResponse> done) = 0;
};

}  // namespace timd::domain
