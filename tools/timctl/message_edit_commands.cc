// revoke, modify, cancel-send.
#include <memory>
#include <string>

#include "commands.h"
#include "message_content.h"
#include "timd_client.h"

namespace timctl {
namespace {

struct RevokeArgs {
  std::string peer;
  std::string msg_id;
};

struct ModifyArgs {
  std::string peer;
  std::string msg_id;
  ContentArgs content;
};

int RunRevoke(const CommonOptions& common, const RevokeArgs& args) {
  tim::v1::RevokeMessageRequest request;
  request.set_conv_id(args.peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(args.msg_id);
  TimdClient client(common);
  return CallAndPrint<tim::v1::RevokeMessageRequest, tim::v1::RevokeMessageResponse>(
      client, *client.stubs().messages, &tim::v1::Messages::Stub::RevokeMessage, request,
      [](const tim::v1::RevokeMessageResponse& r) { return "revoked " + r.message().msg_id(); });
}

int RunCancelSend(const CommonOptions& common, const RevokeArgs& args) {
  tim::v1::CancelSendRequest request;
  request.set_conv_id(args.peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(args.msg_id);
  TimdClient client(common);
  return CallAndPrint<tim::v1::CancelSendRequest, tim::v1::CancelSendResponse>(
      client, *client.stubs().messages, &tim::v1::Messages::Stub::CancelSend, request,
      [](const tim::v1::CancelSendResponse& r) { return "cancelled " + r.message().msg_id(); });
}

int RunModify(const CommonOptions& common, const ModifyArgs& args) {
  const tim::v1::SendMessageRequest content = ContentOf(args.content);
  tim::v1::ModifyMessageRequest request;
  request.set_conv_id(args.peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(args.msg_id);
  *request.mutable_elems() = content.elems();
  request.set_cloud_custom_str(content.cloud_custom_str());
  TimdClient client(common);
  return CallAndPrint<tim::v1::ModifyMessageRequest, tim::v1::ModifyMessageResponse>(
      client, *client.stubs().messages, &tim::v1::Messages::Stub::ModifyMessage, request,
      [](const tim::v1::ModifyMessageResponse& r) {
        return "modified " + r.message().msg_id() + " (seq " + std::to_string(r.message().seq()) + ")";
      });
}

}  // namespace

void AddMessageEditCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto revoke_args = std::make_shared<RevokeArgs>();
  auto* revoke = app.add_subcommand(
      "revoke", "Revoke an own sent C2C message (RevokeMessage, XEP-0424); within [messages] revoke_time_limit");
  AddCommonOptions(*revoke, common);
  revoke->add_option("PEER", revoke_args->peer, "peer user ID: local part or bare JID")->required();
  revoke->add_option("MSG_ID", revoke_args->msg_id, "the message's msg_id")->required();
  commands.push_back({revoke, [&common, revoke_args] { return RunRevoke(common, *revoke_args); }});

  auto cancel_args = std::make_shared<RevokeArgs>();
  auto* cancel = app.add_subcommand(
      "cancel-send", "Cancel an own C2C message still in the outbox, not yet sent (CancelSend, TIMMsgCancelSend)");
  AddCommonOptions(*cancel, common);
  cancel->add_option("PEER", cancel_args->peer, "peer user ID: local part or bare JID")->required();
  cancel->add_option("MSG_ID", cancel_args->msg_id, "the message's msg_id")->required();
  commands.push_back({cancel, [&common, cancel_args] { return RunCancelSend(common, *cancel_args); }});

  auto modify_args = std::make_shared<ModifyArgs>();
  auto* modify = app.add_subcommand(
      "modify", "Replace an own sent C2C message's content (ModifyMessage, XEP-0308); same msg_id and seq");
  AddCommonOptions(*modify, common);
  modify->add_option("PEER", modify_args->peer, "peer user ID: local part or bare JID")->required();
  modify->add_option("MSG_ID", modify_args->msg_id, "the message's msg_id")->required();
  auto* text = modify->add_option("--text", modify_args->content.text, "the new text (one text element)");
  AddMessageJsonOption(*modify, text, modify_args->content);
  commands.push_back({modify, [&common, modify_args] { return RunModify(common, *modify_args); }});
}

}  // namespace timctl
