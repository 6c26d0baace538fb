#include "global.h"

#include <mutex>
#include <utility>

namespace timclient {
namespace {

// `lifecycle` serialises TIMInit/TIMUninit; `current` guards the pointer.
std::mutex lifecycle;
std::mutex current_mu;
std::shared_ptr<Context> current;

}  // namespace

std::shared_ptr<Context> CurrentContext() {
  std::lock_guard lock(current_mu);
  return current;
}

bool InstallContext(ContextConfig config) {
  std::lock_guard life(lifecycle);
  if (CurrentContext()) return false;
  auto context = std::make_shared<Context>(std::move(config));
  std::lock_guard lock(current_mu);
  current = std::move(context);
  return true;
}

bool RemoveContext() {
  std::lock_guard life(lifecycle);
  std::shared_ptr<Context> context;
  {
    std::lock_guard lock(current_mu);
    context.swap(current);
  }
  if (!context) return false;
  context->Shutdown();
  return true;
}

}  // namespace timclient
