// TIMMsgSendMessage with a file element, TIMMsgElemUploadProgressCallback
// and TIMMsgDownloadElemToPath through libtimclient (file_app) against
// alice's timd on a real Prosody with http_file_share.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/client/alice_fixture.h"
#include "support/app_process.h"
#include "support/file_messages.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using json = nlohmann::json;

class ClientFileTest : public AliceFixture {
 protected:
  void SetUp() override {
    prosody_.EnableHttpUpload(4 * 1024 * 1024);
    AliceFixture::SetUp();
  }
};

TEST_F(ClientFileTest, SendWithUploadProgressThenDownloadWithProgress) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string file = work_.File("photo.bin");
  constexpr uint64_t kSize = 1536 * 1024;
  WriteRandomFile(file, kSize, 11);
  const std::string out = work_.File("copy.bin");
  auto args = AliceArgs("file-app");
  args.insert(args.end(), {"--peer", "bob", "--file", file, "--out", out});
  AppProcess app("tests/integration/client/file_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(60))) << app.output() << alice_.log();

  std::string last_upload, send_line, download_line, bad_line;
  int download_progress = 0;
  for (const auto& line : Lines(app.output())) {
    if (line.rfind("upload-progress ", 0) == 0) last_upload = line;
    if (line.rfind("send ", 0) == 0) send_line = line;
    if (line.rfind("download-progress ", 0) == 0) {
      ++download_progress;
      const json p = json::parse(line.substr(18));
      EXPECT_TRUE(p.contains("msg_download_elem_result_current_size")) << line;
      EXPECT_TRUE(p.contains("msg_download_elem_result_total_size")) << line;
    }
    if (line.rfind("download ", 0) == 0) download_line = line;
    if (line.rfind("download-bad ", 0) == 0) bad_line = line;
  }
  EXPECT_EQ(last_upload, "upload-progress 0 " + std::to_string(kSize) + " " + std::to_string(kSize)) << app.output();
  ASSERT_EQ(send_line.rfind("send 0 ", 0), 0u) << app.output();
  const json sent = json::parse(send_line.substr(7));
  const json& elem = sent["message_elem_array"][0];
  EXPECT_EQ(elem["elem_type"], 4);
  EXPECT_EQ(elem["file_elem_file_name"], "photo.bin");
  EXPECT_EQ(elem["file_elem_file_size"], kSize);
  EXPECT_EQ(elem["file_elem_file_id"].get<std::string>().size(), 40u);
  EXPECT_EQ(download_line.rfind("download 0", 0), 0u) << app.output();
  EXPECT_GE(download_progress, 1) << app.output();
  EXPECT_EQ(FileSha256Hex(out), FileSha256Hex(file));
  EXPECT_EQ(bad_line.rfind("download-bad 6009 ", 0), 0u) << app.output();
}

// A video with video_elem_image_path: both uploaded under index 0 (the
// total is both sizes), the snapshot's url/id/size/type/width/height in the
// sent message's JSON, downloaded as kTIMDownload_VideoThumb byte for byte;
// a missing snapshot is refused with 7004.
TEST_F(ClientFileTest, VideoWithSnapshotUploadsBothAndTheThumbDownloads) {
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string video = work_.File("clip.mp4"), snapshot = work_.File("clip.png");
  constexpr uint64_t kVideoSize = 700 * 1024, kSnapshotSize = 30 * 1024 + 1;
  WriteRandomFile(video, kVideoSize, 12);
  WriteRandomFile(snapshot, kSnapshotSize, 13);
  const std::string out = work_.File("thumb.png");
  auto args = AliceArgs("file-app-video");
  args.insert(args.end(),
              {"--peer", "bob", "--file", video, "--out", out, "--snapshot", snapshot, "--snapshot-out", out});
  AppProcess app("tests/integration/client/file_app", args);
  app.Start();
  ASSERT_TRUE(app.WaitOutput("done", std::chrono::seconds(60))) << app.output() << alice_.log();

  std::string last_upload, send_line, thumb_line, bad_line;
  for (const auto& line : Lines(app.output())) {
    if (line.rfind("upload-progress ", 0) == 0) last_upload = line;
    if (line.rfind("send ", 0) == 0) send_line = line;
    if (line.rfind("download-thumb ", 0) == 0) thumb_line = line;
    if (line.rfind("send-bad-snapshot ", 0) == 0) bad_line = line;
  }
  const std::string total = std::to_string(kVideoSize + kSnapshotSize);
  EXPECT_EQ(last_upload, "upload-progress 0 " + total + " " + total) << app.output();
  ASSERT_EQ(send_line.rfind("send 0 ", 0), 0u) << app.output();
  const json elem = json::parse(send_line.substr(7))["message_elem_array"][0];
  EXPECT_EQ(elem["elem_type"], 9);
  EXPECT_EQ(elem["video_elem_video_size"], kVideoSize);
  EXPECT_EQ(elem["video_elem_image_size"], kSnapshotSize);
  EXPECT_EQ(elem["video_elem_image_type"], "png");
  EXPECT_EQ(elem["video_elem_image_width"], 320);
  EXPECT_EQ(elem["video_elem_image_height"], 240);
  EXPECT_EQ(elem["video_elem_image_path"], snapshot);
  EXPECT_EQ(elem["video_elem_image_id"].get<std::string>().size(), 40u);
  EXPECT_NE(elem["video_elem_image_url"], elem["video_elem_video_url"]);
  EXPECT_EQ(thumb_line.rfind("download-thumb 0", 0), 0u) << app.output();
  EXPECT_EQ(FileSha256Hex(out), FileSha256Hex(snapshot));
  EXPECT_EQ(bad_line.rfind("send-bad-snapshot 7004 ", 0), 0u) << app.output();
}

}  // namespace
}  // namespace timd::test
