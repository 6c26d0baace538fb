// timctl send --file and timctl download against a real Prosody with
// http_file_share and timd: upload progress lines, the message with its
// URL, the download with progress and the same bytes, and a missing file
// refused (exit code 3, TIM code 7004) before anything is stored; a video
// with --snapshot, whose snapshot downloads by its own URL.
#include <gtest/gtest.h>

#include "support/file_messages.h"
#include "support/upload_session.h"
#include "timctl_runner.h"

namespace timd::test {
namespace {

class TimctlFileTest : public TwoDaemonsWithUpload {
 protected:
  TimctlResult Timctl(const TimdProcess& timd, std::vector<std::string> args) {
    args.insert(args.begin(), {"--socket", timd.socket_path()});
    return runner_.Run(args);
  }

  TimctlRunner runner_;
};

TEST_F(TimctlFileTest, SendFileShowsProgressAndDownloadGetsTheSameBytes) {
  const std::string path = files_.File("notes.txt");
  constexpr uint64_t kSize = 2 * 1024 * 1024 + 3;
  WriteRandomFile(path, kSize, 3);

  auto sent = Timctl(alice_, {"send", "bob", "--file", path, "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << alice_.log();
  auto lines = sent.JsonLines();
  ASSERT_GE(lines.size(), 2u) << sent.out;
  const auto& last_progress = lines[lines.size() - 2]["msg_upload_progress"];
  EXPECT_EQ(last_progress["cur_size"], std::to_string(kSize)) << sent.out;
  EXPECT_EQ(last_progress["total_size"], std::to_string(kSize)) << sent.out;
  const auto& file = lines.back()["message"]["elems"][0]["file"];
  EXPECT_EQ(file["file_name"], "notes.txt");
  EXPECT_EQ(file["media_type"], "text/plain");
  const std::string url = file["url"];
  const std::string sha256 = file["sha256"];
  EXPECT_EQ(sha256, FileSha256Hex(path));

  // Human output: progress on stderr, the URL on stdout.
  auto human = Timctl(alice_, {"send", "bob", "--file", path, "--file-type", "image"});
  ASSERT_EQ(human.exit_code, 0) << human.Describe();
  EXPECT_NE(human.err.find("(100%)"), std::string::npos) << human.err;
  EXPECT_NE(human.out.find("https://"), std::string::npos) << human.out;

  const std::string target = files_.File("downloaded.txt");
  auto downloaded = Timctl(bob_, {"download", url, target, "--sha256", sha256, "--json"});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.Describe() << bob_.log();
  auto download_lines = downloaded.JsonLines();
  ASSERT_GE(download_lines.size(), 2u) << downloaded.out;
  EXPECT_TRUE(download_lines.front().contains("download_progress")) << downloaded.out;
  EXPECT_EQ(download_lines.back()["size"], std::to_string(kSize));
  EXPECT_EQ(FileSha256Hex(target), sha256);
}

TEST_F(TimctlFileTest, MissingFileIsRefusedBeforeAnythingIsStored) {
  auto refused = Timctl(alice_, {"send", "bob", "--file", files_.File("absent.bin"), "--json"});
  EXPECT_EQ(refused.exit_code, 3) << refused.Describe();
  EXPECT_EQ(refused.ErrorJson()["tim_code"], 7004) << refused.Describe();
  auto history = Timctl(alice_, {"history", "bob"});
  EXPECT_EQ(history.out, "(no messages)\n") << history.Describe();

  auto bad_download = Timctl(bob_, {"download", "https://127.0.0.1:1/nothing", files_.File("x.bin"), "--json"});
  EXPECT_EQ(bad_download.exit_code, 3) << bad_download.Describe();
  EXPECT_EQ(bad_download.ErrorJson()["tim_code"], 6009) << bad_download.Describe();
}

TEST_F(TimctlFileTest, VideoWithSnapshotSendsBothAndTheSnapshotDownloads) {
  const std::string video = files_.File("clip.webm"), snapshot = files_.File("clip.gif");
  constexpr uint64_t kVideoSize = 300 * 1024, kSnapshotSize = 9000;
  WriteRandomFile(video, kVideoSize, 4);
  WriteRandomFile(snapshot, kSnapshotSize, 5);

  auto sent =
      Timctl(alice_, {"send", "bob", "--file", video, "--file-type", "video", "--snapshot", snapshot, "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.Describe() << alice_.log();
  auto lines = sent.JsonLines();
  ASSERT_GE(lines.size(), 2u) << sent.out;
  const std::string total = std::to_string(kVideoSize + kSnapshotSize);
  EXPECT_EQ(lines[lines.size() - 2]["msg_upload_progress"]["cur_size"], total) << sent.out;
  const auto& image = lines.back()["message"]["elems"][0]["file"]["snapshot"];
  EXPECT_EQ(image["media_type"], "image/gif") << sent.out;
  EXPECT_EQ(image["file_size"], std::to_string(kSnapshotSize)) << sent.out;
  const std::string sha256 = image["sha256"];
  EXPECT_EQ(sha256, FileSha256Hex(snapshot));

  const std::string target = files_.File("thumb.gif");
  auto downloaded = Timctl(bob_, {"download", image["url"], target, "--sha256", sha256, "--json"});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.Describe() << bob_.log();
  EXPECT_EQ(FileSha256Hex(target), sha256);

  auto refused = Timctl(alice_, {"send", "bob", "--file", video, "--file-type", "video", "--snapshot",
                                 files_.File("absent.png"), "--json"});
  EXPECT_EQ(refused.exit_code, 3) << refused.Describe();
  EXPECT_EQ(refused.ErrorJson()["tim_code"], 7004) << refused.Describe();
}

}  // namespace
}  // namespace timd::test
