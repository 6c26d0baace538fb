// The API's access pieces on their own: the token file, the bearer-token
// check, SO_PEERGROUPS and the per-caller budgets.
#include <gtest/gtest.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "api/api_token.h"
#include "api/caller_budget.h"
#include "api/peer_groups.h"
#include "api/token_auth.h"

namespace timd::api {
namespace {

class ScratchDir {
 public:
  ScratchDir() {
    char tmpl[] = "/tmp/timd-api-access-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st{};
  EXPECT_EQ(stat(path.c_str(), &st), 0);
  return st.st_mode & 0777;
}

TEST(ApiTokenTest, CreatedOnceAsPrivateRandomHexThenReused) {
  ScratchDir dir;
  const std::string path = dir.File(kApiTokenFileName);
  auto first = LoadOrCreateApiToken(path);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first.value().size(), 64u);
  EXPECT_EQ(first.value().find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(ModeOf(path), 0600u);
  auto again = LoadOrCreateApiToken(path);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again.value(), first.value());
  // Another state dir gets another token.
  ScratchDir other;
  auto second = LoadOrCreateApiToken(other.File(kApiTokenFileName));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second.value(), first.value());
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(ApiTokenTest, RefusesReadableByOthersOrEmptyFiles) {
  ScratchDir dir;
  const std::string path = dir.File(kApiTokenFileName);
  std::ofstream(path) << "0123456789abcdef0123456789abcdef\n";
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  auto open = LoadOrCreateApiToken(path);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("chmod 600"), std::string::npos) << open.status().message();
  EXPECT_EQ(open.status().message().find("0123456789abcdef"), std::string::npos);

  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  auto fixed = LoadOrCreateApiToken(path);
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  EXPECT_EQ(fixed.value(), "0123456789abcdef0123456789abcdef");

  std::ofstream(path, std::ios::trunc) << "\n";
  EXPECT_FALSE(LoadOrCreateApiToken(path).ok());
}

grpc::Status Check(BearerTokenProcessor& processor, const std::vector<std::string>& authorization,
                   grpc::AuthMetadataProcessor::OutputMetadata* consumed) {
  grpc::AuthMetadataProcessor::InputMetadata metadata;
  for (const auto& value : authorization) metadata.emplace(kAuthorizationKey, value);
  grpc::AuthMetadataProcessor::OutputMetadata response;
  return processor.Process(metadata, nullptr, consumed, &response);
}

TEST(BearerTokenProcessorTest, AcceptsOnlyTheExactBearerToken) {
  const std::string token(64, 'a');
  BearerTokenProcessor processor(token);
  grpc::AuthMetadataProcessor::OutputMetadata consumed;
  EXPECT_TRUE(Check(processor, {"Bearer " + token}, &consumed).ok());
  EXPECT_EQ(consumed.count(kAuthorizationKey), 1u);  // handlers never see it

  for (const std::string& wrong : std::vector<std::string>{
           "", "Bearer", "Bearer " + std::string(63, 'a'), "Bearer " + std::string(63, 'a') + "b",
        "Bearer " + token + "a", "bearer " + token, token}) {
    grpc::AuthMetadataProcessor::OutputMetadata none;
    grpc::Status status = Check(processor, {wrong}, &none);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << wrong;
    EXPECT_EQ(status.error_message(), "invalid API token");
    EXPECT_TRUE(none.empty());
  }
  grpc::AuthMetadataProcessor::OutputMetadata none;
  grpc::Status missing = Check(processor, {}, &none);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(missing.error_message().find("authorization: Bearer"), std::string::npos);
}

TEST(CallerBudgetTest, CapsEachCallerAndGivesPlacesBack) {
  CallerBudget budget(2);
  auto a1 = budget.TryAcquire("uid:1");
  auto a2 = budget.TryAcquire("uid:1");
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(budget.TryAcquire("uid:1"));
  auto b1 = budget.TryAcquire("uid:2");  // others are unaffected
  EXPECT_TRUE(b1);
  a1.reset();
  EXPECT_TRUE(budget.TryAcquire("uid:1"));
}

TEST(CallerBudgetTest, CountsAmountsSuchAsBytes) {
  CallerBudget bytes(100);
  auto big = bytes.TryAcquire("tcp", 70);
  ASSERT_TRUE(big);
  EXPECT_FALSE(bytes.TryAcquire("tcp", 31));
  EXPECT_FALSE(bytes.TryAcquire("tcp", 1000));
  auto rest = bytes.TryAcquire("tcp", 30);
  ASSERT_TRUE(rest);
  EXPECT_TRUE(bytes.TryAcquire("tcp", 0));  // an empty request still fits
  EXPECT_FALSE(bytes.TryAcquire("uid:0", 101));  // more than the whole budget, even for a new caller
  big.reset();
  EXPECT_TRUE(bytes.TryAcquire("tcp", 70));
}

TEST(CallerBudgetTest, SlotMayOutliveTheBudget) {
  auto budget = std::make_unique<CallerBudget>(1);
  auto slot = budget->TryAcquire("tcp");
  budget.reset();
  slot.reset();  // must not touch freed memory (ASan)
}

// A child with other supplementary groups connects and exits before the
// parent asks: SO_PEERGROUPS still knows, /proc no longer can.
TEST(PeerGroupsTest, SoPeerGroupsReportsTheConnectorsGroupsAfterItExited) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to set supplementary groups";
  ScratchDir dir;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = dir.File("s.sock");
  std::strcpy(addr.sun_path, path.c_str());
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 1), 0);

  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const gid_t groups[] = {4242, 4343};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bool ok = setgroups(2, groups) == 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  int fd = accept(listener, nullptr, nullptr);
  ASSERT_GE(fd, 0);
  auto groups = SocketPeerGroups(fd);
  ASSERT_TRUE(groups);
  std::sort(groups->begin(), groups->end());
  EXPECT_EQ(*groups, (std::vector<gid_t>{4242, 4343}));
  EXPECT_EQ(PeerSupplementaryGroups(fd, child), *groups);
  EXPECT_TRUE(ProcSupplementaryGroups(child).empty());
  close(fd);
  close(listener);
}

}  // namespace
}  // namespace timd::api
