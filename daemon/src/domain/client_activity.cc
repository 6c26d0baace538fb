#include "domain/client_activity.h"

namespace timd::domain {

ClientActivity::ClientActivity(uv_loop_t* loop, events::EventBus& bus) : bus_(bus), inactive_timer_(loop) {
  bus_.SetAppCountListener([this](size_t apps) { OnAppCount(apps); });
}

ClientActivity::~ClientActivity() { bus_.SetAppCountListener(nullptr); }

void ClientActivity::Attach(xmpp::CsiManager& csi) {
  csi_ = &csi;
  Indicate();
}

void ClientActivity::OnAppCount(size_t apps) {
  if (apps > 0) {
    inactive_timer_.Stop();
    if (active_) return;
    active_ = true;
    return Indicate();
  }
  if (!active_ || inactive_timer_.active()) return;
  inactive_timer_.Start(kInactiveDelayMs, [this] {
    active_ = false;
    Indicate();
  });
}

void ClientActivity::Indicate() {
  if (csi_ != nullptr) csi_->Indicate(active_);
}

}  // namespace timd::domain
