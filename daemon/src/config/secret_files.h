// Startup checks of the files that hold secrets (the login password or
// token, the API's TLS key): a misconfigured service stops at once with one
// line naming the file and the fix, and an exit status from sysexits.h that
// the units do not restart on (RestartPreventExitStatus=).
#pragma once

#include <optional>
#include <string>

#include "config/config.h"

namespace timd {

struct StartupRefusal {
  int exit_code;        // EX_NOINPUT: missing; EX_NOPERM: readable by others
  std::string message;  // one line: the file and the fix
};

// A password_file without '/' names a systemd credential when
// $CREDENTIALS_DIRECTORY is set (LoadCredential=NAME:PATH in the unit): it is
// replaced by $CREDENTIALS_DIRECTORY/NAME. Then every secret file must exist,
// and its mode must give group and others nothing beyond 0640 (group read).
std::optional<StartupRefusal> ResolveSecretFiles(Config& config);

}  // namespace timd
