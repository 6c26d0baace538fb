// message_edit_app: TIMMsgRevoke and TIMMsgModifyMessage through
// libtimclient, as an app makes them, and the callbacks they cause.
//
//   message_edit_app --socket S --consumer C --user U --sig-file F --peer P
//
// Logs in, sends P two texts and revokes the first (passing the Message
// JSON TIMMsgSendMessage returned), modifies the second, and revokes a
// message that does not exist. Prints one line per result, "<call> <code>
// <json>", and one per callback, "revoke-callback <json>" and
// "update-callback <json>"; exits once both callbacks came (or after 20 s).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "TIMCloud.h"
#include "integration/client/app_args.h"
#include "integration/client/app_call.h"
#include "integration/client/app_login.h"

namespace {

using timd::test::Call;
using timd::test::Print;

std::atomic<bool> revoke_seen{false}, update_seen{false};

void OnRevoke(const char* json_msg_revoke_info_array, const void*) {
  Print(std::string("revoke-callback ") + json_msg_revoke_info_array);
  revoke_seen = true;
}

void OnUpdate(const char* json_msg_array, const void*) {
  Print(std::string("update-callback ") + json_msg_array);
  update_seen = true;
}

std::string TextMessage(const std::string& text) {
  return nlohmann::json{{kTIMMsgElemArray, {{{kTIMElemType, kTIMElem_Text}, {kTIMTextElemContent, text}}}}}.dump();
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string& sig = parsed.sig;
  const std::string peer = args["--peer"];
  if (args["--user"].empty() || sig.empty() || peer.empty()) {
    std::cerr << "usage: message_edit_app --socket S --consumer C --user U --sig-file F --peer P\n";
    return 2;
  }
  const bool logged_in = timd::test::InitAndLogin(parsed, [] {
    TIMSetMsgRevokeCallback(OnRevoke, nullptr);
    TIMSetMsgUpdateCallback(OnUpdate, nullptr);
  });
  if (!logged_in) return 1;
  Call first, revoke, second, modify, unknown;
  first.Finish("send", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, TextMessage("revoke me").c_str(), nullptr,
                                         Call::Callback, &first));
  revoke.Finish("revoke", TIMMsgRevoke(peer.c_str(), kTIMConv_C2C, first.json.c_str(), Call::Callback, &revoke));
  second.Finish("send", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, TextMessage("modify me").c_str(), nullptr,
                                          Call::Callback, &second));
  auto modified = nlohmann::json::parse(second.json);
  modified[kTIMMsgElemArray] = {{{kTIMElemType, kTIMElem_Text}, {kTIMTextElemContent, "modified"}}};
  modified[kTIMMsgCloudCustomStr] = "edited";
  modify.Finish("modify", TIMMsgModifyMessage(modified.dump().c_str(), Call::Callback, &modify));
  const std::string no_such = nlohmann::json{{kTIMMsgMsgId, "no-such-message"}}.dump();
  unknown.Finish("revoke-unknown", TIMMsgRevoke(peer.c_str(), kTIMConv_C2C, no_such.c_str(), Call::Callback, &unknown));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!(revoke_seen && update_seen) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  TIMUninit();
  Print("done");
  return 0;
}
