// The one Context of the process, created by TIMInit and dropped by
// TIMUninit. API calls take a reference for their duration.
#pragma once

#include <memory>

#include "context.h"

namespace timclient {

// Null before TIMInit and after TIMUninit.
std::shared_ptr<Context> CurrentContext();

// False when already initialised (the existing context stays).
bool InstallContext(ContextConfig config);
// Shuts the context down; false when there was none.
bool RemoveContext();

}  // namespace timclient
