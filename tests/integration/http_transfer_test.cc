// XEP-0363 end to end in process: an xmpp::Client logged into a fixture
// Prosody with mod_http_file_share over HTTPS, xmpp::HttpUpload for the
// service and slots, http::TransferEngine for the PUT and the GET. Real
// server, real sockets, real files.
//
// Here rather than in tests/unit/xmpp: it joins two layers (xmpp and http)
// against a real server and moves 100 MB, which is an integration run's
// time budget, not a unit run's.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include <unistd.h>

#include "http/sha256_stream.h"
#include "support/process_memory.h"
#include "support/temp_dir.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

constexpr uint64_t kSizeLimit = 120 * 1024 * 1024;

std::array<unsigned char, 32> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  http::Sha256Stream sha;
  std::vector<char> buffer(1 << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    sha.Update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  return sha.Finish();
}

long ResidentKb() { return ProcessStatusKb(getpid(), "VmRSS"); }

class HttpTransferTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prosody_ = new ProsodyServer();
    prosody_->EnableHttpUpload(kSizeLimit);
    prosody_->Start();
  }
  static void TearDownTestSuite() {
    delete prosody_;
    prosody_ = nullptr;
  }
  void SetUp() override { session_ = std::make_unique<UploadSession>(*prosody_, "alice"); }

  xmpp::UploadService Service() {
    xmpp::ServiceDiscovery found = session_->Discover();
    EXPECT_EQ(found.error, xmpp::UploadError::kNone) << found.message;
    return found.service;
  }

  xmpp::UploadSlot Slot(const std::string& name, uint64_t size) {
    xmpp::SlotResult slot = session_->RequestSlot(Service(), {name, size, "application/octet-stream"});
    EXPECT_EQ(slot.error, xmpp::UploadError::kNone) << slot.message;
    return slot.slot;
  }

  static ProsodyServer* prosody_;
  TempDir dir_{"timd-transfer", RealDiskTempBase()};
  std::unique_ptr<UploadSession> session_;
};

ProsodyServer* HttpTransferTest::prosody_ = nullptr;

TEST_F(HttpTransferTest, DiscoversTheServiceWithItsLimit) {
  xmpp::UploadService service = Service();
  EXPECT_EQ(service.jid, prosody_->upload_jid());
  EXPECT_EQ(service.max_file_size, kSizeLimit);
}

TEST_F(HttpTransferTest, UploadThenDownloadSameBytesAndHash) {
  const uint64_t size = 3 * 1024 * 1024 + 17;
  const std::string source = dir_.File("photo.bin");
  WriteRandomFile(source, size);
  const xmpp::UploadSlot slot = Slot("photo.bin", size);
  ASSERT_FALSE(slot.put_headers.empty());

  TransferOutcome up = session_->Upload({slot.put_url, source, slot.put_headers, "application/octet-stream"});
  ASSERT_EQ(up.result.error, http::TransferError::kNone) << up.result.message;
  EXPECT_EQ(up.result.http_status, 201);
  EXPECT_EQ(up.result.bytes, size);
  EXPECT_EQ(http::ToHex(up.result.sha256), http::ToHex(FileSha256(source)));
  ASSERT_FALSE(up.progress.empty());
  EXPECT_EQ(up.progress.back().done, size);
  EXPECT_EQ(up.progress.back().total, size);
  for (size_t i = 1; i < up.progress.size(); ++i) EXPECT_GE(up.progress[i].done, up.progress[i - 1].done);

  const std::string target = dir_.File("copy.bin");
  TransferOutcome down = session_->Download({slot.get_url, target, 0});
  ASSERT_EQ(down.result.error, http::TransferError::kNone) << down.result.message;
  EXPECT_EQ(down.result.http_status, 200);
  EXPECT_EQ(down.result.bytes, size);
  EXPECT_EQ(down.result.sha256, up.result.sha256);
  EXPECT_EQ(ReadFile(target), ReadFile(source));
  EXPECT_EQ(down.progress.back().done, size);
  // Only the two files: no temp file left.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 2);
}

TEST_F(HttpTransferTest, ProgressIsThrottledToTenPerSecond) {
  const uint64_t size = 8 * 1024 * 1024;  // ~1.5 s: Prosody stores ~5 MB/s
  const std::string source = dir_.File("big.bin");
  WriteRandomFile(source, size);
  const xmpp::UploadSlot slot = Slot("big.bin", size);
  TransferOutcome up = session_->Upload({slot.put_url, source, slot.put_headers, ""});
  ASSERT_EQ(up.result.error, http::TransferError::kNone) << up.result.message;
  EXPECT_GE(up.progress.size(), 3u);
  // Between any two reports but the final one, at least ~100 ms.
  for (size_t i = 1; i + 1 < up.progress_times.size(); ++i) {
    EXPECT_GE(up.progress_times[i] - up.progress_times[i - 1], std::chrono::milliseconds(95)) << i;
  }
  EXPECT_EQ(up.progress.back().done, size);
}

TEST_F(HttpTransferTest, TooLargeIsRefusedWithTheServersLimit) {
  xmpp::UploadService service = Service();
  // Known limit: refused before asking.
  xmpp::SlotResult local = session_->RequestSlot(service, {"huge.bin", kSizeLimit + 1, ""});
  EXPECT_EQ(local.error, xmpp::UploadError::kFileTooLarge);
  EXPECT_EQ(local.max_file_size, kSizeLimit);
  // Unknown limit: the server's <file-too-large/> says it.
  service.max_file_size.reset();
  xmpp::SlotResult remote = session_->RequestSlot(service, {"huge.bin", kSizeLimit + 1, ""});
  EXPECT_EQ(remote.error, xmpp::UploadError::kFileTooLarge) << remote.message;
  EXPECT_EQ(remote.max_file_size, kSizeLimit);
  EXPECT_NE(remote.message.find(std::to_string(kSizeLimit)), std::string::npos) << remote.message;
}

TEST_F(HttpTransferTest, MissingUrlIs404AndLeavesNoFile) {
  const std::string url = "https://127.0.0.1:" + std::to_string(prosody_->https_port()) + "/file_share/no-such-slot/x";
  TransferOutcome down = session_->Download({url, dir_.File("x"), 0});
  EXPECT_EQ(down.result.error, http::TransferError::kHttpStatus) << down.result.message;
  EXPECT_EQ(down.result.http_status, 404);
  EXPECT_NE(down.result.message.find("404"), std::string::npos) << down.result.message;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

TEST_F(HttpTransferTest, DownloadOverItsLimitIsTooLargeAndLeavesNoFile) {
  const std::string source = dir_.File("s.bin");
  WriteRandomFile(source, 200 * 1024);
  const xmpp::UploadSlot slot = Slot("s.bin", 200 * 1024);
  ASSERT_EQ(session_->Upload({slot.put_url, source, slot.put_headers, ""}).result.error, http::TransferError::kNone);
  std::filesystem::remove(source);
  TransferOutcome down = session_->Download({slot.get_url, dir_.File("s.copy"), 100 * 1024});
  EXPECT_EQ(down.result.error, http::TransferError::kTooLarge) << down.result.message;
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

TEST_F(HttpTransferTest, UnauthorizedPutIsHttpStatus) {
  const std::string source = dir_.File("a.bin");
  WriteRandomFile(source, 1000);
  const xmpp::UploadSlot slot = Slot("a.bin", 1000);
  TransferOutcome up = session_->Upload({slot.put_url, source, {}, ""});
  EXPECT_EQ(up.result.error, http::TransferError::kHttpStatus) << up.result.message;
  EXPECT_EQ(up.result.http_status, 401);
}

TEST_F(HttpTransferTest, CancelInsideProgressEndsQuietlyAndLeavesNoFile) {
  const uint64_t size = 8 * 1024 * 1024;
  const std::string source = dir_.File("c.bin");
  WriteRandomFile(source, size);
  const xmpp::UploadSlot slot = Slot("c.bin", size);
  ASSERT_EQ(session_->Upload({slot.put_url, source, slot.put_headers, ""}).result.error, http::TransferError::kNone);
  std::filesystem::remove(source);

  http::TransferId id = 0;
  int progress_calls = 0;
  bool done = false;
  http::TransferCallbacks callbacks;
  callbacks.on_progress = [&](const http::TransferProgress&) {
    ++progress_calls;
    EXPECT_TRUE(session_->engine().Cancel(id));
  };
  callbacks.on_done = [&](const http::TransferResult&) { done = true; };
  id = session_->engine().StartDownload({slot.get_url, dir_.File("c.copy"), 0}, callbacks);
  session_->RunUntil([&] { return session_->engine().active_transfers() == 0; });
  EXPECT_EQ(progress_calls, 1);
  EXPECT_FALSE(done);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
}

TEST_F(HttpTransferTest, HundredMegabytesStreamWithoutGrowingMemory) {
  const uint64_t size = 100 * 1024 * 1024;
  const std::string source = dir_.File("100m.bin");
  WriteRandomFile(source, size);
  const xmpp::UploadSlot slot = Slot("100m.bin", size);
  const long before_kb = ResidentKb();
  long peak_kb = before_kb;
  http::TransferCallbacks callbacks;
  std::optional<http::TransferResult> result;
  callbacks.on_progress = [&](const http::TransferProgress&) { peak_kb = std::max(peak_kb, ResidentKb()); };
  callbacks.on_done = [&](const http::TransferResult& r) { result = r; };
  session_->engine().StartUpload({slot.put_url, source, slot.put_headers, ""}, callbacks);
  session_->RunUntil([&] { return result.has_value(); }, std::chrono::seconds(300));
  ASSERT_EQ(result->error, http::TransferError::kNone) << result->message;
  EXPECT_EQ(result->bytes, size);
  // A fixed cost (buffers, TLS), far below the file's 100 MB.
  const long bound_kb = kUnderAddressSanitizer ? static_cast<long>(size / 1024) : 8 * 1024;
  EXPECT_LT(peak_kb - before_kb, bound_kb) << "RSS grew from " << before_kb << " kB to " << peak_kb << " kB";
}

TEST(HttpTransferWithoutUpload, NoUploadServiceIsTyped) {
  ProsodyServer prosody;
  prosody.Start();
  UploadSession session(prosody, "alice");
  xmpp::ServiceDiscovery found = session.Discover();
  EXPECT_EQ(found.error, xmpp::UploadError::kNoService);
  EXPECT_NE(found.message.find("no HTTP upload service"), std::string::npos) << found.message;
}

}  // namespace
}  // namespace timd::test
