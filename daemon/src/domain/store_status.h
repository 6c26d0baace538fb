// The status a call answers when the local store fails under it.
#pragma once

#include <string>

#include "common/status.h"
#include "store/database.h"

namespace timd::domain {

inline Status StoreFailureStatus(const store::StoreError& e) {
  return Status(Code::kInternal, tim_err::kDatabaseFailure, std::string("local store failure: ") + e.what());
}

}  // namespace timd::domain
