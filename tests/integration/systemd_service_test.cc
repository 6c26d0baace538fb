// timd as a systemd service, without systemd: the real binary with a
// notification socket of the test's own ($NOTIFY_SOCKET), socket activation
// through systemd-socket-activate, and the process's dumpable flag.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <thread>

#include "support/notify_socket.h"
#include "support/prosody_fixture.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 15s;

// A connected AF_UNIX stream socket to `path`, or -1.
int ConnectUnix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) return fd;
  ::close(fd);
  return -1;
}

auto Assigns(const std::string& assignment) {
  return [assignment](const NotifyMessage& m) { return m.Has(assignment); };
}

auto StatusStartsWith(const std::string& prefix) {
  return [prefix](const NotifyMessage& m) { return m.Get("STATUS").value_or("").starts_with(prefix); };
}

grpc::Status Logout(const TimdProcess& timd) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  tim::v1::LogoutResponse response;
  return timd.Stubs()->session->Logout(&ctx, {}, &response);
}

class SystemdServiceTest : public ::testing::Test {
 protected:
  SystemdServiceTest() { timd_.SetEnv("NOTIFY_SOCKET", notify_.path()); }

  // timd needs an XMPP domain even when no test logs in.
  void WithoutServer() { timd_.AddArgs({"--domain", ProsodyServer::kDomain}); }

  std::string Diagnostics() const { return "notifications: " + notify_.Describe() + "\ntimd log:\n" + timd_.log(); }

  TimdProcess timd_;
  NotifySocket notify_{timd_.dir() + "/notify.sock"};
};

TEST_F(SystemdServiceTest, ReadyOnlyOnceTheSocketServesAndStoppingAtSigterm) {
  WithoutServer();
  timd_.Spawn();
  auto ready = notify_.WaitFor(Assigns("READY=1"), kStartTimeout);
  ASSERT_TRUE(ready) << Diagnostics();
  // Checked at once: READY=1 promises that calls are answered from now on.
  const int fd = ConnectUnix(timd_.socket_path());
  EXPECT_GE(fd, 0) << "READY=1 came before the socket accepted connections";
  ::close(fd);
  EXPECT_EQ(timd_.LoginStatus(), tim::v1::UNLOGINED);
  EXPECT_EQ(notify_.received().size(), 1u) << "something before READY=1: " << notify_.Describe();
  EXPECT_EQ(ready->Get("STATUS"), "not logged in");
  EXPECT_TRUE(std::filesystem::exists(timd_.state_dir() + "/timd.db")) << "ready before the store was opened";

  timd_.Stop();  // throws unless timd exits 0
  EXPECT_TRUE(notify_.WaitFor(Assigns("STOPPING=1"), 1s)) << Diagnostics();
}

TEST_F(SystemdServiceTest, NoReadyWhenTheSocketCannotBeServed) {
  WithoutServer();
  // Another process serves the socket path already: timd must give up.
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, timd_.socket_path().c_str(), sizeof(addr.sun_path) - 1);
  const int other = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::bind(other, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(other, 4), 0);

  timd_.Spawn();
  auto status = timd_.WaitExit(kStartTimeout);
  ::close(other);
  ASSERT_TRUE(status) << "timd did not give up\n" << Diagnostics();
  EXPECT_EQ(DescribeWaitStatus(*status), "exit 1") << Diagnostics();
  notify_.Next(0ms);
  for (const auto& message : notify_.received()) EXPECT_FALSE(message.Has("READY=1")) << Diagnostics();
}

TEST_F(SystemdServiceTest, StatusFollowsTheLogin) {
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alicepw");
  timd_.UseProsody(prosody);
  timd_.LoginAs("alice", "alicepw");
  timd_.Spawn();

  ASSERT_TRUE(notify_.WaitFor(Assigns("READY=1"), kStartTimeout)) << Diagnostics();
  auto logged_in = notify_.WaitFor(StatusStartsWith("logged in as alice: connected"), 20s);
  ASSERT_TRUE(logged_in) << Diagnostics();

  ASSERT_TRUE(Logout(timd_).ok());
  EXPECT_TRUE(notify_.WaitFor(Assigns("STATUS=not logged in: logged out"), 10s)) << Diagnostics();

  // A refused login shows why.
  grpc::ClientContext ctx;
  tim::v1::LoginRequest login;
  login.set_user_id("alice");
  login.set_user_sig("wrong password");
  tim::v1::LoginResponse response;
  EXPECT_FALSE(timd_.Stubs()->session->Login(&ctx, login, &response).ok());
  auto refused = notify_.WaitFor(StatusStartsWith("not logged in: "), 10s);
  ASSERT_TRUE(refused) << Diagnostics();
  EXPECT_NE(refused->Get("STATUS"), "not logged in: logged out");
  EXPECT_EQ(refused->text.find("wrong password"), std::string::npos) << "the secret leaked into STATUS=";
  timd_.Stop();
}

TEST_F(SystemdServiceTest, WatchdogPingsKeepWithinTheTimeout) {
  WithoutServer();
  constexpr auto kTimeout = 1000ms;
  timd_.SetEnv("WATCHDOG_USEC", std::to_string(std::chrono::microseconds(kTimeout).count()));
  timd_.Spawn();
  ASSERT_TRUE(notify_.WaitFor(Assigns("READY=1"), kStartTimeout)) << Diagnostics();

  std::vector<std::chrono::steady_clock::time_point> pings;
  const auto until = std::chrono::steady_clock::now() + 3s;
  while (auto message = notify_.WaitFor(Assigns("WATCHDOG=1"),
                                        std::chrono::duration_cast<std::chrono::milliseconds>(
                                            until - std::chrono::steady_clock::now()))) {
    pings.push_back(message->received);
  }
  EXPECT_GE(pings.size(), 4u) << Diagnostics();  // every 500 ms: ~6
  for (size_t i = 1; i < pings.size(); ++i) {
    EXPECT_LT(pings[i] - pings[i - 1], kTimeout) << "systemd would have restarted timd";
  }

  timd_.Stop();
}

TEST_F(SystemdServiceTest, SocketActivationServesTheInheritedSocket) {
  WithoutServer();
  // systemd-socket-activate listens on the path, then execs timd in place
  // with the socket as fd 3 ($LISTEN_FDS) on the first connection.
  timd_.WrapWith({"systemd-socket-activate", "--listen=" + timd_.socket_path(), "--setenv=NOTIFY_SOCKET"});
  timd_.Start();  // its first call is the connection that activates timd
  EXPECT_NE(timd_.log().find("(socket activation)"), std::string::npos) << timd_.log();
  EXPECT_TRUE(notify_.WaitFor(Assigns("READY=1"), kStartTimeout)) << Diagnostics();
  EXPECT_EQ(timd_.LoginStatus(), tim::v1::UNLOGINED);
  timd_.Stop();
  EXPECT_TRUE(notify_.WaitFor(Assigns("STOPPING=1"), 1s)) << Diagnostics();
}

// The owner of /proc/PID's files: the process's user, or root when the
// process is not dumpable (proc(5)).
uid_t ProcOwner(pid_t pid) {
  struct stat st{};
  if (::stat(("/proc/" + std::to_string(pid) + "/status").c_str(), &st) != 0) return static_cast<uid_t>(-1);
  return st.st_uid;
}

TEST_F(SystemdServiceTest, NotDumpable) {
  WithoutServer();
  // Root's processes are root's either way: run timd as nobody then.
  timd_.SetEnv("NOTIFY_SOCKET", std::nullopt);
  const bool root = ::geteuid() == 0;
  const uid_t user = root ? 65534 : ::geteuid();
  std::vector<std::string> as_user;
  if (root) {
    as_user = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    for (const auto& path : {timd_.dir(), timd_.state_dir()}) ASSERT_EQ(::chown(path.c_str(), user, user), 0);
  }
  // The observable works: an ordinary process of that user owns its files.
  ChildProcess control;
  std::vector<std::string> sleep_argv = as_user;
  sleep_argv.insert(sleep_argv.end(), {"sleep", "30"});
  control.Spawn(sleep_argv, timd_.dir() + "/control.log");
  uid_t control_owner = static_cast<uid_t>(-1);
  for (int i = 0; i < 200 && (control_owner = ProcOwner(control.pid())) != user; ++i) {
    std::this_thread::sleep_for(10ms);  // until setpriv has switched users
  }
  EXPECT_EQ(control_owner, user);

  timd_.WrapWith(as_user);
  timd_.Start();
  EXPECT_EQ(ProcOwner(timd_.pid()), 0u) << "timd is dumpable: its memory (passwords) may land in a core dump";
  timd_.Stop();
}

}  // namespace
}  // namespace timd::test
