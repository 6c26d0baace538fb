// conversation_app: the conversation calls through libtimclient, as an app
// makes them, and the ConvEvents they cause.
//
//   conversation_app --socket S --consumer C --user U --sig-file F --peer P
//
// Logs in, sends P a text (the conversation), then looks it up, drafts,
// pins, marks, sets custom data, filters, lists, cancels the draft and
// deletes it, each also with an unknown conversation ("nobody") or bad
// input. Prints one line per result, "<call> <code> <json>" (synchronous
// calls: "<call> <rc>"), and one per ConvEvent, "conv-event <type> <json>";
// exits once the Del event came (or after 20 s).
#include <atomic>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "TIMCloud.h"
#include "integration/client/app_args.h"
#include "integration/client/app_call.h"
#include "integration/client/app_login.h"

namespace {

using nlohmann::json;
using timd::test::Call;
using timd::test::Print;
using timd::test::Run;

std::atomic<bool> del_seen{false};

void OnConvEvent(enum TIMConvEvent conv_event, const char* json_conv_array, const void*) {
  Print("conv-event " + std::to_string(conv_event) + " " + json_conv_array);
  if (conv_event == kTIMConvEvent_Del) del_seen = true;
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string peer = args["--peer"];
  if (args["--user"].empty() || parsed.sig.empty() || peer.empty()) {
    std::cerr << "usage: conversation_app --socket S --consumer C --user U --sig-file F --peer P\n";
    return 2;
  }
  if (!timd::test::InitAndLogin(parsed, [] { TIMSetConvEventCallback(OnConvEvent, nullptr); })) return 1;
  const char* p = peer.c_str();
  const std::string conversation_id = "c2c_" + peer;
  const std::string ids = json::array({conversation_id, "c2c_nobody"}).dump();
  const std::string text = json{{kTIMMsgElemArray, {{{kTIMElemType, kTIMElem_Text}, {kTIMTextElemContent, "hi"}}}}}.dump();
  auto cb = Call::Callback;

  Run("send", [&](Call* c) { return TIMMsgSendMessage(p, kTIMConv_C2C, text.c_str(), nullptr, cb, c); });
  const std::string keys = json::array({{{kTIMGetConversationListParamConvId, peer},
                                         {kTIMGetConversationListParamConvType, kTIMConv_C2C}},
                                        {{kTIMGetConversationListParamConvId, "nobody"},
                                         {kTIMGetConversationListParamConvType, kTIMConv_C2C}}})
                               .dump();
  Run("conv-info", [&](Call* c) { return TIMConvGetConvInfo(keys.c_str(), cb, c); });
  const std::string draft = json{{kTIMDraftMsg, json::parse(text)}, {kTIMDraftUserDefine, "ud"}}.dump();
  Print("set-draft " + std::to_string(TIMConvSetDraft(p, kTIMConv_C2C, draft.c_str())));
  Print("set-draft-unknown " + std::to_string(TIMConvSetDraft("nobody", kTIMConv_C2C, draft.c_str())));
  Print("set-draft-json " + std::to_string(TIMConvSetDraft(p, kTIMConv_C2C, "{not json")));
  Run("pin", [&](Call* c) { return TIMConvPinConversation(p, kTIMConv_C2C, true, cb, c); });
  Run("mark", [&](Call* c) { return TIMConvMarkConversation(ids.c_str(), kTIMConversationMarkTypeStar, true, cb, c); });
  Run("custom", [&](Call* c) { return TIMConvSetConversationCustomData(ids.c_str(), "cd", cb, c); });
  const std::string filter = json{{kTIMConversationListFilterMarkType, kTIMConversationMarkTypeStar}}.dump();
  Run("filter", [&](Call* c) { return TIMConvGetConversationListByFilter(filter.c_str(), 0, 10, cb, c); });
  Run("list", [&](Call* c) { return TIMConvGetConvList(cb, c); });
  Print("cancel-draft " + std::to_string(TIMConvCancelDraft(p, kTIMConv_C2C)));
  Run("delete-unknown", [&](Call* c) { return TIMConvDelete("nobody", kTIMConv_C2C, cb, c); });
  Run("delete", [&](Call* c) { return TIMConvDelete(p, kTIMConv_C2C, cb, c); });
  Run("delete-list", [&](Call* c) { return TIMConvDeleteConversationList(ids.c_str(), true, cb, c); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!del_seen && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  TIMUninit();
  Print("done");
  return 0;
}
