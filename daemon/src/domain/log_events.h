// Turns the daemon's own log records into LOG events (TIMLogCallback). An
// spdlog sink hands records at or above a level to the loop thread, which
// publishes them; records from any thread are accepted.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "events/event_bus.h"

namespace timd::domain {

class LogEventSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // `post` runs a task on the loop thread (LoopQueue::Post).
  LogEventSink(events::EventBus& bus, std::function<bool(std::function<void()>)> post);
  // Stops forwarding (call before the bus or the loop goes away).
  void Detach();

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}

 private:
  events::EventBus& bus_;
  std::function<bool(std::function<void()>)> post_;
  bool attached_ = true;  // guarded by base_sink's mutex
};

// spdlog level → tim.v1.LogLevel (TIMLogLevel).
tim::v1::LogLevel ToTimLogLevel(spdlog::level::level_enum level);

}  // namespace timd::domain
