// send, history, convs.
#include <memory>
#include <string>

#include "commands.h"
#include "elem_type_option.h"
#include "human_format.h"
#include "file_commands.h"
#include "message_content.h"
#include "send_flags.h"
#include "timd_client.h"

namespace timctl {
namespace {

struct SendArgs {
  std::string peer;
  ContentArgs content;
  std::string client_msg_id;
  SendFlags flags;
};

struct HistoryArgs {
  std::string peer;
  uint32_t count = 20;
  uint64_t before_seq = 0;
  bool forward = false;
  uint64_t after_seq = 0;
  uint64_t time_begin = 0;
  uint64_t time_period = 0;
  bool ramble = false;
  std::vector<std::string> types;
};

int RunSend(const CommonOptions& common, const SendArgs& args) {
  tim::v1::SendMessageRequest request = ContentOf(args.content);
  request.set_conv_id(args.peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_client_msg_id(args.client_msg_id);
  ApplySendFlags(args.flags, request);
  TimdClient client(common);
  if (!args.content.file.empty()) return RunSendFile(client, std::move(request));
  return CallAndPrint<tim::v1::SendMessageRequest, tim::v1::SendMessageResponse>(
      client, *client.stubs().messages, &tim::v1::Messages::Stub::SendMessage, request,
      [](const tim::v1::SendMessageResponse& r) {
        return "sent " + r.message().msg_id() + " (seq " + std::to_string(r.message().seq()) + ")";
      });
}

std::string HistoryText(const tim::v1::GetMessagesResponse& response, bool forward) {
  std::string text;
  // Backwards pages come newest first; people read oldest first.
  for (int n = 0; n < response.messages_size(); ++n) {
    if (!text.empty()) text += '\n';
    text += MessageLine(response.messages(forward ? n : response.messages_size() - 1 - n));
  }
  if (!response.is_finished()) {
    if (!text.empty()) text += '\n';
    text += forward ? "(newer messages: --forward --after " + std::to_string(response.next_after_seq()) + ")"
                    : "(older messages: --before " + std::to_string(response.next_before_seq()) + ")";
  }
  return text.empty() ? "(no messages)" : text;
}

int RunHistory(const CommonOptions& common, const HistoryArgs& args) {
  tim::v1::GetMessagesRequest request;
  request.set_conv_id(args.peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_count(args.count);
  request.set_before_seq(args.before_seq);
  request.set_is_forward(args.forward);
  request.set_after_seq(args.after_seq);
  request.set_time_begin(args.time_begin);
  request.set_time_period(args.time_period);
  request.set_is_ramble(args.ramble);
  AddElemTypes(args.types, request.mutable_message_types());
  TimdClient client(common);
  return CallAndPrint<tim::v1::GetMessagesRequest, tim::v1::GetMessagesResponse>(
      client, *client.stubs().messages, &tim::v1::Messages::Stub::GetMessages, request,
      [forward = args.forward](const tim::v1::GetMessagesResponse& r) { return HistoryText(r, forward); });
}

std::string ConversationsText(const tim::v1::ListConversationsResponse& response) {
  return ConversationLines(response.conversations());
}

}  // namespace

void AddMessageCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto send_args = std::make_shared<SendArgs>();
  auto* send = app.add_subcommand("send", "Send a C2C message (SendMessage); waits for the server's ack");
  AddCommonOptions(*send, common);
  send->add_option("PEER", send_args->peer, "peer user ID: local part or bare JID")->required();
  auto* text = send->add_option("TEXT", send_args->content.text, "message text (a message of one text element)");
  AddMessageJsonOption(*send, text, send_args->content);
  AddFileOption(*send, text, send_args->content);
  AddLocationOption(*send, send_args->content);
  AddSendFlags(*send, send_args->flags, true);
  send->add_option("--id", send_args->client_msg_id,
                   "client message ID (idempotency key; sending the same ID again does not duplicate)");
  commands.push_back({send, [&common, send_args] { return RunSend(common, *send_args); }});

  auto history_args = std::make_shared<HistoryArgs>();
  auto* history = app.add_subcommand("history", "Show a C2C conversation's stored messages (GetMessages)");
  AddCommonOptions(*history, common);
  history->add_option("PEER", history_args->peer, "peer user ID: local part or bare JID")->required();
  history->add_option("--count", history_args->count, "page size (default 20, at most 500)")->check(CLI::Range(1, 500));
  history->add_option("--before", history_args->before_seq,
                      "only messages older than this message seq (the next page)");
  history->add_flag("--forward", history_args->forward, "page towards newer messages, oldest first");
  history->add_option("--after", history_args->after_seq, "with --forward: only messages newer than this seq");
  history->add_option("--time-begin", history_args->time_begin,
                      "server time in seconds the range starts from (backwards: now when 0)");
  history->add_option("--time-period", history_args->time_period, "length of the time range in seconds (0: unbounded)");
  history->add_flag("--ramble", history_args->ramble,
                    "fetch older messages missing locally from the server's archive first (is_ramble; "
                    "forwards: only a page from the oldest)");
  AddElemTypeOption(*history, &history_args->types);
  commands.push_back({history, [&common, history_args] { return RunHistory(common, *history_args); }});

  auto* convs = app.add_subcommand("convs", "List conversations, most recently active first (ListConversations)");
  AddCommonOptions(*convs, common);
  commands.push_back({convs, [&common] {
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::ListConversationsRequest, tim::v1::ListConversationsResponse>(
                            client, *client.stubs().conversations, &tim::v1::Conversations::Stub::ListConversations, {},
                            ConversationsText);
                      }});
}

}  // namespace timctl
