#include "events/consumer_cursors.h"

#include <algorithm>
#include <charconv>

namespace timd::events {
namespace {

std::string KeyFor(const std::string& name) { return "consumer:" + name; }

Status BadName() {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                "consumer name must be 1 to 64 letters, digits, '.', '_' or '-'");
}

}  // namespace

bool ConsumerCursors::ValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

std::optional<uint64_t> ConsumerCursors::Stored(const std::string& name) {
  auto text = settings_.Get(KeyFor(name));
  if (!text) return std::nullopt;
  uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seq);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return seq;
}

Result<uint64_t> ConsumerCursors::StartFor(const std::string& name) {
  if (!ValidName(name)) return BadName();
  if (auto seq = Stored(name)) return *seq;
  const uint64_t head = bus_.committed_seq();
  settings_.Set(KeyFor(name), std::to_string(head));
  return head;
}

void ConsumerCursors::Ack(const std::string& name, uint64_t seq, std::function<void(Result<uint64_t>)> done) {
  if (!ValidName(name)) return done(BadName());
  if (seq > bus_.last_seq()) {
    return done(Status(Code::kOutOfRange, tim_err::kInvalidParameters,
                       "seq " + std::to_string(seq) + " is beyond the newest event " +
                           std::to_string(bus_.last_seq())));
  }
  const uint64_t stored = Stored(name).value_or(0);
  if (seq <= stored) return done(stored);
  settings_.Set(KeyFor(name), std::to_string(seq));
  bus_.AfterCommit([seq, done = std::move(done)](bool committed) {
    if (committed) return done(seq);
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "could not store the consumer cursor"));
  });
}

}  // namespace timd::events
