#include "support/tail_consumer.h"

#include <google/protobuf/util/json_util.h>
#include <sys/wait.h>

#include <stdexcept>
#include <thread>

#include "support/timd_process.h"

namespace timd::test {

TailConsumer::TailConsumer(const TimdProcess& timd, std::string name)
    : dir_("timd-consumer"),
      argv_{BuiltProgram("tools/timctl/timctl"), "tail", "--socket", timd.socket_path(), "--consumer", std::move(name),
            "--ack"} {}

TailConsumer::~TailConsumer() { process_.Kill9(); }

std::string TailConsumer::RunFile(int run, const char* stream) const {
  return dir_.File("run-" + std::to_string(run) + "." + stream);
}

void TailConsumer::Start() {
  if (process_.running()) throw std::logic_error("TailConsumer::Start: the last run is still running");
  ++runs_;
  process_.Spawn(argv_, RunFile(runs_, "jsonl"), RunFile(runs_, "err"));
}

std::optional<int> TailConsumer::WaitExit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto status = process_.TryWait()) return status;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::optional<int> TailConsumer::Stop() { return process_.Terminate(std::chrono::seconds(10)); }

std::vector<std::vector<tim::v1::Event>> TailConsumer::EventsByRun() const {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  std::vector<std::vector<tim::v1::Event>> runs;
  for (int run = 1; run <= runs_; ++run) {
    const std::string text = ReadFile(RunFile(run, "jsonl"));
    auto& events = runs.emplace_back();
    // A line without its newline is still being written.
    for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
      tim::v1::Event event;
      if (!google::protobuf::util::JsonStringToMessage(text.substr(start, end - start), &event, options).ok()) {
        throw std::runtime_error("run " + std::to_string(run) + " printed a line that is no event: " +
                                 text.substr(start, end - start));
      }
      events.push_back(std::move(event));
    }
  }
  return runs;
}

std::string TailConsumer::stderr_tail() const { return runs_ == 0 ? "" : FileTail(RunFile(runs_, "err")); }

}  // namespace timd::test
