#include "domain/log_events.h"

#include <string>

namespace timd::domain {

LogEventSink::LogEventSink(events::EventBus& bus, std::function<bool(std::function<void()>)> post)
    : bus_(bus), post_(std::move(post)) {}

void LogEventSink::Detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  attached_ = false;
}

namespace {
// Set on the loop thread while a LOG event is being published: a record
// logged by that publish (a failing journal write) must not turn into
// another LOG event, and another failure, and so on.
thread_local bool publishing_log_event = false;
}  // namespace

void LogEventSink::sink_it_(const spdlog::details::log_msg& msg) {
  if (!attached_ || publishing_log_event) return;
  std::string text(msg.payload.data(), msg.payload.size());
  const auto level = ToTimLogLevel(msg.level);
  events::EventBus* bus = &bus_;
  post_([bus, level, text = std::move(text)]() mutable {
    tim::v1::Event event;
    event.mutable_log()->set_level(level);
    event.mutable_log()->set_text(std::move(text));
    publishing_log_event = true;
    bus->Publish(std::move(event));
    publishing_log_event = false;
  });
}

tim::v1::LogLevel ToTimLogLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace: return tim::v1::LOG_VERBOSE;
    case spdlog::level::debug: return tim::v1::LOG_DEBUG;
    case spdlog::level::info: return tim::v1::LOG_INFO;
    case spdlog::level::warn: return tim::v1::LOG_WARN;
    case spdlog::level::err: return tim::v1::LOG_ERROR;
    case spdlog::level::critical: return tim::v1::LOG_ASSERT;
    default: return tim::v1::LOG_OFF;
  }
}

}  // namespace timd::domain
