// Tells systemd (Type=notify) how timd is doing: READY=1 once the API is
// served, STATUS= with the login state whenever it changes, WATCHDOG=1 (see
// SystemdWatchdog) and STOPPING=1 at shutdown. Outside systemd, without
// $NOTIFY_SOCKET, it does nothing.
#pragma once

#include <uv.h>

#include <memory>
#include <string>

#include "domain/session_calls.h"
#include "events/event_bus.h"
#include "service/systemd_watchdog.h"

namespace timd::service {

// One line for `systemctl status`, e.g. "logged in as alice: connected".
std::string LoginStatusText(const tim::v1::GetLoginStatusResponse& status);

class SystemdNotifier {
 public:
  // Loop thread, like every method. `session` and `bus` outlive the notifier.
  SystemdNotifier(uv_loop_t* loop, domain::SessionCalls& session, events::EventBus& bus);
  ~SystemdNotifier();
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  // READY=1 with the current login state; then follows the login state
  // through the NetworkStatus events and starts the watchdog pings.
  void Ready();
  void Stopping();

 private:
  void OnNetworkEvents();
  void SendStatus();

  domain::SessionCalls& session_;
  events::EventBus& bus_;
  const bool enabled_;  // $NOTIFY_SOCKET is set
  SystemdWatchdog watchdog_;
  std::shared_ptr<events::Subscription> network_events_;
  std::string status_;  // last STATUS= sent
};

}  // namespace timd::service
