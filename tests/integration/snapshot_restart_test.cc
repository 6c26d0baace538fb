// A video with a large snapshot, and the sender's daemon killed (SIGKILL)
// in the middle of the snapshot's upload, after the video is up: after the
// restart the message uploads only the snapshot (the video's URL was stored
// when it went up), reaches bob exactly once with both URLs, the snapshot
// downloads byte for byte, and alice's store says SEND_SUCC.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kVideoSize = 512 * 1024 + 5;
constexpr uint64_t kSnapshotSize = 64 * 1024 * 1024 + 7;

class SnapshotRestartTest : public TwoDaemonsWithUpload {
 protected:
  uint64_t upload_limit() const override { return 256 * 1024 * 1024; }
};

// A progress event of "snap-1" past the video: some of the snapshot is up.
bool SnapshotBytesUp(const tim::v1::Event& e) {
  return e.has_msg_upload_progress() && e.msg_upload_progress().message().msg_id() == "snap-1" &&
         e.msg_upload_progress().cur_size() > kVideoSize;
}

TEST_F(SnapshotRestartTest, SnapshotUploadCutOffByAKilledDaemonCompletesAfterRestart) {
  const std::string video = files_.File("clip.mp4"), snapshot = files_.File("clip.jpg");
  WriteRandomFile(video, kVideoSize, 31);
  WriteRandomFile(snapshot, kSnapshotSize, 32);
  EventReader bob_events(bob_.Channel(), FromStart());
  std::string video_url_before_kill;
  uint64_t last_seq_before_kill = 0;
  {
    EventReader alice_events(alice_.Channel(), FromStart());
    std::thread sender([&] {
      tim::v1::SendMessageResponse ignored;  // the call dies with the daemon
      SendWithin(*alice_.Stubs(), VideoWithSnapshot("bob", video, snapshot, "snap-1"), &ignored, 60s);
    });
    ASSERT_TRUE(alice_events.WaitFor(SnapshotBytesUp, 60s)) << alice_.log();
    alice_.Kill9();
    sender.join();
    const uint64_t up = BytesUp(alice_events);
    std::cout << "[ figures ] killed after " << (up - kVideoSize) << " of " << kSnapshotSize
              << " snapshot bytes (video of " << kVideoSize << " bytes up)\n";
    EXPECT_LT(up, kVideoSize + kSnapshotSize) << "the kill came after the whole snapshot was up";
    for (const auto& e : alice_events.Events()) {
      last_seq_before_kill = std::max<uint64_t>(last_seq_before_kill, e.seq());
      if (SnapshotBytesUp(e)) video_url_before_kill = e.msg_upload_progress().message().elems(0).file().url();
    }
    ASSERT_TRUE(video_url_before_kill.starts_with("https://")) << video_url_before_kill;
  }

  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  EventReader alice_events(alice_.Channel(), FromStart());
  ASSERT_TRUE(bob_events.WaitFor(NewMessage("snap-1"), 120s)) << alice_.log();
  std::this_thread::sleep_for(2s);  // a second copy would come now
  const auto copies = Copies(bob_events, "snap-1");
  ASSERT_EQ(copies.size(), 1u);
  ASSERT_EQ(copies[0].elems_size(), 1);
  EXPECT_EQ(copies[0].elems(0).type(), tim::v1::ELEM_VIDEO);
  const tim::v1::FileElem& got = copies[0].elems(0).file();
  // The video was not uploaded again: the URL from before the kill.
  EXPECT_EQ(got.url(), video_url_before_kill);
  EXPECT_EQ(got.file_size(), kVideoSize);
  EXPECT_EQ(got.sha256(), FileSha256Hex(video));
  const tim::v1::FileElem& got_image = got.snapshot();
  EXPECT_TRUE(got_image.url().starts_with("https://")) << got_image.url();
  EXPECT_NE(got_image.url(), got.url());
  EXPECT_EQ(got_image.file_size(), kSnapshotSize);
  EXPECT_EQ(got_image.sha256(), FileSha256Hex(snapshot));
  EXPECT_EQ(got_image.width(), 640u);

  // After the restart the progress of the one index resumes past the video.
  ASSERT_TRUE(alice_events.WaitFor(AllBytesUp, 10s));
  uint64_t least_after_restart = kVideoSize + kSnapshotSize;
  size_t events_after_restart = 0;
  for (const auto& e : alice_events.Events()) {
    if (e.seq() <= last_seq_before_kill || !e.has_msg_upload_progress()) continue;
    ++events_after_restart;
    least_after_restart = std::min<uint64_t>(least_after_restart, e.msg_upload_progress().cur_size());
    EXPECT_EQ(e.msg_upload_progress().total_size(), kVideoSize + kSnapshotSize);
  }
  EXPECT_GT(events_after_restart, 0u);
  EXPECT_GE(least_after_restart, kVideoSize);
  std::cout << "[ figures ] after the restart: " << events_after_restart << " progress events, the first at "
            << least_after_restart << " of " << kVideoSize + kSnapshotSize << " bytes\n";

  tim::v1::DownloadElemToPathResponse response;
  const std::string received = files_.File("received.jpg");
  auto status = DownloadSnapshot(bob_, got_image, received, &response);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << bob_.log();
  EXPECT_EQ(response.size(), kSnapshotSize);
  EXPECT_EQ(FileSha256Hex(received), FileSha256Hex(snapshot));

  const auto stored = History(alice_, "bob");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].status(), tim::v1::MSG_SEND_SUCC);
  EXPECT_EQ(stored[0].elems(0).file().url(), got.url());
  EXPECT_EQ(stored[0].elems(0).file().snapshot().url(), got_image.url());
}

}  // namespace
}  // namespace timd::test
