#include "support/timd_process.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "support/prosody_fixture.h"

namespace timd::test {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);

std::string TimdBinary() {
  const char* path = std::getenv("TIMD_BINARY");
  return path && *path ? path : BuiltProgram("daemon/timd");
}

}  // namespace

std::string BuiltProgram(const std::string& relative) {
  // The environment wins so a test binary can be pointed at another build.
  const char* dir = std::getenv("TIMD_BINARY_DIR");
  return std::string(dir && *dir ? dir : TIMD_TEST_BINARY_DIR) + "/" + relative;
}

TimdProcess::TimdProcess(const std::string& temp_base) : dir_("timd-daemon", temp_base) {
  std::filesystem::create_directories(state_dir());
  // A test runner started by systemd must not have its timds talk to it.
  for (const char* name : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}) env_[name] = std::nullopt;
}

TimdProcess::~TimdProcess() { process_.Kill9(); }

void TimdProcess::UseProsody(const ProsodyServer& prosody, bool direct_tls) {
  uint16_t port = direct_tls ? prosody.direct_tls_port() : prosody.c2s_port();
  AddArgs({"--domain", ProsodyServer::kDomain, "--host", "127.0.0.1", "--port",
           std::to_string(port), "--tls", direct_tls ? "direct" : "starttls", "--ca-file",
           prosody.ca_file()});
}

void TimdProcess::UseProsodyVia(const ProsodyServer& prosody, uint16_t port) {
  AddArgs({"--domain", ProsodyServer::kDomain, "--host", "127.0.0.1", "--port", std::to_string(port), "--tls",
           "starttls", "--ca-file", prosody.ca_file()});
}

void TimdProcess::LoginAs(const std::string& user, const std::string& password) {
  std::string file = dir_.File("password-" + user);
  WriteFile(file, password + "\n");
  ::chmod(file.c_str(), 0600);
  AddArgs({"--user", user, "--password-file", file});
}

void TimdProcess::AddArgs(const std::vector<std::string>& args) {
  args_.insert(args_.end(), args.begin(), args.end());
}

void TimdProcess::SetEnv(const std::string& name, std::optional<std::string> value) {
  env_[name] = std::move(value);
}

std::vector<std::string> TimdProcess::Argv() const {
  std::vector<std::string> argv = launcher_;
  argv.insert(argv.end(), {TimdBinary(), "--socket", socket_path(), "--state-dir", state_dir()});
  argv.insert(argv.end(), args_.begin(), args_.end());
  return argv;
}

void TimdProcess::Spawn() {
  if (running()) throw std::logic_error("TimdProcess::Spawn: already running");
  process_.Spawn(Argv(), dir_.File("timd.log"), "", env_);
}

std::optional<int> TimdProcess::WaitExit(std::chrono::milliseconds timeout) { return process_.Wait(timeout); }

void TimdProcess::Start() {
  Spawn();
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto st = process_.TryWait()) {
      throw std::runtime_error("timd exited early (" + DescribeWaitStatus(*st) + "):\n" +
                               FileTail(dir_.File("timd.log")));
    }
    if (std::filesystem::exists(socket_path())) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
      tim::v1::GetLoginStatusRequest req;
      tim::v1::GetLoginStatusResponse resp;
      if (Stubs()->session->GetLoginStatus(&ctx, req, &resp).ok()) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_.Kill9();
  throw std::runtime_error("timd did not answer on " + socket_path() + " within 15 s:\n" +
                           FileTail(dir_.File("timd.log")));
}

void TimdProcess::Stop() {
  if (!running()) return;
  auto st = process_.Terminate(std::chrono::seconds(10));
  if (!st) {
    throw std::runtime_error("timd did not exit within 10 s of SIGTERM:\n" +
                             FileTail(dir_.File("timd.log")));
  }
  if (!WIFEXITED(*st) || WEXITSTATUS(*st) != 0) {
    throw std::runtime_error("timd stopped with " + DescribeWaitStatus(*st) + ":\n" +
                             FileTail(dir_.File("timd.log")));
  }
}

void TimdProcess::Kill9() { process_.Kill9(); }

void TimdProcess::Restart() {
  Stop();
  Start();
}

std::string TimdProcess::log() const { return ReadFile(dir_.File("timd.log")); }

std::shared_ptr<grpc::Channel> TimdProcess::Channel() const {
  return grpc::CreateChannel("unix:" + socket_path(), grpc::InsecureChannelCredentials());
}

std::unique_ptr<timd::ApiStubs> TimdProcess::Stubs() const {
  return std::make_unique<timd::ApiStubs>(Channel());
}

tim::v1::LoginStatus TimdProcess::LoginStatus() const {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  tim::v1::GetLoginStatusResponse response;
  if (!Stubs()->session->GetLoginStatus(&ctx, {}, &response).ok()) return tim::v1::LOGIN_STATUS_UNSPECIFIED;
  return response.status();
}

bool TimdProcess::WaitLoggedIn(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (LoginStatus() == tim::v1::LOGINED) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

}  // namespace timd::test
