// Who gets into a real timd, through timctl: the TCP listener's bearer token,
// Unix-socket admission by supplementary group (setpriv as other users), also
// with /proc hidden from timd as timd.service's ProtectProc=invisible does,
// and the per-uid cap on Subscribe streams. No XMPP server is needed: timd is
// not asked to log in.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.h"
#include "support/free_port.h"
#include "support/mount_namespace.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"
#include "timctl_runner.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

// Numeric ids no account on a test machine uses; setpriv needs no user entry.
constexpr int kOtherUid = 47000;
constexpr int kAllowedGid = 47001;
constexpr int kOtherGid = 47002;
constexpr int kDaemonUid = 47003;  // timd's own user where it does not run as root

std::vector<std::string> AsOtherUser(int supplementary_gid) {
  return {"setpriv", "--reuid=" + std::to_string(kOtherUid), "--regid=" + std::to_string(kOtherUid),
          "--groups=" + std::to_string(supplementary_gid), "--"};
}

std::vector<std::string> AsDaemonUser() {
  return {"setpriv", "--reuid=" + std::to_string(kDaemonUid), "--regid=" + std::to_string(kDaemonUid),
          "--clear-groups", "--"};
}

std::string Joined(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& word : words) line += word + " ";
  return line;
}

// The owner of /proc/PID (host view); -1 when there is no such process.
uid_t ProcOwner(pid_t pid) {
  struct stat st{};
  if (stat(("/proc/" + std::to_string(pid)).c_str(), &st) != 0) return static_cast<uid_t>(-1);
  return st.st_uid;
}

class ApiAccessTest : public ::testing::Test {
 protected:
  void SetUp() override { timd_.AddArgs({"--domain", "example.org"}); }

  // Lets kOtherUid reach the socket: the test dir is 0700 and the socket 0660 root:root.
  void OpenSocketToEveryone() {
    ASSERT_EQ(chmod(timd_.dir().c_str(), 0755), 0);
    ASSERT_EQ(chmod(timd_.socket_path().c_str(), 0666), 0);
  }

  TimctlResult Timctl(std::vector<std::string> args) { return runner_.Run(args, "", 20s); }

  // timd started with --allow-gid kAllowedGid: kOtherUid gets in with that
  // supplementary group only.
  void ExpectOnlyTheAllowedGroupGetsIn() {
    runner_.set_wrapper(AsOtherUser(kAllowedGid));
    auto allowed = Timctl({"--socket", timd_.socket_path(), "status", "--json"});
    ASSERT_EQ(allowed.exit_code, 0) << allowed.Describe() << timd_.log();
    EXPECT_EQ(allowed.JsonLines().at(0)["status"], "UNLOGINED");

    runner_.set_wrapper(AsOtherUser(kOtherGid));
    auto refused = Timctl({"--socket", timd_.socket_path(), "status"});
    EXPECT_EQ(refused.exit_code, 2) << refused.Describe();
    EXPECT_NE(timd_.log().find("refused connection from uid=" + std::to_string(kOtherUid)), std::string::npos)
        << timd_.log();
  }

  TimdProcess timd_;
  TimctlRunner runner_;
};

TEST_F(ApiAccessTest, TcpCallsNeedTheTokenFromTheStateDir) {
  const std::string address = "127.0.0.1:" + std::to_string(FreePort());
  timd_.AddArgs({"--tcp-listen", address});
  timd_.Start();
  const std::string token_file = timd_.state_dir() + "/api-token";
  struct stat st{};
  ASSERT_EQ(stat(token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string token = ReadFile(token_file).substr(0, 64);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;

  auto ok = Timctl({"--tcp", address, "--token-file", token_file, "status", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.Describe();
  EXPECT_EQ(ok.JsonLines().at(0)["status"], "UNLOGINED");

  auto no_token = Timctl({"--tcp", address, "status"});
  EXPECT_EQ(no_token.exit_code, 1) << no_token.Describe();
  EXPECT_NE(no_token.err.find("--token-file"), std::string::npos);

  const std::string wrong_file = runner_.NextFile("wrong-token");
  const std::string wrong = std::string(64, 'e');
  WriteFile(wrong_file, wrong + "\n");
  auto bad = Timctl({"--tcp", address, "--token-file", wrong_file, "status", "--json"});
  EXPECT_EQ(bad.exit_code, 3) << bad.Describe();
  EXPECT_EQ(bad.ErrorJson()["grpc_code"], 16) << bad.Describe();  // UNAUTHENTICATED
  EXPECT_EQ(bad.ErrorJson()["message"], "invalid API token");
  EXPECT_EQ(bad.err.find(wrong), std::string::npos);

  // Subscribe is guarded as well.
  auto tail = Timctl({"--tcp", address, "--token-file", wrong_file, "tail", "--since", "0"});
  EXPECT_EQ(tail.exit_code, 3) << tail.Describe();
  EXPECT_NE(tail.err.find("invalid API token"), std::string::npos) << tail.Describe();

  // The same token after a restart; it never reaches the log.
  timd_.Restart();
  EXPECT_EQ(ReadFile(token_file).substr(0, 64), token);
  auto again = Timctl({"--tcp", address, "--token-file", token_file, "status"});
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_EQ(timd_.log().find(token), std::string::npos);
}

TEST_F(ApiAccessTest, NonLoopbackTcpWithoutTlsIsAConfigError) {
  timd_.AddArgs({"--tcp-listen", "0.0.0.0:" + std::to_string(FreePort())});
  try {
    timd_.Start();
    FAIL() << "timd started on 0.0.0.0 without TLS";
  } catch (const std::runtime_error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("exit 2"), std::string::npos) << what;
    EXPECT_NE(what.find("only loopback addresses are allowed unless [api] tls_cert and tls_key are set"),
              std::string::npos)
        << what;
  }
}

TEST_F(ApiAccessTest, SupplementaryGroupDecidesAdmission) {
  if (geteuid() != 0) GTEST_SKIP() << "setpriv to another uid needs root";
  timd_.AddArgs({"--allow-gid", std::to_string(kAllowedGid)});
  timd_.Start();
  OpenSocketToEveryone();

  ExpectOnlyTheAllowedGroupGetsIn();
}

// timd.service runs timd as its own user with ProtectProc=invisible: /proc
// shows timd none of its callers. Reproduced with a private /proc mounted
// hidepid=invisible; admission must still see the caller's supplementary
// groups (SO_PEERGROUPS).
TEST_F(ApiAccessTest, SupplementaryGroupDecidesAdmissionWithProcHidden) {
  if (geteuid() != 0) GTEST_SKIP() << "setpriv to other uids and mounting /proc need root";
  TempDir scratch("timd-hidden-proc");
  MountNamespace hidden(scratch, "mount -t proc -o hidepid=invisible proc /proc");
  if (!hidden.ready()) GTEST_SKIP() << "cannot mount /proc with hidepid=invisible here: " << hidden.log();

  // The premise, so this test can fail: from timd's view in that namespace, a
  // caller's /proc entry does not exist, while the host's /proc shows it.
  ChildProcess caller;
  std::vector<std::string> caller_argv = AsOtherUser(kAllowedGid);
  caller_argv.insert(caller_argv.end(), {"sleep", "30"});
  caller.Spawn(caller_argv, scratch.File("caller.log"));
  for (int i = 0; i < 200 && ProcOwner(caller.pid()) != static_cast<uid_t>(kOtherUid); ++i) {
    std::this_thread::sleep_for(10ms);  // until setpriv has switched users
  }
  ASSERT_EQ(ProcOwner(caller.pid()), static_cast<uid_t>(kOtherUid));
  const std::string read_status = "cat /proc/" + std::to_string(caller.pid()) + "/status >/dev/null";
  EXPECT_EQ(std::system((Joined(AsDaemonUser()) + read_status + " 2>/dev/null").c_str()), 0) << "host /proc";
  EXPECT_NE(hidden.Run(Joined(AsDaemonUser()) + read_status), 0) << "hidepid=invisible hides the caller";
  EXPECT_EQ(hidden.Run(Joined(AsDaemonUser()) + "cat /proc/self/status >/dev/null"), 0) << "/proc is mounted";
  caller.Kill9();

  for (const auto& path : {timd_.dir(), timd_.state_dir()}) ASSERT_EQ(chown(path.c_str(), kDaemonUid, kDaemonUid), 0);
  std::vector<std::string> launcher = hidden.Launcher();
  for (const auto& word : AsDaemonUser()) launcher.push_back(word);
  timd_.WrapWith(launcher);
  timd_.AddArgs({"--allow-gid", std::to_string(kAllowedGid)});
  timd_.Start();
  OpenSocketToEveryone();

  ExpectOnlyTheAllowedGroupGetsIn();
}

TEST_F(ApiAccessTest, SubscribeCapPerUidLeavesOtherUsersAlone) {
  if (geteuid() != 0) GTEST_SKIP() << "setpriv to another uid needs root";
  timd_.AddArgs({"--allow-uid", std::to_string(kOtherUid), "--api-max-subscribers-per-caller", "3"});
  timd_.Start();
  OpenSocketToEveryone();

  // Root (this test) takes all three places.
  auto stub = timd_.Stubs();
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<tim::v1::Event>>> streams;
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  for (int i = 0; i < 3; ++i) {
    contexts.push_back(std::make_unique<grpc::ClientContext>());
    streams.push_back(stub->events->Subscribe(contexts.back().get(), request));
    tim::v1::Event event;
    ASSERT_TRUE(streams.back()->Read(&event)) << "stream " << i << " is served";
  }
  auto fourth = Timctl({"--socket", timd_.socket_path(), "tail", "--since", "0", "--json"});
  EXPECT_EQ(fourth.exit_code, 3) << fourth.Describe();
  EXPECT_EQ(fourth.ErrorJson()["grpc_code"], 8) << fourth.Describe();  // RESOURCE_EXHAUSTED
  EXPECT_NE(fourth.err.find("max_subscribers_per_caller"), std::string::npos) << fourth.Describe();

  // Another uid still subscribes and reads the journal.
  runner_.set_wrapper(AsOtherUser(kOtherGid));
  auto other = Timctl({"--socket", timd_.socket_path(), "tail", "--since", "0", "--count", "1"});
  ASSERT_EQ(other.exit_code, 0) << other.Describe() << timd_.log();
  EXPECT_EQ(other.JsonLines().size(), 1u);

  for (auto& ctx : contexts) ctx->TryCancel();
  for (auto& stream : streams) stream->Finish();
}

}  // namespace
}  // namespace timd::test
