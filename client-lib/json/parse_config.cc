// TIMInit and TIMSetConfig JSON (reference §5.10, timd keys in TIMCloud.h).
#include <unistd.h>

#include <cstdlib>
#include <limits.h>

#include "instance_socket.h"
#include "json_internal.h"

namespace timclient {

using internal::Json;

namespace {

constexpr size_t kMaxConsumerLength = 64;
constexpr uint64_t kMaxLogLevel = 7;  // kTIMLog_Assert
constexpr const char* kDefaultSocket = "/run/timd/timd.sock";
constexpr uint64_t kMaxQueueEvents = uint64_t{1} << 20;
constexpr uint64_t kMinQueueBytes = uint64_t{4} << 10;
constexpr uint64_t kMaxQueueBytes = uint64_t{1} << 30;

bool IsConsumerChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

std::string ExecutableBasename() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return "";
  std::string full(path, static_cast<size_t>(n));
  auto slash = full.rfind('/');
  return slash == std::string::npos ? full : full.substr(slash + 1);
}

bool ReadLogLevel(const Json& j, const char* key, std::optional<uint32_t>* out, std::string* why) {
  std::optional<uint64_t> level;
  if (!internal::ReadUint64(j, key, false, &level, why)) return false;
  if (!level) return true;
  if (*level > kMaxLogLevel) {
    *why = std::string(key) + " must be a TIMLogLevel (0..7)";
    return false;
  }
  *out = static_cast<uint32_t>(*level);
  return true;
}

bool ReadBounded(const Json& j, const char* key, uint64_t min, uint64_t max, std::optional<uint64_t>* out,
                 std::string* why) {
  if (!internal::ReadUint64(j, key, false, out, why)) return false;
  if (*out && (**out < min || **out > max)) {
    *why = std::string(key) + " must be " + std::to_string(min) + ".." + std::to_string(max);
    return false;
  }
  return true;
}

}  // namespace

bool IsValidConsumerName(std::string_view name) {
  if (name.empty() || name.size() > kMaxConsumerLength) return false;
  for (char c : name) {
    if (!IsConsumerChar(c)) return false;
  }
  return true;
}

std::string SanitizeConsumerName(std::string_view name) {
  std::string out(name.substr(0, kMaxConsumerLength));
  for (char& c : out) {
    if (!IsConsumerChar(c)) c = '_';
  }
  return out.empty() ? "app" : out;
}

ParseResult ParseSdkConfig(const char* json, SdkConfig* out, std::string* why) {
  if (json == nullptr || *json == '\0') {
    *out = SdkConfig{};
    return ParseResult::kOk;
  }
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) {
    *why = "SDK config must be a JSON object";
    return ParseResult::kParam;
  }
  SdkConfig parsed;
  if (!internal::ReadString(j, "timd_socket", false, &parsed.socket, why) ||
      !internal::ReadString(j, "timd_instance", false, &parsed.instance, why) ||
      !internal::ReadString(j, "timd_consumer", false, &parsed.consumer, why) ||
      !ReadBounded(j, "timd_callback_queue_events", 1, kMaxQueueEvents, &parsed.callback_queue_events, why) ||
      !ReadBounded(j, "timd_callback_queue_bytes", kMinQueueBytes, kMaxQueueBytes, &parsed.callback_queue_bytes,
                   why)) {
    return ParseResult::kParam;
  }
  if (!parsed.instance.empty() && !IsValidInstanceName(parsed.instance)) {
    *why = "timd_instance must be 1-64 of [A-Za-z0-9._-], not starting with '.'";
    return ParseResult::kParam;
  }
  if (!parsed.instance.empty() && !parsed.socket.empty()) {
    *why = "timd_socket and timd_instance both name the socket: set one";
    return ParseResult::kParam;
  }
  if (!parsed.consumer.empty() && !IsValidConsumerName(parsed.consumer)) {
    *why = "timd_consumer must be 1-64 of [A-Za-z0-9._-]";
    return ParseResult::kParam;
  }
  *out = std::move(parsed);
  return ParseResult::kOk;
}

void ApplySdkConfigDefaults(SdkConfig* config) {
  if (config->socket.empty() && !config->instance.empty()) config->socket = InstanceSocketPath(config->instance);
  if (config->socket.empty()) {
    const char* env = std::getenv("TIMD_SOCKET");
    config->socket = env != nullptr && *env != '\0' ? env : kDefaultSocket;
  }
  if (config->consumer.empty()) config->consumer = SanitizeConsumerName(ExecutableBasename());
}

ParseResult ParseSetConfig(const char* json, SetConfig* inout, std::string* why) {
  Json j;
  if (auto r = internal::ParseText(json, &j, why); r != ParseResult::kOk) return r;
  if (!j.is_object()) {
    *why = "config must be a JSON object";
    return ParseResult::kParam;
  }
  SetConfig updated = *inout;
  std::optional<bool> console;
  if (!ReadLogLevel(j, "set_config_log_level", &updated.log_level, why) ||
      !ReadLogLevel(j, "set_config_callback_log_level", &updated.callback_log_level, why) ||
      !internal::ReadBool(j, "set_config_is_log_output_console", &console, why)) {
    return ParseResult::kParam;
  }
  if (console) updated.log_output_console = console;
  *inout = updated;
  return ParseResult::kOk;
}

std::string SetConfigJson(const SetConfig& config) {
  Json j = Json::object();
  if (config.log_level) j["set_config_log_level"] = *config.log_level;
  if (config.callback_log_level) j["set_config_callback_log_level"] = *config.callback_log_level;
  if (config.log_output_console) j["set_config_is_log_output_console"] = *config.log_output_console;
  return internal::Dump(j);
}

}  // namespace timclient
