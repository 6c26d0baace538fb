// Messages with files between two timd daemons over a real Prosody with
// mod_http_file_share (XEP-0363 over HTTPS with the fixture's own cert):
// the sender uploads while reporting progress, the receiver sees a file
// element with URL, size, name and SHA-256. Bad files and servers without
// upload are refused before anything is stored.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/process_memory.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kSizeLimit = TwoDaemonsWithUpload::kUploadLimit;

using FileMessageTest = TwoDaemonsWithUpload;

TEST_F(FileMessageTest, FileReachesATimdPeerWithUrlSizeNameAndProgress) {
  const std::string path = files_.File("quarterly report.pdf");
  constexpr uint64_t kSize = 3 * 1024 * 1024 + 17;
  WriteRandomFile(path, kSize);
  EventReader alice_events(alice_.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());

  tim::v1::SendMessageResponse sent;
  auto status = SendWithin(*alice_.Stubs(), FileTo("bob", path, tim::v1::ELEM_FILE, "file-1"), &sent, 60s);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  ASSERT_EQ(sent.message().status(), tim::v1::MSG_SEND_SUCC);
  ASSERT_EQ(sent.message().elems_size(), 1);
  const tim::v1::FileElem& up = sent.message().elems(0).file();
  EXPECT_TRUE(up.url().starts_with("https://")) << up.url();
  EXPECT_EQ(up.file_size(), kSize);
  EXPECT_EQ(up.file_name(), "quarterly report.pdf");
  EXPECT_EQ(up.media_type(), "application/pdf");
  EXPECT_EQ(up.sha256(), FileSha256Hex(path));
  EXPECT_EQ(up.id().size(), 40u);
  EXPECT_EQ(up.local_path(), path);  // the sender keeps its path

  // Progress: for element 0, growing, ending with the whole file.
  ASSERT_TRUE(alice_events.WaitFor(AllBytesUp));
  const auto progress = UploadProgress(alice_events);
  ASSERT_FALSE(progress.empty());
  uint64_t previous = 0;
  for (const auto& p : progress) {
    EXPECT_EQ(p.index(), 0u);
    EXPECT_EQ(p.message().msg_id(), "file-1");
    EXPECT_EQ(p.message().status(), tim::v1::MSG_SENDING);
    EXPECT_GE(p.cur_size(), previous);
    previous = p.cur_size();
  }
  EXPECT_EQ(progress.back().cur_size(), kSize);
  EXPECT_EQ(progress.back().total_size(), kSize);
  std::cout << "[ figures ] upload progress events for " << kSize << " bytes: " << progress.size() << "\n";

  ASSERT_TRUE(bob_events.WaitFor(HasNewMessage(WithMsgId("file-1")), 20s)) << bob_.log();
  for (const auto& got : NewMessagesMatching(bob_events.Events(), WithMsgId("file-1"))) {
    ASSERT_EQ(got.elems_size(), 1);
    EXPECT_EQ(got.elems(0).type(), tim::v1::ELEM_FILE);
    const tim::v1::FileElem& file = got.elems(0).file();
    EXPECT_EQ(file.url(), up.url());
    EXPECT_EQ(file.file_size(), kSize);
    EXPECT_EQ(file.file_name(), "quarterly report.pdf");
    EXPECT_EQ(file.sha256(), up.sha256());
    EXPECT_EQ(file.id(), up.id());
    EXPECT_TRUE(file.local_path().empty());  // never shared
  }
}

TEST_F(FileMessageTest, BadFilesAreRefusedBeforeAnythingIsStored) {
  // One good file first: the stream is current and its upload service known.
  const std::string good = files_.File("good.bin");
  WriteRandomFile(good, 1000);
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(SendWithin(*alice_.Stubs(), FileTo("bob", good), &sent, 30s).ok()) << alice_.log();

  auto refusal = [&](const std::string& path) {
    tim::v1::SendMessageResponse response;
    return SendWithin(*alice_.Stubs(), FileTo("bob", path), &response, 30s);
  };
  auto missing = refusal(files_.File("no-such-file.bin"));
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND) << missing.error_message();
  EXPECT_EQ(TimCodeOf(missing), 7004);
  EXPECT_NE(missing.error_message().find("no-such-file.bin"), std::string::npos) << missing.error_message();

  auto directory = refusal(files_.path());
  EXPECT_EQ(TimCodeOf(directory), 6022) << directory.error_message();

  const std::string empty = files_.File("empty.bin");
  WriteRandomFile(empty, 0);
  EXPECT_EQ(TimCodeOf(refusal(empty)), 7006);

  const std::string big = files_.File("big.bin");
  WriteRandomFile(big, kSizeLimit + 1);
  auto too_large = refusal(big);
  EXPECT_EQ(too_large.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << too_large.error_message();
  EXPECT_EQ(TimCodeOf(too_large), 7005) << too_large.error_message();

  // Only the good one was ever stored.
  const auto stored = History(alice_, "bob");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].msg_id(), sent.message().msg_id());
}

// A large file, and the sender's daemon killed (SIGKILL) while it uploads:
// after the restart the message is still in the outbox, uploads again and
// reaches bob exactly once.
class FileRestartTest : public TwoDaemonsWithUpload {
 protected:
  uint64_t upload_limit() const override { return 256 * 1024 * 1024; }
};

TEST_F(FileRestartTest, UploadCutOffByAKilledDaemonCompletesAfterRestart) {
  const std::string path = files_.File("big.bin");
  constexpr uint64_t kSize = 120 * 1024 * 1024;
  WriteRandomFile(path, kSize, 9);
  EventReader alice_events(alice_.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());
  std::thread sender([&] {
    tim::v1::SendMessageResponse ignored;  // the call dies with the daemon
    SendWithin(*alice_.Stubs(), FileTo("bob", path, tim::v1::ELEM_VIDEO, "big-1"), &ignored, 60s);
  });
  // Killed once some bytes are up (or, on a fast machine, maybe all of them:
  // the figure below says which; either way nothing may be lost).
  ASSERT_TRUE(alice_events.WaitFor(SomeBytesUp, 30s)) << alice_.log();
  alice_.Kill9();
  sender.join();
  std::cout << "[ figures ] killed after " << BytesUp(alice_events) << " of " << kSize << " bytes\n";

  alice_.Start();
  const long rss_at_start_kb = ProcessStatusKb(alice_.pid(), "VmRSS");
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("big-1"), 120s)) << alice_.log();
  // The file streams from disk: timd's peak memory does not follow its size.
  const long peak_kb = ProcessStatusKb(alice_.pid(), "VmHWM");
  std::cout << "[ figures ] timd RSS at start " << rss_at_start_kb << " kB, peak after a " << kSize / (1024 * 1024)
            << " MB upload " << peak_kb << " kB (+" << (peak_kb - rss_at_start_kb) / 1024 << " MB)\n";
  const long bound_kb = kUnderAddressSanitizer ? static_cast<long>(kSize / 1024) : 32 * 1024;
  EXPECT_LT(peak_kb - rss_at_start_kb, bound_kb);
  std::this_thread::sleep_for(2s);  // a second copy would come now
  const auto copies = Copies(bob_events, "big-1");
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0].elems(0).type(), tim::v1::ELEM_VIDEO);
  EXPECT_EQ(copies[0].elems(0).file().file_size(), kSize);
  EXPECT_EQ(copies[0].elems(0).file().sha256(), FileSha256Hex(path));
  const auto stored = History(alice_, "bob");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status(), tim::v1::MSG_SEND_SUCC);
}

TEST(FileMessageWithoutUploadTest, ServerWithoutUploadIsNamed) {
  ProsodyServer prosody;  // no http_file_share
  prosody.Start();
  prosody.AddUser("bob", "bob-secret");
  TimdProcess alice;
  ASSERT_NO_FATAL_FAILURE(StartLoggedIn(prosody, alice, "alice"));
  // A text goes out once the stream is current (its service discovery begun).
  ASSERT_TRUE(SendText(*alice.Stubs(), "bob", "hello").ok()) << alice.log();

  TempDir files;
  const std::string path = files.File("photo.png");
  WriteRandomFile(path, 2048);
  tim::v1::SendMessageResponse response;
  auto status = SendWithin(*alice.Stubs(), FileTo("bob", path, tim::v1::ELEM_IMAGE), &response, 30s);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 7013);
  EXPECT_NE(status.error_message().find("XEP-0363"), std::string::npos) << status.error_message();
  EXPECT_EQ(History(alice, "bob").size(), 1u);  // the text alone
}

}  // namespace
}  // namespace timd::test
