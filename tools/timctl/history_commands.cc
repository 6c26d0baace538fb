// find, find-locator, delete, clear-history, set-local-data, search:
// lookups, local changes and full-text search of stored history
// (history.proto).
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "elem_type_option.h"
#include "human_format.h"
#include "timd_client.h"

namespace timctl {
namespace {

struct LocatorArgs {
  std::string peer;
  uint64_t seq = 0;
  uint64_t time = 0;
  uint64_t rand = 0;
  uint64_t unique_id = 0;
};

struct DeleteArgs {
  std::string peer;
  std::vector<std::string> msg_ids;
};

struct LocalDataArgs {
  std::string msg_id;
  uint32_t custom_int = 0;
  std::string custom_str;
};

struct SearchArgs {
  std::vector<std::string> keywords;
  bool match_all = false;
  std::string peer;
  std::vector<std::string> senders;
  uint64_t time_position = 0;
  uint64_t time_period = 0;
  uint32_t page_index = 0;
  uint32_t page_size = 20;
  std::vector<std::string> types;
};

std::string SearchText(const tim::v1::SearchLocalMessagesResponse& response) {
  std::string text = std::to_string(response.total_count()) + " found";
  for (const auto& item : response.items()) {
    text += "\n" + item.conv_id() + ": " + std::to_string(item.total_message_count()) + " message(s)";
    for (const auto& message : item.messages()) text += "\n  " + MessageLine(message);
  }
  return text;
}

template <typename Response>
std::string MessagesText(const Response& response) {
  std::string text;
  for (const auto& message : response.messages()) {
    if (!text.empty()) text += '\n';
    text += MessageLine(message);
  }
  return text.empty() ? "(no messages)" : text;
}

}  // namespace

void AddHistoryCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto find_ids = std::make_shared<std::vector<std::string>>();
  auto* find = app.add_subcommand("find", "Show stored messages by message ID (FindMessages); unknown IDs are left out");
  AddCommonOptions(*find, common);
  find->add_option("MSG_ID", *find_ids, "message IDs (1 to 100)")->required();
  commands.push_back({find, [&common, find_ids] {
                        tim::v1::FindMessagesRequest request;
                        for (const auto& id : *find_ids) request.add_msg_ids(id);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::FindMessagesRequest, tim::v1::FindMessagesResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::FindMessages, request,
                            MessagesText<tim::v1::FindMessagesResponse>);
                      }});

  auto locator_args = std::make_shared<LocatorArgs>();
  auto* locate = app.add_subcommand("find-locator",
                                    "Show a stored message of a C2C conversation by its locator (FindMessagesByLocator)");
  AddCommonOptions(*locate, common);
  locate->add_option("PEER", locator_args->peer, "peer user ID: local part or bare JID")->required();
  locate->add_option("--seq", locator_args->seq, "message seq");
  locate->add_option("--time", locator_args->time, "server time in seconds (with --rand or --unique-id)");
  locate->add_option("--rand", locator_args->rand, "message rand");
  locate->add_option("--unique-id", locator_args->unique_id, "message unique ID");
  commands.push_back({locate, [&common, locator_args] {
                        tim::v1::FindMessagesByLocatorRequest request;
                        request.set_conv_id(locator_args->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        auto& locator = *request.add_locators();
                        locator.set_seq(locator_args->seq);
                        locator.set_time(locator_args->time);
                        locator.set_rand(locator_args->rand);
                        locator.set_unique_id(locator_args->unique_id);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::FindMessagesByLocatorRequest,
                                            tim::v1::FindMessagesByLocatorResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::FindMessagesByLocator, request,
                            MessagesText<tim::v1::FindMessagesByLocatorResponse>);
                      }});

  auto delete_args = std::make_shared<DeleteArgs>();
  auto* remove = app.add_subcommand("delete", "Delete messages of a C2C conversation locally (DeleteMessages)");
  AddCommonOptions(*remove, common);
  remove->add_option("PEER", delete_args->peer, "peer user ID: local part or bare JID")->required();
  remove->add_option("MSG_ID", delete_args->msg_ids, "message IDs (1 to 50)")->required();
  commands.push_back({remove, [&common, delete_args] {
                        tim::v1::DeleteMessagesRequest request;
                        request.set_conv_id(delete_args->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        for (const auto& id : delete_args->msg_ids) request.add_msg_ids(id);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::DeleteMessagesRequest, tim::v1::DeleteMessagesResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::DeleteMessages, request,
                            [](const tim::v1::DeleteMessagesResponse&) { return std::string("deleted"); });
                      }});

  auto clear_peer = std::make_shared<std::string>();
  auto* clear = app.add_subcommand("clear-history", "Delete every message of a C2C conversation locally (ClearHistory)");
  AddCommonOptions(*clear, common);
  clear->add_option("PEER", *clear_peer, "peer user ID: local part or bare JID")->required();
  commands.push_back({clear, [&common, clear_peer] {
                        tim::v1::ClearHistoryRequest request;
                        request.set_conv_id(*clear_peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::ClearHistoryRequest, tim::v1::ClearHistoryResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::ClearHistory, request,
                            [](const tim::v1::ClearHistoryResponse&) { return std::string("cleared"); });
                      }});

  auto data_args = std::make_shared<LocalDataArgs>();
  auto* data = app.add_subcommand("set-local-data",
                                  "Set a stored message's local custom data (SetLocalCustomData); never sent");
  AddCommonOptions(*data, common);
  data->add_option("MSG_ID", data_args->msg_id, "message ID")->required();
  data->add_option("--int", data_args->custom_int, "message_custom_int");
  data->add_option("--str", data_args->custom_str, "message_custom_str");
  commands.push_back({data, [&common, data_args] {
                        tim::v1::SetLocalCustomDataRequest request;
                        request.set_msg_id(data_args->msg_id);
                        request.set_custom_int(data_args->custom_int);
                        request.set_custom_str(data_args->custom_str);
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::SetLocalCustomDataRequest, tim::v1::SetLocalCustomDataResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::SetLocalCustomData, request,
                            [](const tim::v1::SetLocalCustomDataResponse& r) { return MessageLine(r.message()); });
                      }});

  auto search_args = std::make_shared<SearchArgs>();
  auto* search = app.add_subcommand("search", "Full-text search of stored messages (SearchLocalMessages)");
  AddCommonOptions(*search, common);
  search->add_option("KEYWORD", search_args->keywords,
                     "keywords (1 to 5; any of them, or all with --and; none with --type)");
  AddElemTypeOption(*search, &search_args->types);
  search->add_flag("--and", search_args->match_all, "messages must contain every keyword");
  search->add_option("--peer", search_args->peer, "only this C2C conversation (default: every conversation)");
  search->add_option("--sender", search_args->senders, "only messages from these user IDs");
  search->add_option("--time-position", search_args->time_position, "search back from this time (seconds; 0: now)");
  search->add_option("--time-period", search_args->time_period, "how far back in seconds (0: unbounded)");
  search->add_option("--page", search_args->page_index, "page index, from 0");
  search->add_option("--page-size", search_args->page_size, "items per page (0: all; default 20)");
  commands.push_back({search, [&common, search_args] {
                        tim::v1::SearchLocalMessagesRequest request;
                        for (const auto& keyword : search_args->keywords) request.add_keywords(keyword);
                        request.set_match_type(search_args->match_all ? 1 : 0);
                        for (const auto& sender : search_args->senders) request.add_sender_ids(sender);
                        if (!search_args->peer.empty()) {
                          request.set_conv_id(search_args->peer);
                          request.set_conv_type(tim::v1::CONV_C2C);
                        }
                        request.set_time_position(search_args->time_position);
                        request.set_time_period(search_args->time_period);
                        request.set_page_index(search_args->page_index);
                        request.set_page_size(search_args->page_size);
                        AddElemTypes(search_args->types, request.mutable_message_types());
                        TimdClient client(common);
                        return CallAndPrint<tim::v1::SearchLocalMessagesRequest, tim::v1::SearchLocalMessagesResponse>(
                            client, *client.stubs().messages, &tim::v1::Messages::Stub::SearchLocalMessages, request,
                            SearchText);
                      }});
}

}  // namespace timctl
