// Conversion between timd's gRPC messages and TIM C API JSON text.
//
// Output follows the TIM 8.6 key names and shapes (tim-c-api-reference.md):
// 64-bit integers are JSON numbers, exact; enums are their TIM numbers.
// Invalid UTF-8 in byte fields (custom data, face buffer) is replaced by
// U+FFFD instead of failing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tim/v1/common.pb.h"
#include "tim/v1/conversation_edits.pb.h"
#include "tim/v1/messages.pb.h"
#include "tim/v1/events.pb.h"
#include "tim/v1/history.pb.h"
#include "tim/v1/message_import.pb.h"

namespace timclient {

template <typename T>
using Repeated = google::protobuf::RepeatedPtrField<T>;

// ---- Events and results -> JSON text ---------------------------------------

// One Message object (also the TIMMsgSendMessage result and the upload-progress
// payload). A status the daemon left unspecified is reported as kTIMMsg_SendSucc.
std::string MessageJson(const tim::v1::Message& msg);
// Array of Message (RecvNewMsg, MsgUpdate, TIMMsgGetMsgList result).
std::string MessageArrayJson(const Repeated<tim::v1::Message>& msgs);
// Array of ConvInfo (ConvEvent Add/Del/Update, TIMConvGetConvList result).
std::string ConvArrayJson(const Repeated<tim::v1::Conversation>& convs);
// One ConvInfo object (TIMConvCreate result).
std::string ConvJson(const tim::v1::Conversation& conv);
// ConvEvent payload: "" for START/FINISH, else ConvArrayJson.
std::string ConvEventJson(const tim::v1::ConvEvent& event);
// Array of MessageReceipt (MsgReadedReceipt).
std::string ReceiptArrayJson(const Repeated<tim::v1::MessageReceipt>& receipts);
// Array of revoke-info objects: MsgLocator keys plus message_revoker_user_id,
// message_revoker_nick_name, message_revoker_face_url (empty: no profiles
// yet) and message_revoke_reason; message_msg_id is added when known
// (extension).
std::string LocatorArrayJson(const Repeated<tim::v1::MessageLocator>& locators);
// One GroupTipsElem object (GroupTipsEvent payload). group_change_info map
// entries become group_tips_elem_group_change_info_array items: the map key is
// a TIMGroupTipGroupChangeFlag number ("1") or name ("name", "introduction",
// "notification", "face_url", "owner", "shutup_all", "group_add_opt", ...);
// any other key is a Custom (6) change with that key. Bool/int/uint64 flags
// also get the typed *_bool_value / *_int_value / *_uint64_value.
std::string GroupTipJson(const tim::v1::GroupTipsElem& tip);
// Array of user-ID strings (OnAddFriend, OnDeleteFriend).
std::string UserIdArrayJson(const Repeated<std::string>& ids);
// Array of FriendProfileUpdate (UpdateFriendProfile).
std::string FriendProfileUpdateArrayJson(const Repeated<tim::v1::FriendProfileUpdate>& updates);
// Array of FriendAddPendency (FriendAddRequest).
std::string FriendAddPendencyArrayJson(const Repeated<tim::v1::FriendAddPendency>& pendencies);

// ---- App JSON -> requests ----------------------------------------------------

// kJson: not parsable as JSON. kParam: valid JSON with a missing, wrong-typed
// or unsupported field (or NULL where JSON is required).
enum class ParseResult { kOk, kJson, kParam };

// Message JSON (TIMMsgSendMessage) -> elems, cloud_custom_str,
// need_read_receipt. conv_id/conv_type come from the call's arguments and are
// not touched; client_msg_id is left to the caller (see ResentMessageId;
// other read-only keys of a re-sent message are ignored). Elements: Text, Custom, Face, Location, and
// Image/Sound/File/Video (as FileElem with local_path). GroupTips, GroupReport,
// FriendChange, ProfileChange (server-made) and Merge are kParam.
ParseResult ParseMessage(const char* json_msg, tim::v1::SendMessageRequest* out, std::string* why);

// The message_msg_id of a Message JSON that is an own message sent again
// (TIM's resend of a failed or cancelled message: message_is_from_self
// true, message_is_forward_message not true); "" otherwise.
std::string ResentMessageId(const char* json_msg);

// Message JSON naming a stored message (TIMMsgRevoke, TIMMsgReportReaded):
// its message_msg_id (required, non-empty); every other key is ignored.
ParseResult ParseMessageId(const char* json_msg, std::string* msg_id, std::string* why);
// Message JSON of TIMMsgModifyMessage -> ModifyMessageRequest:
// message_msg_id, message_conv_id and message_conv_type (required), and the
// element array and message_cloud_custom_str as ParseMessage reads them.
ParseResult ParseModifyMessage(const char* json_msg, tim::v1::ModifyMessageRequest* out, std::string* why);

// TIMMsgDownloadElemToPath's {msg_download_elem_param_type, _id,
// _business_id, _url} (url required) -> the request's fields but path.
ParseResult ParseDownloadElemParam(const char* json, tim::v1::DownloadElemToPathRequest* out, std::string* why);
// {msg_download_elem_result_current_size, msg_download_elem_result_total_size}
std::string DownloadProgressJson(uint64_t current_size, uint64_t total_size);

// MsgGetMsgListParam (TIMMsgGetMsgList) -> GetMessagesRequest. NULL or ""
// means the newest page. Mapping:
//   msg_getmsglist_param_count          -> count (0 = daemon default 20)
//   msg_getmsglist_param_is_forward     -> is_forward (true: newer messages)
//   msg_getmsglist_param_last_msg       -> its message_seq as before_seq
//                                          (backwards) or after_seq (forwards);
//                                          the anchor itself is excluded
//   msg_getmsglist_param_last_msg_seq   -> the same, but the message with that
//                                          seq is included; used only without
//                                          last_msg
//   msg_getmsglist_param_time_begin / _time_period -> time_begin / time_period
//   msg_getmsglist_param_is_ramble (and the old "is_remble") -> is_ramble
//                                          (older history from the server archive)
//   msg_getmsglist_param_message_type_array -> message_types
//   a non-empty message_seq_array (groups) -> kParam.
// conv_id/conv_type come from the call's arguments and are not touched.
ParseResult ParseGetMsgListParam(const char* json, tim::v1::GetMessagesRequest* out, std::string* why);

// History and lookup (history_json.cc).
// A non-empty array of message-ID strings (TIMMsgFindMessages).
ParseResult ParseStringArray(const char* json_array, Repeated<std::string>* out, std::string* why);
// A non-empty array of MsgLocator (TIMMsgFindByMsgLocatorList): the
// message_locator_* keys; conv id/type come from the call's arguments.
ParseResult ParseLocatorArray(const char* json_array, Repeated<tim::v1::MessageLocator>* out, std::string* why);
// MsgDeleteParam (TIMMsgDelete): the message_msg_id of msg_delete_param_msg;
// msg_delete_param_is_ramble (and the old "is_remble") is ignored: deletion is local.
ParseResult ParseDeleteParam(const char* json, std::string* msg_id, std::string* why);
// Message JSON of TIMMsgSetLocalCustomData: message_msg_id (required) and
// message_custom_int / message_custom_str (absent: 0 / "").
ParseResult ParseLocalCustomData(const char* json_msg, tim::v1::SetLocalCustomDataRequest* out, std::string* why);
// MessageSearchParam (TIMMsgSearchLocalMessages): msg_search_param_keyword_array,
// _keyword_list_match_type, _send_indentifier_array (TIM's spelling),
// _message_type_array, _conv_id, _conv_type, _search_time_position,
// _search_time_period, _page_index, _page_size; absent keys are 0 / empty.
ParseResult ParseSearchParam(const char* json, tim::v1::SearchLocalMessagesRequest* out, std::string* why);
// MessageSearchResult: {msg_search_result_total_count,
// msg_search_result_item_array: [{msg_search_result_item_conv_id, _conv_type,
// _total_message_count, _message_array}]}.
std::string SearchResultJson(const tim::v1::SearchLocalMessagesResponse& response);

// Saving, importing and batch sending (import_json.cc).
// Message JSON of TIMMsgSaveMsg -> ImportedMessage: the content and options
// as ParseMessage reads them, message_msg_id and message_server_time
// (optional); always from the login.
ParseResult ParseSavedMessage(const char* json_msg, tim::v1::ImportedMessage* out, std::string* why);
// A non-empty array of Message (TIMMsgImportMsgList): as ParseSavedMessage,
// plus message_is_from_self (absent: false, from the peer).
ParseResult ParseImportArray(const char* json_msg_array, Repeated<tim::v1::ImportedMessage>* out, std::string* why);
// BatchSendParam: msg_batch_send_param_identifier_array (non-empty) and
// msg_batch_send_param_msg (a Message as ParseMessage reads it, options
// included).
ParseResult ParseBatchSendParam(const char* json, tim::v1::BatchSendRequest* out, std::string* why);
// Array of {msg_batch_send_result_identifier, _code, _desc, _msg (when a
// message was stored)}.
std::string BatchSendResultJson(const tim::v1::BatchSendResponse& response);

// Read state (read_state_json.cc). The message_msg_id of every Message in
// a non-empty array (TIMMsgSendMessageReadReceipts,
// TIMMsgGetMessageReadReceipts).
ParseResult ParseMessageIdArray(const char* json_msg_array, Repeated<std::string>* msg_ids, std::string* why);
// {conv_get_total_unread_message_count_result_unread_count} (TIMConvGetTotalUnreadMessageCount).
std::string TotalUnreadJson(uint64_t unread_count);

// Conversation calls (conversation_json.cc). Draft JSON (TIMConvSetDraft):
// draft_msg (a Message as ParseMessage reads it), draft_user_define,
// draft_edit_time; at least one of the first two.
ParseResult ParseDraft(const char* json_draft, tim::v1::Draft* out, std::string* why);
// Array of GetConversationListParam (TIMConvGetConvInfo); may be empty.
ParseResult ParseConversationKeys(const char* json_get_conv_list_param, Repeated<tim::v1::ConversationKey>* out,
                                  std::string* why);
// Non-empty array of conversation ID strings ("c2c_<user>").
ParseResult ParseConversationIds(const char* json_id_array, Repeated<std::string>* out, std::string* why);
// conversation_list_filter_* (TIMConvGetConversationListByFilter); NULL or
// "" is no filter.
ParseResult ParseConversationListFilter(const char* json_filter, tim::v1::ConversationListFilter* out,
                                        std::string* why);
// Array of TIMConversationOperationResult (conversation_operation_result_*).
std::string OperationResultArrayJson(const Repeated<tim::v1::ConversationOperationResult>& results);
// {conversation_list_result_conv_list, _next_seq, _is_finished}.
std::string ConversationListResultJson(const tim::v1::GetConversationListByFilterResponse& response);

// TIMInit config: timd's own keys (see TIMCloud.h). NULL/"" is kOk with empty
// fields; TIM's sdk_config_* keys are ignored.
struct SdkConfig {
  std::string socket;    // "timd_socket"
  std::string consumer;  // "timd_consumer"
  // Bounds of the callback queue; unset = the library's defaults.
  std::optional<uint64_t> callback_queue_events;  // "timd_callback_queue_events"
  std::optional<uint64_t> callback_queue_bytes;   // "timd_callback_queue_bytes"
  std::string instance;  // "timd_instance": the socket of timd@INSTANCE (instance_socket.h)
};
ParseResult ParseSdkConfig(const char* json, SdkConfig* out, std::string* why);
// Fills what the app left empty: socket from timd_instance, else
// $TIMD_SOCKET, else /run/timd/timd.sock; consumer from the executable's basename, made valid.
void ApplySdkConfigDefaults(SdkConfig* config);
// A valid consumer name from any text: characters outside [A-Za-z0-9._-]
// become '_', cut to 64, "app" when empty.
std::string SanitizeConsumerName(std::string_view name);
// True when name is a valid consumer name as timd defines it.
bool IsValidConsumerName(std::string_view name);

// TIMSetConfig. Each key may be set alone: ParseSetConfig updates only the
// fields present in the JSON (levels must be TIMLogLevel numbers 0..7).
struct SetConfig {
  std::optional<uint32_t> log_level;           // set_config_log_level
  std::optional<uint32_t> callback_log_level;  // set_config_callback_log_level
  std::optional<bool> log_output_console;      // set_config_is_log_output_console
};
ParseResult ParseSetConfig(const char* json, SetConfig* inout, std::string* why);
// The resulting configuration as SetConfig JSON (TIMSetConfig's callback):
// only the fields that are set.
std::string SetConfigJson(const SetConfig& config);

}  // namespace timclient
