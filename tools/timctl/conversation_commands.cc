// conv-create, conv-delete, conv-delete-list, conv-info, conv-filter, draft, pin, mark,
// conv-custom-data: the conversation calls of conversation_edits.proto.
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "human_format.h"
#include "timd_client.h"

namespace timctl {
namespace {

using Conversations = tim::v1::Conversations::Stub;

struct ConvArgs {
  std::string peer;
  std::string text;         // draft
  std::string user_define;  // draft
  bool cancel = false;      // draft
  bool off = false;         // pin, mark
};

struct ListArgs {
  std::vector<std::string> ids;
  uint64_t mark_type = 0;
  bool off = false;
  bool keep_messages = false;
  std::string data;
};

struct FilterArgs {
  int conv_type = 0;
  uint64_t mark_type = 0;
  bool has_unread = false;
  uint64_t next_seq = 0;
  uint32_t count = 0;
};

// "c2c_bob  ok" or "c2c_bob  failed 6004: why", one line per result.
template <typename Response>
std::string ResultsText(const Response& response) {
  std::string text;
  for (const auto& r : response.results()) {
    if (!text.empty()) text += '\n';
    text += r.conversation_id() + (r.result_code() == 0 ? "  ok"
                                                        : "  failed " + std::to_string(r.result_code()) + ": " +
                                                              r.result_info());
  }
  return text;
}

// Runs one Conversations call and prints `human` of its response (or --json).
template <typename Request, typename Response>
int Call(CommonOptions& common, UnaryMethod<Conversations, Request, Response> method, const Request& request,
         const std::function<std::string(const Response&)>& human) {
  TimdClient client(common);
  return CallAndPrint<Request, Response>(client, *client.stubs().conversations, method, request, human);
}

CLI::App* Subcommand(CLI::App& app, CommonOptions& common, const char* name, const char* description) {
  auto* sub = app.add_subcommand(name, description);
  AddCommonOptions(*sub, common);
  return sub;
}

void AddPeer(CLI::App& sub, ConvArgs& args) {
  sub.add_option("PEER", args.peer, "peer user ID: local part or bare JID")->required();
}

void AddIds(CLI::App& sub, ListArgs& args) {
  sub.add_option("CONVERSATION_ID", args.ids, "conversation IDs: c2c_<user>")->required();
}

}  // namespace

void AddConversationCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto conv = std::make_shared<ConvArgs>();
  auto list = std::make_shared<ListArgs>();
  auto filter = std::make_shared<FilterArgs>();

  auto* create = Subcommand(app, common, "conv-create",
                            "Create a C2C conversation without a message (CreateConversation, TIMConvCreate)");
  AddPeer(*create, *conv);
  commands.push_back({create, [&common, conv] {
                        tim::v1::CreateConversationRequest request;
                        request.set_conv_id(conv->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        return Call<tim::v1::CreateConversationRequest, tim::v1::CreateConversationResponse>(
                            common, &Conversations::CreateConversation, request,
                            [](const auto& r) { return ConversationLine(r.conversation()); });
                      }});

  auto* del = Subcommand(app, common, "conv-delete",
                         "Delete a C2C conversation and its stored messages (DeleteConversation)");
  AddPeer(*del, *conv);
  commands.push_back({del, [&common, conv] {
                        tim::v1::DeleteConversationRequest request;
                        request.set_conv_id(conv->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        return Call<tim::v1::DeleteConversationRequest, tim::v1::DeleteConversationResponse>(
                            common, &Conversations::DeleteConversation, request,
                            [conv](const auto&) { return "deleted " + conv->peer; });
                      }});

  auto* del_list = Subcommand(app, common, "conv-delete-list", "Delete conversations by ID (DeleteConversationList)");
  AddIds(*del_list, *list);
  del_list->add_flag("--keep-messages", list->keep_messages, "keep the stored messages");
  commands.push_back({del_list, [&common, list] {
                        tim::v1::DeleteConversationListRequest request;
                        for (const auto& id : list->ids) request.add_conversation_ids(id);
                        request.set_clear_messages(!list->keep_messages);
                        return Call<tim::v1::DeleteConversationListRequest, tim::v1::DeleteConversationListResponse>(
                            common, &Conversations::DeleteConversationList, request,
                            ResultsText<tim::v1::DeleteConversationListResponse>);
                      }});

  auto* info = Subcommand(app, common, "conv-info", "Show C2C conversations by peer (GetConversations)");
  info->add_option("PEER", list->ids, "peer user IDs")->required();
  commands.push_back({info, [&common, list] {
                        tim::v1::GetConversationsRequest request;
                        for (const auto& peer : list->ids) {
                          auto* key = request.add_keys();
                          key->set_conv_id(peer);
                          key->set_conv_type(tim::v1::CONV_C2C);
                        }
                        return Call<tim::v1::GetConversationsRequest, tim::v1::GetConversationsResponse>(
                            common, &Conversations::GetConversations, request,
                            [](const auto& r) { return ConversationLines(r.conversations()); });
                      }});

  auto* by_filter = Subcommand(app, common, "conv-filter",
                               "List conversations matching a filter, a page at a time (GetConversationListByFilter)");
  by_filter->add_option("--type", filter->conv_type, "conversation type: 1 C2C, 2 group (default: any)")
      ->check(CLI::Range(0, 2));
  by_filter->add_option("--mark", filter->mark_type, "only conversations with all these mark bits");
  by_filter->add_flag("--unread", filter->has_unread, "only conversations with unread messages");
  by_filter->add_option("--next-seq", filter->next_seq, "continue after a previous page (its next_seq)");
  by_filter->add_option("--count", filter->count, "page size (default 100)");
  commands.push_back({by_filter, [&common, filter] {
                        tim::v1::GetConversationListByFilterRequest request;
                        request.mutable_filter()->set_conv_type(static_cast<tim::v1::ConvType>(filter->conv_type));
                        request.mutable_filter()->set_mark_type(filter->mark_type);
                        request.mutable_filter()->set_has_unread_count(filter->has_unread);
                        request.set_next_seq(filter->next_seq);
                        request.set_count(filter->count);
                        return Call<tim::v1::GetConversationListByFilterRequest,
                                    tim::v1::GetConversationListByFilterResponse>(
                            common, &Conversations::GetConversationListByFilter, request, [](const auto& r) {
                              return ConversationLines(r.conversations()) +
                                     (r.is_finished() ? "" : "\n(more: --next-seq " + std::to_string(r.next_seq()) + ")");
                            });
                      }});

  auto* draft = Subcommand(app, common, "draft", "Set or cancel a C2C conversation's draft (SetDraft)");
  AddPeer(*draft, *conv);
  auto* text = draft->add_option("TEXT", conv->text, "draft text (a message of one text element)");
  draft->add_option("--user-define", conv->user_define, "the draft's app-defined string");
  draft->add_flag("--cancel", conv->cancel, "remove the draft")->excludes(text);
  commands.push_back({draft, [&common, conv] {
                        tim::v1::SetDraftRequest request;
                        request.set_conv_id(conv->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        if (!conv->cancel) {
                          auto* d = request.mutable_draft();
                          d->set_user_define(conv->user_define);
                          if (!conv->text.empty()) {
                            auto* elem = d->mutable_msg()->add_elems();
                            elem->set_type(tim::v1::ELEM_TEXT);
                            elem->mutable_text()->set_content(conv->text);
                          }
                        }
                        return Call<tim::v1::SetDraftRequest, tim::v1::SetDraftResponse>(
                            common, &Conversations::SetDraft, request,
                            [conv](const auto&) { return std::string(conv->cancel ? "draft cancelled" : "draft set"); });
                      }});

  auto* pin = Subcommand(app, common, "pin", "Pin a C2C conversation, or unpin it with --off (PinConversation)");
  AddPeer(*pin, *conv);
  pin->add_flag("--off", conv->off, "unpin");
  commands.push_back({pin, [&common, conv] {
                        tim::v1::PinConversationRequest request;
                        request.set_conv_id(conv->peer);
                        request.set_conv_type(tim::v1::CONV_C2C);
                        request.set_is_pinned(!conv->off);
                        return Call<tim::v1::PinConversationRequest, tim::v1::PinConversationResponse>(
                            common, &Conversations::PinConversation, request,
                            [conv](const auto&) { return std::string(conv->off ? "unpinned" : "pinned"); });
                      }});

  auto* mark = Subcommand(app, common, "mark",
                          "Set (or with --off clear) mark bits on conversations (MarkConversation): "
                          "1 star, 2 unread, 4 fold, 8 hide");
  AddIds(*mark, *list);
  mark->add_option("--type", list->mark_type, "mark bits")->required();
  mark->add_flag("--off", list->off, "clear the bits");
  commands.push_back({mark, [&common, list] {
                        tim::v1::MarkConversationRequest request;
                        for (const auto& id : list->ids) request.add_conversation_ids(id);
                        request.set_mark_type(list->mark_type);
                        request.set_enable_mark(!list->off);
                        return Call<tim::v1::MarkConversationRequest, tim::v1::MarkConversationResponse>(
                            common, &Conversations::MarkConversation, request,
                            ResultsText<tim::v1::MarkConversationResponse>);
                      }});

  auto* custom = Subcommand(app, common, "conv-custom-data",
                            "Set conversations' custom data (SetConversationCustomData)");
  AddIds(*custom, *list);
  custom->add_option("--data", list->data, "the custom data (at most 256 bytes; empty clears)")->required();
  commands.push_back({custom, [&common, list] {
                        tim::v1::SetConversationCustomDataRequest request;
                        for (const auto& id : list->ids) request.add_conversation_ids(id);
                        request.set_custom_data(list->data);
                        return Call<tim::v1::SetConversationCustomDataRequest,
                                    tim::v1::SetConversationCustomDataResponse>(
                            common, &Conversations::SetConversationCustomData, request,
                            ResultsText<tim::v1::SetConversationCustomDataResponse>);
                      }});
}

}  // namespace timctl
