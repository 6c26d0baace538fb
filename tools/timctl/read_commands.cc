// read, clean-unread, send-read-receipts, read-receipts, mark-all-read, unread: read state.
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "timd_client.h"

namespace timctl {
namespace {

struct ReadArgs {
  std::string peer;
  std::string msg_id;
};

// unread's filter: any of them set asks for the matching conversations' total.
struct UnreadFilterArgs {
  int conv_type = 0;
  uint64_t mark_type = 0;
  bool has_unread = false;
  bool Any() const { return conv_type != 0 || mark_type != 0 || has_unread; }
};

struct CleanArgs {
  std::string conversation_id;
  uint64_t timestamp = 0;
  uint64_t sequence = 0;
};

std::string ReceiptsText(const tim::v1::GetMessageReadReceiptsResponse& response) {
  std::string text;
  for (const auto& receipt : response.receipts()) {
    if (!text.empty()) text += '\n';
    text += receipt.msg_id() + (receipt.is_peer_read() ? "  read by " : "  not read by ") + receipt.conv_id();
  }
  return text;
}

}  // namespace

void AddReadCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto read_args = std::make_shared<ReadArgs>();
  auto* read = app.add_subcommand(
      "read", "Mark a C2C conversation read up to a message, or its newest (ReportRead); the peer gets a marker");
  AddCommonOptions(*read, common);
  read->add_option("PEER", read_args->peer, "peer user ID: local part or bare JID")->required();
  read->add_option("MSG_ID", read_args->msg_id, "read up to this message (default: the newest)");
  commands.push_back({read, [&common, read_args] {
                        tim::v1::ReportReadRequest request;
                        request.set_conv_id(read_args->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        request.set_msg_id(read_args->msg_id);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::ReportReadRequest, tim::v1::ReportReadResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::ReportRead, request,
                            [](const tim::v1::ReportReadResponse&) { return std::string("read"); });
                      }});

  auto clean_args = std::make_shared<CleanArgs>();
  auto* clean = app.add_subcommand(
      "clean-unread", "Clear unread counts (CleanConversationUnreadMessageCount): c2c_PEER, c2c or \"\" for all");
  AddCommonOptions(*clean, common);
  clean->add_option("CONVERSATION_ID", clean_args->conversation_id, "c2c_<user>, c2c, or empty for all");
  clean->add_option("--timestamp", clean_args->timestamp, "read up to this server time (seconds)");
  clean->add_option("--seq", clean_args->sequence, "read up to this message seq");
  commands.push_back({clean, [&common, clean_args] {
                        tim::v1::CleanUnreadRequest request;
                        request.set_conversation_id(clean_args->conversation_id);
                        request.set_clean_timestamp(clean_args->timestamp);
                        request.set_clean_sequence(clean_args->sequence);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::CleanUnreadRequest, tim::v1::CleanUnreadResponse>(
                            client, *client.stubs().conversations,
                            &tim::v1::Conversations::Stub::CleanConversationUnreadMessageCount, request,
                            [](const tim::v1::CleanUnreadResponse&) { return std::string("cleaned"); });
                      }});

  auto send_ids = std::make_shared<std::vector<std::string>>();
  auto* send = app.add_subcommand("send-read-receipts",
                                  "Mark messages of one conversation read (SendMessageReadReceipts)");
  AddCommonOptions(*send, common);
  send->add_option("MSG_ID", *send_ids, "message IDs, all of one conversation")->required();
  commands.push_back({send, [&common, send_ids] {
                        tim::v1::SendMessageReadReceiptsRequest request;
                        for (const auto& id : *send_ids) request.add_msg_ids(id);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::SendMessageReadReceiptsRequest,
                                            tim::v1::SendMessageReadReceiptsResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::SendMessageReadReceipts,
                            request, [](const tim::v1::SendMessageReadReceiptsResponse&) { return std::string("read"); });
                      }});

  auto get_ids = std::make_shared<std::vector<std::string>>();
  auto* get = app.add_subcommand("read-receipts", "Whether the peer read own messages (GetMessageReadReceipts)");
  AddCommonOptions(*get, common);
  get->add_option("MSG_ID", *get_ids, "own message IDs")->required();
  commands.push_back({get, [&common, get_ids] {
                        tim::v1::GetMessageReadReceiptsRequest request;
                        for (const auto& id : *get_ids) request.add_msg_ids(id);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::GetMessageReadReceiptsRequest,
                                            tim::v1::GetMessageReadReceiptsResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::GetMessageReadReceipts,
                            request, ReceiptsText);
                      }});

  auto* mark_all = app.add_subcommand(
      "mark-all-read", "Mark every conversation read (MarkAllMessageAsRead); each peer gets a marker");
  AddCommonOptions(*mark_all, common);
  commands.push_back({mark_all, [&common] {
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::MarkAllMessageAsReadRequest,
                                            tim::v1::MarkAllMessageAsReadResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::MarkAllMessageAsRead, {},
                            [](const tim::v1::MarkAllMessageAsReadResponse&) { return std::string("read"); });
                      }});

  auto filter = std::make_shared<UnreadFilterArgs>();
  auto* unread = app.add_subcommand(
      "unread", "Total unread messages over all conversations (GetTotalUnreadMessageCount), or over those "
                "matching a filter (GetUnreadMessageCountByFilter)");
  AddCommonOptions(*unread, common);
  unread->add_option("--type", filter->conv_type, "only conversations of this type: 1 C2C, 2 group")
      ->check(CLI::Range(0, 2));
  unread->add_option("--mark", filter->mark_type, "only conversations with all these mark bits");
  unread->add_flag("--has-unread", filter->has_unread, "only conversations with unread messages");
  commands.push_back({unread, [&common, filter] {
                        TimdClient client(common);
                        if (!filter->Any()) {
                          return CallAndPrint<tim::v1::GetTotalUnreadRequest, tim::v1::GetTotalUnreadResponse>(
                              client, *client.stubs().conversations,
                              &tim::v1::Conversations::Stub::GetTotalUnreadMessageCount, {},
                              [](const tim::v1::GetTotalUnreadResponse& r) { return std::to_string(r.unread_count()); });
                        }
                        tim::v1::GetUnreadMessageCountByFilterRequest request;
                        request.mutable_filter()->set_conv_type(static_cast<tim::v1::ConvType>(filter->conv_type));
                        request.mutable_filter()->set_mark_type(filter->mark_type);
                        request.mutable_filter()->set_has_unread_count(filter->has_unread);
                        return CallAndPrint<tim::v1::GetUnreadMessageCountByFilterRequest,
                                            tim::v1::GetUnreadMessageCountByFilterResponse>(
                            client, *client.stubs().conversations,
                            &tim::v1::Conversations::Stub::GetUnreadMessageCountByFilter, request,
                            [](const tim::v1::GetUnreadMessageCountByFilterResponse& r) {
                              return std::to_string(r.unread_count());
                            });
                      }});
}

}  // namespace timctl
