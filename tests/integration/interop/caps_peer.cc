#include "integration/interop/caps_peer.h"

namespace timd::test {
namespace {

std::vector<std::string> CapsArgs(const std::string& mode, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--mode", mode, "--resource", "peer-" + mode};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

CapsPeer::CapsPeer(const ProsodyServer& prosody, const std::string& user, const std::string& password,
                   const std::string& mode, const std::vector<std::string>& extra)
    : JsonLinePeer("caps_peer.py", prosody, user, password, CapsArgs(mode, extra)) {}

}  // namespace timd::test
