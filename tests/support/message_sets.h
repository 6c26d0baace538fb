// Checks on sets of messages: a conversation read from timd's store, and
// whether a list of copies holds each expected item exactly once.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "tim/v1/timd.pb.h"

namespace timd::test {

class TimdProcess;

// The text of a message's first element ("" when it has none).
std::string TextOf(const tim::v1::Message& message);

// The whole conversation with `peer` from timd's store (GetMessages, every
// page), newest first; what was read so far when a call fails.
std::vector<tim::v1::Message> History(const TimdProcess& timd, const std::string& peer);

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

}  // namespace timd::test
