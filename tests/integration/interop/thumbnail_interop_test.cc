// A video's snapshot between timd and an independent client (python3-slixmpp,
// thumbs_peer.py) over a real Prosody with http_file_share, as an XEP-0264
// thumbnail inside the video's XEP-0446 metadata: slixmpp finds the
// snapshot's URL in what timd sent and fetches the snapshot's bytes; a
// video slixmpp shares with a thumbnail arrives at timd as a video element
// whose snapshot is that thumbnail, which DownloadElemToPath (and timctl
// history / download) show and fetch.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/interop/file_peer_fixture.h"
#include "integration/timctl/timctl_runner.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

using ThumbnailInteropTest = SlixmppFilePeerTest;

TEST_F(ThumbnailInteropTest, VideoSnapshotIsAThumbnailBothWaysWithSlixmpp) {
  ASSERT_NO_FATAL_FAILURE(StartWithCarolAs("thumbs_peer.py"));

  // timd -> slixmpp: the snapshot as the video's thumbnail.
  const std::string video = files_.File("clip.mp4"), snapshot = files_.File("clip.jpg");
  WriteRandomFile(video, 300 * 1024, 41);
  WriteRandomFile(snapshot, 30 * 1024 + 1, 42);
  tim::v1::SendMessageResponse sent;
  auto status = SendWithin(*alice_.Stubs(), VideoWithSnapshot("carol", video, snapshot), &sent, 30s);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  const tim::v1::FileElem& up_image = sent.message().elems(0).file().snapshot();
  ASSERT_TRUE(up_image.url().starts_with("https://")) << up_image.url();

  const std::string got_line = carol_->WaitForLine("\"file_xml\"");
  ASSERT_FALSE(got_line.empty()) << carol_->output();
  const json got = json::parse(got_line);
  std::cout << "[ figures ] the <file> slixmpp received: " << got["file_xml"].get<std::string>() << "\n";
  EXPECT_NE(got["file_xml"].get<std::string>().find("urn:xmpp:thumbs:1"), std::string::npos);
  ASSERT_TRUE(got.contains("thumb_uri")) << got_line;
  EXPECT_EQ(got["thumb_uri"], up_image.url());
  EXPECT_EQ(got["thumb_media_type"], "image/jpeg");
  EXPECT_EQ(got["thumb_width"], "640");
  EXPECT_EQ(got["thumb_height"], "360");
  EXPECT_EQ(got["thumb_size"], 30 * 1024 + 1);
  EXPECT_EQ(got["thumb_sha256"], FileSha256Hex(snapshot));

  // slixmpp -> timd: its thumbnail as the video's snapshot (its cid: one skipped).
  const std::string sent_line = carol_->WaitForLine("\"sent_thumb_url\"");
  ASSERT_FALSE(sent_line.empty()) << carol_->output();
  const json theirs = json::parse(sent_line);
  const tim::v1::Message message = CarolsMessage();
  ASSERT_EQ(message.elems_size(), 1) << message.DebugString();  // the body only repeats the URL
  EXPECT_EQ(message.elems(0).type(), tim::v1::ELEM_VIDEO);
  const tim::v1::FileElem& their_video = message.elems(0).file();
  EXPECT_EQ(their_video.url(), theirs["sent_video_url"]);
  EXPECT_EQ(their_video.media_type(), "video/webm");
  ASSERT_TRUE(their_video.has_snapshot()) << message.DebugString();
  const tim::v1::FileElem& their_image = their_video.snapshot();
  EXPECT_EQ(their_image.url(), theirs["sent_thumb_url"]);
  EXPECT_EQ(their_image.id().size(), 40u);
  EXPECT_EQ(their_image.media_type(), "image/jpeg");
  EXPECT_EQ(their_image.width(), 320u);
  EXPECT_EQ(their_image.height(), 180u);

  tim::v1::DownloadElemToPathResponse response;
  const std::string received = files_.File("from-carol.jpg");
  status = DownloadSnapshot(alice_, their_image, received, &response);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  EXPECT_EQ(response.size(), theirs["sent_thumb_size"].get<uint64_t>());
  EXPECT_EQ(FileSha256Hex(received), theirs["sent_thumb_sha256"]);

  // The same through timctl: the stored message shows the snapshot, which downloads.
  TimctlRunner timctl;
  auto history = timctl.Run({"--socket", alice_.socket_path(), "history", "carol", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.Describe();
  const json stored = history.JsonLines().at(0)["messages"];
  const auto from_carol =
      std::find_if(stored.begin(), stored.end(), [](const json& m) { return m["sender"] == "carol"; });
  ASSERT_NE(from_carol, stored.end()) << history.out;
  const json& shown = (*from_carol)["elems"][0]["file"]["snapshot"];
  EXPECT_EQ(shown["url"], theirs["sent_thumb_url"]) << history.out;
  EXPECT_EQ(shown["width"], 320) << history.out;
  const std::string by_timctl = files_.File("by-timctl.jpg");
  auto downloaded = timctl.Run({"--socket", alice_.socket_path(), "download", shown["url"], by_timctl, "--json"});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.Describe() << alice_.log();
  EXPECT_EQ(FileSha256Hex(by_timctl), theirs["sent_thumb_sha256"]);
}

}  // namespace
}  // namespace timd::test
