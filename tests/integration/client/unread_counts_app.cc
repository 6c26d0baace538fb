// unread_counts_app: the unread-count calls and change callbacks through
// libtimclient, as an app makes them.
//
//   unread_counts_app --socket S --consumer C --user U --sig-file F
//
// Logs in with the total-unread and by-filter callbacks set, subscribes the
// C2C filter (and tries a malformed one, and unsubscribing one never
// subscribed), asks the filter's total, gives the replayed events of the
// messages already there 2 s to reach it (the total callback must stay
// silent: it starts only with the total's first query), asks the total,
// prints "ready" and waits for a
// message to raise the total (the test sends it), marks everything read,
// waits for the total and the filter's total to reach 0, unsubscribes and
// prints "done". Prints "<call> <code> <json or desc>" per result, "total <n>"
// per total callback and "filter-changed <n> <filter>" per by-filter one.
#include <atomic>
#include <chrono>
#include <functional>
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
using timd::test::Run;

std::atomic<int> last_total{-1};
std::atomic<int> last_filter_total{-1};

void OnTotal(int total_unread_count, const void*) {
  last_total = total_unread_count;
  Print("total " + std::to_string(total_unread_count));
}

void OnFilterTotal(const char* filter, int total_unread_count, const void*) {
  last_filter_total = total_unread_count;
  Print("filter-changed " + std::to_string(total_unread_count) + " " + filter);
}

bool WaitUntil(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  timd::test::AppArgs parsed = timd::test::ParseAppArgs(argc, argv);
  if (parsed.values["--user"].empty() || parsed.sig.empty()) return 2;
  const bool logged_in = timd::test::InitAndLogin(parsed, [] {
    TIMSetConvTotalUnreadMessageCountChangedCallback(OnTotal, nullptr);
    TIMSetConvUnreadMessageCountChangedByFilterCallback(OnFilterTotal, nullptr);
  });
  if (!logged_in) return 1;
  const std::string c2c = nlohmann::json{{kTIMConversationListFilterConvType, kTIMConv_C2C}}.dump();
  const std::string starred = nlohmann::json{{kTIMConversationListFilterMarkType, 1}}.dump();
  Print("subscribe " + std::to_string(TIMConvSubscribeUnreadMessageCountByFilter(c2c.c_str())));
  Print("subscribe-malformed " + std::to_string(TIMConvSubscribeUnreadMessageCountByFilter("{")));
  Print("unsubscribe-unknown " + std::to_string(TIMConvUnsubscribeUnreadMessageCountByFilter(starred.c_str())));
  auto cb = Call::Callback;
  Call by_filter;
  by_filter.Finish("by-filter", TIMConvGetUnreadMessageCountByFilter(c2c.c_str(), cb, &by_filter));
  const auto counted = nlohmann::json::parse(by_filter.json, nullptr, false);
  const int before = counted.is_object() ? counted.value("conv_get_total_unread_message_count_result_unread_count", 0) : 0;
  std::this_thread::sleep_for(std::chrono::seconds(2));
  Run("total-count", [&](Call* c) { return TIMConvGetTotalUnreadMessageCount(cb, c); });
  Print("ready");

  // The replayed events of the messages already there bring the total back
  // to `before`; only the test's next message raises it above.
  if (!WaitUntil([before] { return last_total > before && last_filter_total == last_total; })) Print("no-rise");
  Run("mark-all-read", [&](Call* c) { return TIMMsgMarkAllMessageAsRead(cb, c); });
  if (!WaitUntil([] { return last_total == 0 && last_filter_total == 0; })) Print("no-zero");
  Run("by-filter-after", [&](Call* c) { return TIMConvGetUnreadMessageCountByFilter(c2c.c_str(), cb, c); });
  Print("unsubscribe " + std::to_string(TIMConvUnsubscribeUnreadMessageCountByFilter(c2c.c_str())));
  TIMUninit();
  Print("done");
  return 0;
}
