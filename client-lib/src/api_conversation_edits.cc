// TIMConversationManager.h: creating, deleting, looking up, filtering, drafts, pins,
// marks and custom data of conversations (conversation_edits.proto).
#include <chrono>
#include <string>

#include "TIMCloud.h"
#include "global.h"
#include "tim_json.h"

namespace {

using timclient::ParseResult;

constexpr auto kTimeout = std::chrono::seconds(10);

int ParseFailure(ParseResult parsed) { return parsed == ParseResult::kJson ? TIM_ERR_JSON : TIM_ERR_PARAM; }

// Starts `method` with `request`; cb gets `to_json(response)` on success.
template <typename Request, typename Response, typename ToJson>
int Start(const std::shared_ptr<timclient::Context>& ctx,
          timclient::Context::AsyncMethod<timclient::ConversationsAsync, Request, Response> method, Request request,
          TIMCommCallback cb, const void* user_data, ToJson to_json) {
  const bool started = ctx->Call(
      ctx->stubs().conversations->async(), method, std::move(request), kTimeout,
      [ctx = ctx.get(), cb, user_data, to_json](const timclient::TimError& error, Response& response) {
        ctx->PostResult(cb, user_data, error.code, error.desc, error.code == 0 ? to_json(response) : "");
      });
  return started ? TIM_SUCC : TIM_ERR_SDKUNINIT;
}

template <typename Response>
std::string NoPayload(const Response&) {
  return "";
}

template <typename Response>
std::string Results(const Response& response) {
  return timclient::OperationResultArrayJson(response.results());
}

bool ValidConv(const char* conv_id, enum TIMConvType conv_type) {
  return conv_id && *conv_id && (conv_type == kTIMConv_C2C || conv_type == kTIMConv_Group);
}

// TIMConvSetDraft and TIMConvCancelDraft have no callback: they wait for
// timd and map its answer to a TIMResult.
int SetDraftNow(const char* conv_id, enum TIMConvType conv_type, const tim::v1::Draft* draft) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!ValidConv(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::SetDraftRequest request;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  if (draft) *request.mutable_draft() = *draft;
  grpc::ClientContext call;
  call.set_deadline(std::chrono::system_clock::now() + kTimeout);
  tim::v1::SetDraftResponse response;
  const grpc::Status status = ctx->stubs().conversations->SetDraft(&call, request, &response);
  if (status.ok()) return TIM_SUCC;
  const int32_t code = timclient::ToTimError(status, &call, "").code;
  switch (code) {
    case ERR_SDK_NOT_LOGGED_IN:
      return TIM_ERR_NOTLOGIN;
    case ERR_INVALID_CONVERSATION:
    case ERR_SDK_INTERFACE_NOT_SUPPORT:
      return TIM_ERR_CONV;
    case ERR_INVALID_PARAMETERS:
    case ERR_SDK_COMM_INVALID_IDENTIFIER:
      return TIM_ERR_PARAM;
    default:
      return code;  // e.g. 7010: the store failed
  }
}

}  // namespace

extern "C" {

int TIMConvDelete(const char* conv_id, enum TIMConvType conv_type, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!ValidConv(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::DeleteConversationRequest request;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  return Start(ctx, &timclient::ConversationsAsync::DeleteConversation, std::move(request), cb, user_data,
               NoPayload<tim::v1::DeleteConversationResponse>);
}

int TIMConvDeleteConversationList(const char* conversation_id_array, bool clear_message, TIMCommCallback cb,
                                  const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::DeleteConversationListRequest request;
  std::string why;
  if (auto parsed = timclient::ParseConversationIds(conversation_id_array, request.mutable_conversation_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  request.set_clear_messages(clear_message);
  return Start(ctx, &timclient::ConversationsAsync::DeleteConversationList, std::move(request), cb, user_data,
               Results<tim::v1::DeleteConversationListResponse>);
}

int TIMConvGetConvInfo(const char* json_get_conv_list_param, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::GetConversationsRequest request;
  std::string why;
  if (auto parsed = timclient::ParseConversationKeys(json_get_conv_list_param, request.mutable_keys(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return Start(ctx, &timclient::ConversationsAsync::GetConversations, std::move(request), cb, user_data,
               [](const tim::v1::GetConversationsResponse& r) { return timclient::ConvArrayJson(r.conversations()); });
}

int TIMConvGetConversationListByFilter(const char* filter, uint64_t next_seq, uint32_t count, TIMCommCallback cb,
                                       const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::GetConversationListByFilterRequest request;
  std::string why;
  if (auto parsed = timclient::ParseConversationListFilter(filter, request.mutable_filter(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  request.set_next_seq(next_seq);
  request.set_count(count);
  return Start(ctx, &timclient::ConversationsAsync::GetConversationListByFilter, std::move(request), cb, user_data,
               timclient::ConversationListResultJson);
}

int TIMConvSetDraft(const char* conv_id, enum TIMConvType conv_type, const char* json_draft_param) {
  tim::v1::Draft draft;
  std::string why;
  if (auto parsed = timclient::ParseDraft(json_draft_param, &draft, &why); parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  return SetDraftNow(conv_id, conv_type, &draft);
}

int TIMConvCancelDraft(const char* conv_id, enum TIMConvType conv_type) {
  return SetDraftNow(conv_id, conv_type, nullptr);
}

int TIMConvPinConversation(const char* conv_id, enum TIMConvType conv_type, bool is_pinned, TIMCommCallback cb,
                           const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!ValidConv(conv_id, conv_type)) return TIM_ERR_PARAM;
  tim::v1::PinConversationRequest request;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  request.set_is_pinned(is_pinned);
  return Start(ctx, &timclient::ConversationsAsync::PinConversation, std::move(request), cb, user_data,
               NoPayload<tim::v1::PinConversationResponse>);
}

int TIMConvMarkConversation(const char* conversation_id_array, uint64_t mark_type, bool enable_mark,
                            TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::MarkConversationRequest request;
  std::string why;
  if (auto parsed = timclient::ParseConversationIds(conversation_id_array, request.mutable_conversation_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  request.set_mark_type(mark_type);
  request.set_enable_mark(enable_mark);
  return Start(ctx, &timclient::ConversationsAsync::MarkConversation, std::move(request), cb, user_data,
               Results<tim::v1::MarkConversationResponse>);
}

int TIMConvCreate(const char* conv_id, enum TIMConvType conv_type, TIMCommCallback cb, const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  if (!ValidConv(conv_id, conv_type)) return TIM_ERR_PARAM;  // groups: timd answers 7013
  tim::v1::CreateConversationRequest request;
  request.set_conv_id(conv_id);
  request.set_conv_type(static_cast<tim::v1::ConvType>(conv_type));
  return Start(ctx, &timclient::ConversationsAsync::CreateConversation, std::move(request), cb, user_data,
               [](const tim::v1::CreateConversationResponse& r) { return timclient::ConvJson(r.conversation()); });
}

int TIMConvSetConversationCustomData(const char* conversation_id_array, const char* custom_data, TIMCommCallback cb,
                                     const void* user_data) {
  auto ctx = timclient::CurrentContext();
  if (!ctx) return TIM_ERR_SDKUNINIT;
  tim::v1::SetConversationCustomDataRequest request;
  std::string why;
  if (auto parsed = timclient::ParseConversationIds(conversation_id_array, request.mutable_conversation_ids(), &why);
      parsed != ParseResult::kOk) {
    return ParseFailure(parsed);
  }
  request.set_custom_data(custom_data ? custom_data : "");
  return Start(ctx, &timclient::ConversationsAsync::SetConversationCustomData, std::move(request), cb, user_data,
               Results<tim::v1::SetConversationCustomDataResponse>);
}

}  // extern "C"
