// conv_create_cancel_app: TIMConvCreate and TIMMsgCancelSend through
// libtimclient, as an app makes them.
//
//   conv_create_cancel_app --socket S --consumer C --user U --sig-file F --peer P
//
// Logs in, creates the conversation with P twice and a group one, sends P a
// text and tries to cancel it (sent: 8020) and an unknown id (7011), then
// prints "ready" and waits for the network to go down (the test kills the
// server), sends P a text and cancels it: the send's callback ends with
// 8021; then sends that message's JSON again (TIM's resend) and waits for
// its callback (the test brings the server back) and for a ConvEvent showing
// it sent. Prints "<call> <code> <json or desc>" per result, "conv-event
// <type> <json>" per ConvEvent, and "done".
#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
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

std::atomic<bool> offline{false};

std::mutex sent_mu;
std::set<std::string> shown_as_sent;  // ids a ConvEvent showed as a sent last message

void OnConvEvent(enum TIMConvEvent conv_event, const char* json_conv_array, const void*) {
  Print("conv-event " + std::to_string(conv_event) + " " + json_conv_array);
  const json convs = json::parse(json_conv_array, nullptr, false);
  if (!convs.is_array()) return;
  std::lock_guard lock(sent_mu);
  for (const auto& conv : convs) {
    const auto last = conv.find(kTIMConvLastMsg);
    if (last == conv.end() || !last->is_object()) continue;
    if (last->value(kTIMMsgStatus, 0) == kTIMMsg_SendSucc) shown_as_sent.insert(last->value(kTIMMsgMsgId, ""));
  }
}

// Waits (up to 30 s) for a ConvEvent showing `msg_id` as the sent last message:
// it may come after the send's callback.
void WaitShownAsSent(const std::string& msg_id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(sent_mu);
      if (shown_as_sent.count(msg_id) != 0) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void OnNetworkStatus(enum TIMNetworkStatus status, int32_t, const char*, const void*) {
  if (status == kTIMDisconnected) offline = true;
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string peer = args["--peer"];
  if (args["--user"].empty() || parsed.sig.empty() || peer.empty()) return 2;
  const bool logged_in = timd::test::InitAndLogin(parsed, [] {
    TIMSetConvEventCallback(OnConvEvent, nullptr);
    TIMSetNetworkStatusListenerCallback(OnNetworkStatus, nullptr);
  });
  if (!logged_in) return 1;
  const char* p = peer.c_str();
  auto cb = Call::Callback;
  Run("create", [&](Call* c) { return TIMConvCreate(p, kTIMConv_C2C, cb, c); });
  Run("create-again", [&](Call* c) { return TIMConvCreate(p, kTIMConv_C2C, cb, c); });
  Run("create-group", [&](Call* c) { return TIMConvCreate("room", kTIMConv_Group, cb, c); });
  Print("create-null " + std::to_string(TIMConvCreate(nullptr, kTIMConv_C2C, cb, nullptr)));

  const std::string text = json{{kTIMMsgElemArray, {{{kTIMElemType, kTIMElem_Text}, {kTIMTextElemContent, "hi"}}}}}.dump();
  char sent_id[128] = {};
  Run("send", [&](Call* c) { return TIMMsgSendMessage(p, kTIMConv_C2C, text.c_str(), sent_id, cb, c); });
  Run("cancel-sent", [&](Call* c) { return TIMMsgCancelSend(p, kTIMConv_C2C, sent_id, cb, c); });
  Run("cancel-unknown", [&](Call* c) { return TIMMsgCancelSend(p, kTIMConv_C2C, "no-such-message", cb, c); });
  Print("cancel-null " + std::to_string(TIMMsgCancelSend(p, kTIMConv_C2C, nullptr, cb, nullptr)));

  Print("ready");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!offline && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  char unsent_id[128] = {};
  Call unsent;
  const int rc = TIMMsgSendMessage(p, kTIMConv_C2C, text.c_str(), unsent_id, cb, &unsent);
  // The send may reach timd after a first cancel does (7011): try again.
  for (int attempt = 0; attempt < 200; ++attempt) {
    Call cancel;
    const int started = TIMMsgCancelSend(p, kTIMConv_C2C, unsent_id, cb, &cancel);
    std::unique_lock lock(cancel.mu);
    cancel.cv.wait(lock, [&] { return cancel.done || started != TIM_SUCC; });
    if (started == TIM_SUCC && cancel.code == ERR_SDK_COMM_DATABASE_NOTFOUND) {
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    Print("cancel " + std::to_string(started == TIM_SUCC ? cancel.code : started) + " " + cancel.json);
    break;
  }
  unsent.Finish("unsent", rc);

  // TIM's resend: the cancelled message's JSON, sent again; it waits in the
  // outbox until the test brings the server back.
  json resend = json::parse(text);
  resend[kTIMMsgMsgId] = unsent_id;
  resend[kTIMMsgIsFormSelf] = true;
  char resent_id[128] = {};
  Call resent;
  const int resend_rc = TIMMsgSendMessage(p, kTIMConv_C2C, resend.dump().c_str(), resent_id, cb, &resent);
  Print(std::string("resend-id ") + resent_id);
  if (resent.Finish("resend", resend_rc) == TIM_SUCC) WaitShownAsSent(resent_id);
  TIMUninit();
  Print("done");
  return 0;
}
