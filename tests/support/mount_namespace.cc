#include "support/mount_namespace.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace timd::test {

MountNamespace::MountNamespace(const TempDir& scratch, const std::string& setup,
                               const std::vector<std::string>& args) {
  static int count = 0;
  const std::string name = "mount-ns-" + std::to_string(++count);
  const std::string ready = scratch.File(name + ".ready");
  log_path_ = scratch.File(name + ".log");
  std::vector<std::string> argv = {"unshare", "--mount", "--propagation", "private", "sh", "-c",
                                   "(" + setup + ") && touch \"$READY\" && exec sleep 100000"};
  argv.insert(argv.end(), args.begin(), args.end());
  holder_.Spawn(argv, log_path_, "", {{"READY", ready}});
  for (int i = 0; i < 500; ++i) {
    if (std::filesystem::exists(ready)) {
      ready_ = true;
      return;
    }
    if (holder_.TryWait()) return;  // the setup failed
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string MountNamespace::log() const {
  std::ifstream in(log_path_);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> MountNamespace::Launcher() const {
  return {"nsenter", "--mount=/proc/" + std::to_string(holder_.pid()) + "/ns/mnt", "--"};
}

int MountNamespace::Run(const std::string& command) const {
  std::string line;
  for (const auto& word : Launcher()) line += word + " ";
  return std::system((line + "sh -c '" + command + "' 2>/dev/null").c_str());
}

}  // namespace timd::test
