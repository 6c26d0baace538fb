// Where a named timd instance listens: the systemd template unit
// timd@NAME.socket puts its socket at /run/timd/NAME.sock. Shared by
// libtimclient ("timd_instance") and timctl (--instance).
#pragma once

#include <string>
#include <string_view>

namespace timclient {

// 1-64 of [A-Za-z0-9._-], not starting with '.': one path component.
bool IsValidInstanceName(std::string_view name);

// $TIMD_RUNTIME_DIR/NAME.sock, else /run/timd/NAME.sock (NAME must be valid).
std::string InstanceSocketPath(std::string_view name);

}  // namespace timclient
