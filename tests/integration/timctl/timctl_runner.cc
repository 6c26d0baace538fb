#include "timctl_runner.h"

#include <sys/wait.h>

#include <sstream>
#include <thread>

#include "support/child_process.h"
#include "support/timd_process.h"

namespace timd::test {

std::string TimctlPath() { return BuiltProgram("tools/timctl/timctl"); }

std::string TimctlResult::Describe() const {
  return "exit " + std::to_string(exit_code) + "\nstdout:\n" + out + "\nstderr:\n" + err;
}

std::vector<nlohmann::json> TimctlResult::JsonLines() const {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

nlohmann::json TimctlResult::ErrorJson() const {
  std::string trimmed = err;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return nlohmann::json::parse(trimmed.substr(trimmed.rfind('\n') + 1));
}

std::string TimctlRunner::NextFile(const std::string& name) {
  return dir_.File(std::to_string(++runs_) + "-" + name);
}

TimctlResult TimctlRunner::Run(const std::vector<std::string>& args, const std::string& shell_stdin,
                               std::chrono::seconds timeout) {
  std::vector<std::string> argv = wrapper_;
  argv.push_back(TimctlPath());
  argv.insert(argv.end(), args.begin(), args.end());
  if (!shell_stdin.empty()) {  // ChildProcess gives /dev/null as stdin; let a shell redirect it
    argv.insert(argv.begin(), {"/bin/sh", "-c", "exec \"$@\" < \"$0\"", shell_stdin});
  }
  std::string out_path = NextFile("out");
  std::string err_path = NextFile("err");
  ChildProcess child;
  child.Spawn(argv, out_path, err_path);
  TimctlResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<int> status;
  while (!(status = child.TryWait()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!status) child.Kill9();
  if (status && WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  result.out = ReadFile(out_path);
  result.err = ReadFile(err_path);
  return result;
}

}  // namespace timd::test
