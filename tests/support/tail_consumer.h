// A durable consumer as an app runs it: `timctl tail --consumer NAME --ack`
// against a TimdProcess, one process per run (it ends when timd dies under
// it), each run's JSON lines in a file of its own.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/temp_dir.h"
#include "tim/v1/events.pb.h"

namespace timd::test {

class TimdProcess;

class TailConsumer {
 public:
  TailConsumer(const TimdProcess& timd, std::string name);
  ~TailConsumer();
  TailConsumer(const TailConsumer&) = delete;
  TailConsumer& operator=(const TailConsumer&) = delete;

  // Starts the next run (the previous one must have ended).
  void Start();
  // Waits until the current run ends by itself; its wait status, nothing on timeout.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  // SIGTERM (the final ack) and wait; the wait status, nothing when it had to be killed.
  std::optional<int> Stop();

  int runs() const { return runs_; }
  // The events each run printed, in order (complete lines only).
  std::vector<std::vector<tim::v1::Event>> EventsByRun() const;
  std::string stderr_tail() const;

 private:
  std::string RunFile(int run, const char* stream) const;

  TempDir dir_;
  std::vector<std::string> argv_;
  ChildProcess process_;
  int runs_ = 0;
};

}  // namespace timd::test
