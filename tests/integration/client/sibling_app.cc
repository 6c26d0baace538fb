// sibling_app: one of several apps sharing alice's login. Prints every
// message RecvNewMsg gives it as "recv <is_from_self> <text>". Once the
// first one has arrived (its subscription is live then), sends --text to
// --peer with TIMMsgSendMessage ("send <code> <json>"), and exits with
// "done" once a message reading --until has arrived.
//
//   sibling_app --socket S --consumer C --user U --sig-file F --peer P --text T --until U
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "TIMCloud.h"
#include "integration/client/app_args.h"
#include "integration/client/app_call.h"
#include "integration/client/app_login.h"

namespace {

using json = nlohmann::json;
using timd::test::Call;
using timd::test::Print;

std::mutex mu;
std::condition_variable arrived;
std::string until;
bool any_seen = false;
bool until_seen = false;

void OnNewMessages(const char* json_msg_array, const void*) {
  for (const auto& message : json::parse(json_msg_array)) {
    const std::string text = message[kTIMMsgElemArray][0].value(kTIMTextElemContent, "");
    Print("recv " + std::to_string(message.value(kTIMMsgIsFormSelf, false) ? 1 : 0) + " " + text);
    std::lock_guard lock(mu);
    any_seen = true;
    if (text == until) until_seen = true;
    arrived.notify_all();
  }
}

template <typename Predicate>
bool WaitFor(Predicate predicate) {
  std::unique_lock lock(mu);
  return arrived.wait_for(lock, std::chrono::seconds(20), predicate);
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  auto& args = parsed.values;
  const std::string peer = args["--peer"], text = args["--text"];
  until = args["--until"];
  if (args["--user"].empty() || parsed.sig.empty() || peer.empty() || text.empty() || until.empty()) {
    std::cerr << "usage: sibling_app --socket S --consumer C --user U --sig-file F --peer P --text T --until U\n";
    return 2;
  }
  if (!timd::test::InitAndLogin(parsed, [] { TIMAddRecvNewMsgCallback(OnNewMessages, nullptr); })) return 1;
  if (!WaitFor([] { return any_seen; })) Print("timeout");
  const std::string message =
      json{{kTIMMsgElemArray, {{{kTIMElemType, kTIMElem_Text}, {kTIMTextElemContent, text}}}}}.dump();
  Call send;
  send.Finish("send", TIMMsgSendMessage(peer.c_str(), kTIMConv_C2C, message.c_str(), nullptr, Call::Callback, &send));
  if (!WaitFor([] { return until_seen; })) Print("timeout");
  TIMUninit();
  Print("done");
  return 0;
}
