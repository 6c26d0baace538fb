// The transfer engine without a server behind it: progress throttling,
// hashing, and the errors that need no HTTP peer (nothing listening, an
// unreadable file, an unwritable target, a refused scheme).
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <filesystem>
#include <optional>

#include "http/download_sink.h"
#include "http/progress_throttle.h"
#include "http/sha256_stream.h"
#include "http/transfer_engine.h"
#include "support/free_port.h"
#include "support/temp_dir.h"

namespace timd::http {
namespace {

TEST(ProgressThrottle, AtMostOnePerIntervalAndFinalOnce) {
  ProgressThrottle throttle(100);
  EXPECT_TRUE(throttle.ShouldReport(1000, {10, 100}));
  EXPECT_FALSE(throttle.ShouldReport(1050, {20, 100}));
  EXPECT_TRUE(throttle.ShouldReport(1100, {30, 100}));
  EXPECT_FALSE(throttle.ShouldReport(1300, {30, 100}));   // nothing new
  EXPECT_FALSE(throttle.ShouldReport(1400, {100, 100}));  // left for the final report
  EXPECT_TRUE(throttle.NeedsFinal({100, 100}));
  ProgressThrottle finished;
  EXPECT_TRUE(finished.ShouldReport(0, {5, 0}));  // unknown total
  EXPECT_FALSE(finished.NeedsFinal({5, 0}));
}

TEST(Sha256Stream, MatchesKnownDigest) {
  Sha256Stream sha;
  sha.Update("ab", 2);
  sha.Update("c", 1);
  auto digest = sha.Finish();
  EXPECT_EQ(ToHex(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToBase64(digest), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

// In a child with its own mount namespace, a 64 KiB tmpfs fills up: the
// sink reports kDiskFull and leaves nothing behind. Exit code 77 = the
// machine does not let us mount (skipped).
int FillTinyDisk(const std::string& dir) {
  if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") != 0) {
    return 77;
  }
  DownloadSink sink;
  std::string why;
  if (!sink.Open(dir + "/f", 0, &why)) return 1;
  const std::string chunk(16 * 1024, 'x');
  for (int i = 0; i < 64 && sink.Write(chunk.data(), chunk.size()); ++i) {
  }
  if (sink.error() != TransferError::kDiskFull) return 2;
  if (sink.error_message().find("No space") == std::string::npos) return 3;
  sink.Discard();
  return std::filesystem::is_empty(dir) ? 0 : 4;
}

TEST(DownloadSink, FullDiskIsDiskFullAndLeavesNothing) {
  test::TempDir dir("timd-http-full");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(FillTinyDisk(dir.path()));
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "cannot mount a tmpfs here";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

class TransferEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uv_loop_init(&loop_);
    engine_ = std::make_unique<TransferEngine>(&loop_);
  }
  void TearDown() override {
    engine_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  // Runs the loop until the transfer ends.
  TransferResult Run(bool upload, const std::string& url, const std::string& path) {
    std::optional<TransferResult> result;
    TransferCallbacks callbacks;
    callbacks.on_done = [&](const TransferResult& r) { result = r; };
    if (upload) {
      engine_->StartUpload({url, path, {}, ""}, callbacks);
    } else {
      engine_->StartDownload({url, path, 0}, callbacks);
    }
    EXPECT_FALSE(result.has_value()) << "on_done ran inside Start";
    while (!result && uv_run(&loop_, UV_RUN_ONCE) != 0) {
    }
    EXPECT_TRUE(result.has_value());
    return result.value_or(TransferResult{});
  }

  uv_loop_t loop_;
  std::unique_ptr<TransferEngine> engine_;
  test::TempDir dir_{"timd-http"};
};

TEST_F(TransferEngineTest, NothingListeningIsConnectionRefused) {
  const std::string url = "https://127.0.0.1:" + std::to_string(test::FreePort()) + "/f";
  TransferResult r = Run(false, url, dir_.File("f"));
  EXPECT_EQ(r.error, TransferError::kConnectionRefused) << r.message;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

TEST_F(TransferEngineTest, MissingSourceIsFileUnreadable) {
  TransferResult r = Run(true, "https://127.0.0.1:1/f", dir_.File("absent"));
  EXPECT_EQ(r.error, TransferError::kFileUnreadable);
  EXPECT_NE(r.message.find("absent"), std::string::npos) << r.message;
}

TEST_F(TransferEngineTest, UnwritableTargetIsFileWrite) {
  TransferResult r = Run(false, "https://127.0.0.1:1/f", dir_.File("no/such/dir/f"));
  EXPECT_EQ(r.error, TransferError::kFileWrite) << r.message;
}

TEST_F(TransferEngineTest, PlainHttpAndOtherSchemesAreRefused) {
  EXPECT_EQ(Run(false, "http://127.0.0.1:1/f", dir_.File("f")).error, TransferError::kBadRequest);
  EXPECT_EQ(Run(false, "file:///etc/passwd", dir_.File("f")).error, TransferError::kBadRequest);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

TEST_F(TransferEngineTest, CancelBeforeStartFailureIsQuiet) {
  bool called = false;
  TransferId id = engine_->StartUpload({"https://127.0.0.1:1/", dir_.File("absent"), {}, ""},
                                       {nullptr, [&](const TransferResult&) { called = true; }});
  EXPECT_TRUE(engine_->Cancel(id));
  EXPECT_FALSE(engine_->Cancel(id));
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_FALSE(called);
  EXPECT_EQ(engine_->active_transfers(), 0u);
}

}  // namespace
}  // namespace timd::http
