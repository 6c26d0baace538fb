#include "support/peer_process.h"

#include <signal.h>
#include <sys/stat.h>

#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/prosody_fixture.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr const char* kReadyPrefix = "echo-peer ready as ";

}  // namespace

PeerProcess::PeerProcess(const ProsodyServer& prosody, const std::string& user,
                         const std::string& password, bool direct_tls)
    : dir_("timd-peer") {
  std::string password_file = dir_.File("password");
  WriteFile(password_file, password + "\n");
  ::chmod(password_file.c_str(), 0600);
  argv_ = {BuiltProgram("tools/echo-peer/timd-echo-peer"),
           "--host", "127.0.0.1",
           "--port", std::to_string(direct_tls ? prosody.direct_tls_port() : prosody.c2s_port()),
           "--domain", ProsodyServer::kDomain,
           "--user", user,
           "--password-file", password_file,
           "--ca-file", prosody.ca_file(),
           "--count-file", dir_.File("received.tsv")};
  if (direct_tls) argv_.push_back("--direct-tls");
}

PeerProcess::~PeerProcess() { process_.Kill9(); }

void PeerProcess::AddArgs(const std::vector<std::string>& args) { argv_.insert(argv_.end(), args.begin(), args.end()); }

void PeerProcess::Start() {
  process_.Spawn(argv_, dir_.File("stdout.log"), dir_.File("stderr.log"));
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = ReadFile(dir_.File("stdout.log"));
    auto pos = out.find(kReadyPrefix);
    if (pos != std::string::npos) {
      auto end = out.find('\n', pos);
      if (end != std::string::npos) {
        pos += std::string(kReadyPrefix).size();
        jid_ = out.substr(pos, end - pos);
        return;
      }
    }
    if (auto st = process_.TryWait()) {
      throw std::runtime_error("echo peer exited early (" + DescribeWaitStatus(*st) + "):\n" +
                               output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.Kill9();
  throw std::runtime_error("echo peer not ready within 15 s:\n" + output());
}

void PeerProcess::Stop() { process_.Terminate(std::chrono::seconds(5)); }

void PeerProcess::Kill9() { process_.Kill9(); }

void PeerProcess::Signal(int signo) const {
  if (!process_.running() || ::kill(process_.pid(), signo) != 0) {
    throw std::runtime_error("cannot signal the echo peer (not running?)");
  }
}

std::vector<std::string> PeerProcess::ReceivedLines() const {
  std::istringstream in(ReadFile(dir_.File("received.tsv")));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

bool PeerProcess::WaitReceived(size_t count, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ReceivedLines().size() >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ReceivedLines().size() >= count;
}

bool PeerProcess::WaitForOutput(const std::string& text, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (ReadFile(dir_.File("stdout.log")).find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string PeerProcess::output() const {
  return FileTail(dir_.File("stdout.log")) + FileTail(dir_.File("stderr.log"));
}

}  // namespace timd::test
