#include "service/systemd_notifier.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdlib>

namespace timd::service {

std::string LoginStatusText(const tim::v1::GetLoginStatusResponse& status) {
  std::string text;
  switch (status.status()) {
    case tim::v1::LOGINED:
      text = "logged in as " + status.user_id();
      break;
    case tim::v1::LOGINING:
      text = "logging in as " + status.user_id();
      break;
    case tim::v1::LOGOUTING:
      text = "logging out " + status.user_id();
      break;
    default:
      text = "not logged in";
      break;
  }
  if (!status.network_desc().empty()) text += ": " + status.network_desc();
  // A newline would start another assignment in the notify message.
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

SystemdNotifier::SystemdNotifier(uv_loop_t* loop, domain::SessionCalls& session, events::EventBus& bus)
    : session_(session),
      bus_(bus), enabled_(std::getenv("NOTIFY_SOCKET") != nullptr), watchdog_(loop) {}

SystemdNotifier::~SystemdNotifier() {
  if (network_events_) network_events_->Cancel();
}

void SystemdNotifier::Ready() {
  if (!enabled_) return;
  status_ = LoginStatusText(session_.GetLoginStatus());
  sd_notify(0, ("READY=1\nSTATUS=" + status_).c_str());
  events::SubscriptionFilter filter;
  filter.kinds = {tim::v1::EVENT_KIND_NETWORK_STATUS};
  auto subscription =
      bus_.Subscribe(std::nullopt, std::move(filter), nullptr, events::Audience::kInternal);
  if (!subscription.ok()) {
    spdlog::warn("systemd status: cannot follow the login state: {}", subscription.status().message());
  } else {
    network_events_ = std::move(subscription).value();
    // Called on the loop thread, where the bus delivers committed events.
    network_events_->SetReadyCallback([this] { OnNetworkEvents(); });
  }
  watchdog_.Start();
}

void SystemdNotifier::Stopping() {
  if (enabled_) sd_notify(0, "STOPPING=1\nSTATUS=stopping");
}

void SystemdNotifier::OnNetworkEvents() {
  bool changed = false;
  while (network_events_->Pop()) changed = true;
  if (changed) SendStatus();
}

void SystemdNotifier::SendStatus() {
  std::string status = LoginStatusText(session_.GetLoginStatus());
  if (status == status_) return;
  status_ = std::move(status);
  sd_notify(0, ("STATUS=" + status_).c_str());
}

}  // namespace timd::service
