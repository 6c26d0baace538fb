#pragma once

#include <sys/types.h>

#include <string>

namespace timd::test {

// A "Vm…" line of /proc/<pid>/status ("VmRSS", "VmHWM"), in kB; 0 when the
// process or the line is missing.
long ProcessStatusKb(pid_t pid, const std::string& field);

// True in the AddressSanitizer build. Its quarantine keeps freed chunks
// resident (up to 256 MB), so a bound on memory growth can only claim
// "never the whole payload" there, not the tight figure of a normal build.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAddressSanitizer = true;
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif

}  // namespace timd::test
