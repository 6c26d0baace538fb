#include "support/app_process.h"

#include <sstream>
#include <thread>
#include <utility>

#include "support/timd_process.h"

namespace timd::test {

bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

AppProcess::AppProcess(const std::string& program, std::vector<std::string> args)
    : dir_("timd-client-app"), argv_(std::move(args)) {
  argv_.insert(argv_.begin(), BuiltProgram(program));
}

void AppProcess::Start() { process_.Spawn(argv_, dir_.File("stdout.log")); }

std::string AppProcess::output() const { return ReadFile(dir_.File("stdout.log")); }

bool AppProcess::WaitOutput(const std::string& needle, std::chrono::milliseconds timeout) {
  return Eventually([&] { return output().find(needle) != std::string::npos; }, timeout);
}

std::optional<int> AppProcess::Stop() { return process_.Terminate(); }

std::optional<int> AppProcess::Wait(std::chrono::milliseconds timeout) {
  std::optional<int> status;
  Eventually([&] { return (status = process_.TryWait()).has_value(); }, timeout);
  return status;
}

}  // namespace timd::test
