// save, batch-send: messages stored without an ordinary send, and one
// message sent to many users (message_import.proto).
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "message_content.h"
#include "send_flags.h"
#include "timd_client.h"

namespace timctl {
namespace {

struct SaveArgs {
  std::string peer;
  ContentArgs content;
  std::string msg_id;
  uint64_t server_time = 0;
  bool from_peer = false;
  SendFlags flags;
};

struct BatchArgs {
  std::vector<std::string> users;
  ContentArgs content;
  SendFlags flags;
};

std::string BatchText(const tim::v1::BatchSendResponse& response) {
  std::string text;
  for (const auto& result : response.results()) {
    if (!text.empty()) text += '\n';
    text += result.user_id() + ": " +
            (result.code() == 0 ? "sent " + result.message().msg_id()
                                : "failed " + std::to_string(result.code()) + " " + result.desc());
  }
  return text;
}

}  // namespace

void AddImportCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto save_args = std::make_shared<SaveArgs>();
  auto* save = app.add_subcommand(
      "save", "Store a message in a C2C conversation without sending it (ImportMessages, status LOCAL_IMPORTED)");
  AddCommonOptions(*save, common);
  save->add_option("PEER", save_args->peer, "peer user ID: local part or bare JID")->required();
  auto* text = save->add_option("TEXT", save_args->content.text, "message text (a message of one text element)");
  AddMessageJsonOption(*save, text, save_args->content);
  save->add_option("--id", save_args->msg_id, "the message's msg_id (default: a new one)");
  save->add_option("--time", save_args->server_time, "its server time in seconds (default: now)");
  save->add_flag("--from-peer", save_args->from_peer, "the peer sent it (default: the login)");
  AddSendFlags(*save, save_args->flags, false);
  commands.push_back({save, [&common, save_args] {
                        const tim::v1::SendMessageRequest content = ContentOf(save_args->content);
                        tim::v1::ImportMessagesRequest request;
                        request.set_conv_id(save_args->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        auto& message = *request.add_messages();
                        *message.mutable_elems() = content.elems();
                        message.set_cloud_custom_str(content.cloud_custom_str());
                        message.set_need_read_receipt(content.need_read_receipt());
                        message.set_is_excluded_from_unread_count(content.is_excluded_from_unread_count());
                        ApplySendFlags(save_args->flags, message);
                        message.set_msg_id(save_args->msg_id);
                        message.set_server_time(save_args->server_time);
                        message.set_is_from_self(!save_args->from_peer);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::ImportMessagesRequest, tim::v1::ImportMessagesResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::ImportMessages, request,
                            [](const tim::v1::ImportMessagesResponse& r) {
                              return "saved " + r.messages(0).msg_id() + " (seq " + std::to_string(r.messages(0).seq()) +
                                     ")";
                            });
                      }});

  auto batch_args = std::make_shared<BatchArgs>();
  auto* batch = app.add_subcommand("batch-send", "Send one message to several users, each its own C2C message (BatchSend)");
  AddCommonOptions(*batch, common);
  batch->add_option("USER", batch_args->users, "user IDs (1 to 500)")->required();
  auto* batch_text = batch->add_option("--text", batch_args->content.text, "message text");
  AddMessageJsonOption(*batch, batch_text, batch_args->content);
  AddSendFlags(*batch, batch_args->flags, true);
  commands.push_back({batch, [&common, batch_args] {
                        const tim::v1::SendMessageRequest content = ContentOf(batch_args->content);
                        tim::v1::BatchSendRequest request;
                        for (const auto& user : batch_args->users) request.add_user_ids(user);
                        *request.mutable_elems() = content.elems();
                        request.set_cloud_custom_str(content.cloud_custom_str());
                        request.set_need_read_receipt(content.need_read_receipt());
                        request.set_is_excluded_from_unread_count(content.is_excluded_from_unread_count());
                        request.set_is_online_msg(content.is_online_msg());
                        ApplySendFlags(batch_args->flags, request);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::BatchSendRequest, tim::v1::BatchSendResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::BatchSend, request, BatchText);
                      }});
}

}  // namespace timctl
