// Message sets for burst and fault tests: numbered bodies, concurrent
// sends through timd's API, and exact-once comparisons of what a store or a
// subscriber holds against what was sent.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/event_reader.h"
#include "support/timd_process.h"
#include "tim/v1/common.pb.h"
#include "timd/api_stubs.h"

namespace timd::test {

// "prefix-0042"
std::string Body(const std::string& prefix, int i);
// Body(prefix, 0) .. Body(prefix, count - 1)
std::set<std::string> Bodies(const std::string& prefix, int count);
std::vector<std::string> ToVector(const std::set<std::string>& s);

// SendMessage of a text to `peer`; the body doubles as the idempotency key.
grpc::Status SendKeyedText(timd::ApiStubs& stub, const std::string& peer, const std::string& body);

// Sends `bodies` to `peer` from a few threads at once (each with its own
// channel); `ok` collects the bodies whose call succeeded.
class Burst {
 public:
  Burst(const TimdProcess& timd, std::string peer, std::vector<std::string> bodies);
  ~Burst() { Join(); }

  void Join();
  // Waits until `n` calls succeeded (or all finished).
  bool WaitSucceeded(size_t n, std::chrono::milliseconds timeout);
  std::set<std::string> ok();
  std::set<std::string> failed();

 private:
  std::string peer_;
  std::vector<std::string> bodies_;
  std::mutex mu_;
  std::set<std::string> ok_, failed_;
  std::vector<std::thread> threads_;
};

// The whole conversation with `peer` from timd's store (GetMessages, every
// page), newest first; what was read so far when a call fails.
std::vector<tim::v1::Message> History(const TimdProcess& timd, const std::string& peer);
// The unread count of the conversation with `peer`; nothing when the call
// fails or there is no such conversation.
std::optional<uint64_t> UnreadWith(const TimdProcess& timd, const std::string& peer);
// The text of a message's first element ("" when it has none).
std::string TextOf(const tim::v1::Message& m);
// Bodies starting with `prefix` in the store, one entry per stored message.
std::vector<std::string> StoredBodies(const TimdProcess& timd, const std::string& peer, const std::string& prefix);
// Bodies starting with `prefix` in NewMessages events, one entry per copy.
std::vector<std::string> EventBodies(const EventReader& reader, const std::string& prefix);
// How a list of copies compares with the set it should hold exactly once.
struct CopyCount {
  std::vector<std::string> missing;     // expected, never seen
  std::vector<std::string> doubled;     // seen more than once: "<item> x<copies>"
  std::vector<std::string> unexpected;  // seen, not expected
  size_t extra_copies = 0;              // copies beyond the first, over all items

  bool exact() const { return missing.empty() && doubled.empty() && unexpected.empty(); }
  // Empty when exact; otherwise the counts and the first few of each kind.
  std::string Describe() const;
};
CopyCount CountCopies(const std::vector<std::string>& seen, const std::set<std::string>& expected);
// Empty when `seen` holds each of `expected` exactly once and nothing else;
// otherwise a description of the missing, doubled and unexpected bodies.
inline std::string ExactlyOnceDiff(const std::vector<std::string>& seen, const std::set<std::string>& expected) {
  return CountCopies(seen, expected).Describe();
}
// Polls until `seen()` holds every expected body (or the timeout passes);
// the caller then compares exactly.
bool WaitAllSeen(const std::function<std::vector<std::string>()>& seen, const std::set<std::string>& expected,
                 std::chrono::milliseconds timeout);

}  // namespace timd::test
