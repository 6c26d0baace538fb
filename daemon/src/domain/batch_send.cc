#include "domain/batch_send.h"

#include <memory>
#include <utility>

namespace timd::domain {
namespace {

constexpr int kMaxUsers = 500;  // TIMMsgBatchSend's limit

}  // namespace

void BatchSend(MessageCalls& messages, const tim::v1::BatchSendRequest& request,
               Done<tim::v1::BatchSendResponse> done) {
  if (request.user_ids().empty() || request.user_ids_size() > kMaxUsers) {
    return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "user_ids must hold 1 to 500 user IDs"));
  }
  struct Batch {
    tim::v1::BatchSendResponse response;
    int waiting = 0;
    Done<tim::v1::BatchSendResponse> done;
  };
  auto batch = std::make_shared<Batch>();
  batch->waiting = request.user_ids_size();
  batch->done = std::move(done);
  for (const auto& user_id : request.user_ids()) batch->response.add_results()->set_user_id(user_id);
  for (int i = 0; i < request.user_ids_size(); ++i) {
    tim::v1::SendMessageRequest send;
    send.set_conv_id(request.user_ids(i));
    send.set_conv_type(tim::v1::CONV_C2C);
    *send.mutable_elems() = request.elems();
    send.set_cloud_custom_str(request.cloud_custom_str());
    send.set_need_read_receipt(request.need_read_receipt());
    send.set_is_excluded_from_unread_count(request.is_excluded_from_unread_count());
    send.set_priority(request.priority());
    send.set_is_online_msg(request.is_online_msg());
    messages.SendMessage(send, [batch, i](Result<tim::v1::SendMessageResponse> sent) {
      tim::v1::BatchSendResult& result = *batch->response.mutable_results(i);
      if (sent.ok()) {
        *result.mutable_message() = std::move(sent.value().message());
      } else {
        result.set_code(sent.status().tim_code());
        result.set_desc(sent.status().message());
      }
      if (--batch->waiting == 0) batch->done(std::move(batch->response));
    });
  }
}

}  // namespace timd::domain
