// Messages.DownloadElemToPath against a real Prosody's http_file_share:
// bob's timd fetches the file alice's timd uploaded, with progress events
// and the SHA-256 checked; failures are 6009 and leave nothing behind.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_edits.h"
#include "support/requests.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

class FileDownloadTest : public TwoDaemonsWithUpload {
 protected:
  // Alice sends a file of `size` bytes; its element as bob's timd stored it.
  tim::v1::FileElem SentFile(uint64_t size) {
    const std::string path = files_.File("sent.bin");
    WriteRandomFile(path, size, 7);
    sent_sha256_ = FileSha256Hex(path);
    tim::v1::SendMessageResponse sent;
    auto status = SendWithin(*alice_.Stubs(), FileTo("bob", path, tim::v1::ELEM_FILE, "dl-1"), &sent, 60s);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EventReader bob_events(bob_.Channel(), FromStart());
    EXPECT_TRUE(bob_events.WaitFor(HasNewMessage(WithMsgId("dl-1")), 20s)) << bob_.log();
    for (const auto& m : NewMessagesMatching(bob_events.Events(), WithMsgId("dl-1"))) return m.elems(0).file();
    return {};
  }

  grpc::Status Download(const tim::v1::DownloadElemToPathRequest& request,
                        tim::v1::DownloadElemToPathResponse* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 60s);
    return bob_.Stubs()->messages->DownloadElemToPath(&ctx, request, response);
  }

  std::string sent_sha256_;
};

TEST_F(FileDownloadTest, FetchesTheBytesWithProgressAndChecksThem) {
  constexpr uint64_t kSize = 3 * 1024 * 1024 + 5;
  const tim::v1::FileElem file = SentFile(kSize);
  ASSERT_FALSE(file.url().empty());
  EXPECT_EQ(file.sha256(), sent_sha256_);

  EventReader events(bob_.Channel(), FromStart());
  tim::v1::DownloadElemToPathRequest request;
  request.set_url(file.url());
  request.set_path(files_.File("received.bin"));
  request.set_download_id("dl-progress");
  request.set_sha256(file.sha256());
  tim::v1::DownloadElemToPathResponse response;
  auto status = Download(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << bob_.log();
  EXPECT_EQ(response.size(), kSize);
  EXPECT_EQ(response.sha256(), sent_sha256_);
  EXPECT_EQ(FileSha256Hex(request.path()), sent_sha256_);

  const auto final_progress = [](const tim::v1::Event& e) {
    return e.has_download_progress() && e.download_progress().download_id() == "dl-progress" &&
           e.download_progress().cur_size() == e.download_progress().total_size();
  };
  ASSERT_TRUE(events.WaitFor(final_progress, 10s));
  size_t count = 0;
  for (const auto& e : events.Events()) {
    if (!e.has_download_progress()) continue;
    ++count;
    EXPECT_LE(e.download_progress().cur_size(), kSize);
  }
  std::cout << "[ figures ] download progress events for " << kSize << " bytes: " << count << "\n";
}

TEST_F(FileDownloadTest, FailuresAre6009AndLeaveNothingBehind) {
  const tim::v1::FileElem file = SentFile(100 * 1024);
  tim::v1::DownloadElemToPathResponse response;

  tim::v1::DownloadElemToPathRequest mismatch;
  mismatch.set_url(file.url());
  mismatch.set_path(files_.File("mismatch.bin"));
  mismatch.set_sha256(std::string(64, '0'));
  auto status = Download(mismatch, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 6009);
  EXPECT_FALSE(std::filesystem::exists(mismatch.path()));

  tim::v1::DownloadElemToPathRequest missing = mismatch;
  missing.clear_sha256();
  // http_file_share finds a file by its slot id, the path's first segment.
  const size_t share = file.url().find("/file_share/");
  ASSERT_NE(share, std::string::npos) << file.url();
  missing.set_url(file.url().substr(0, share) + "/file_share/no-such-slot/sent.bin");
  status = Download(missing, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 6009);
  EXPECT_NE(status.error_message().find("404"), std::string::npos) << status.error_message();
  EXPECT_FALSE(std::filesystem::exists(missing.path()));

  tim::v1::DownloadElemToPathRequest no_directory = missing;
  no_directory.set_url(file.url());
  no_directory.set_path(files_.File("no-such-dir/file.bin"));
  status = Download(no_directory, &response);
  EXPECT_EQ(TimCodeOf(status), 6009) << status.error_message();

  tim::v1::DownloadElemToPathRequest relative = no_directory;
  relative.set_path("relative.bin");
  status = Download(relative, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(TimCodeOf(status), 6017);
}

}  // namespace
}  // namespace timd::test
