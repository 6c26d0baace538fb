// A video element with a snapshot (video_elem_image_*) between two timd
// daemons over a real Prosody with mod_http_file_share: the sender checks
// and uploads both files under one progress index, the receiver gets both
// URLs with the snapshot's size, dimensions and SHA-256, and downloads the
// snapshot (kTIMDownload_VideoThumb) byte for byte. Bad snapshots are
// refused before anything is stored.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "support/event_reader.h"
#include "support/file_messages.h"
#include "support/message_edits.h"
#include "support/message_sets.h"
#include "support/requests.h"
#include "support/upload_session.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

using VideoSnapshotTest = TwoDaemonsWithUpload;

TEST_F(VideoSnapshotTest, BothFilesReachATimdPeerAndTheSnapshotDownloads) {
  const std::string video = files_.File("clip.mp4"), snapshot = files_.File("clip.jpg");
  constexpr uint64_t kVideoSize = 1024 * 1024 + 3, kSnapshotSize = 48 * 1024 + 11;
  WriteRandomFile(video, kVideoSize, 21);
  WriteRandomFile(snapshot, kSnapshotSize, 22);
  EventReader alice_events(alice_.Channel(), FromStart());
  EventReader bob_events(bob_.Channel(), FromStart());

  tim::v1::SendMessageResponse sent;
  auto status = SendWithin(*alice_.Stubs(), VideoWithSnapshot("bob", video, snapshot, "video-1"), &sent, 60s);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << alice_.log();
  ASSERT_EQ(sent.message().status(), tim::v1::MSG_SEND_SUCC);
  const tim::v1::FileElem& up = sent.message().elems(0).file();
  const tim::v1::FileElem& up_image = up.snapshot();
  EXPECT_TRUE(up.url().starts_with("https://")) << up.url();
  EXPECT_TRUE(up_image.url().starts_with("https://")) << up_image.url();
  EXPECT_NE(up_image.url(), up.url());
  EXPECT_EQ(up_image.id().size(), 40u);
  EXPECT_NE(up_image.id(), up.id());
  EXPECT_EQ(up_image.file_size(), kSnapshotSize);
  EXPECT_EQ(up_image.media_type(), "image/jpeg");
  EXPECT_EQ(up_image.sha256(), FileSha256Hex(snapshot));
  EXPECT_EQ(up_image.local_path(), snapshot);  // the sender keeps its path
  EXPECT_EQ(up.sha256(), FileSha256Hex(video));

  // One progress index for both files: growing to the sum of their sizes.
  ASSERT_TRUE(alice_events.WaitFor(AllBytesUp));
  const auto progress = UploadProgress(alice_events);
  ASSERT_FALSE(progress.empty());
  uint64_t previous = 0;
  bool saw_snapshot_bytes = false;
  for (const auto& p : progress) {
    EXPECT_EQ(p.index(), 0u);
    EXPECT_EQ(p.total_size(), kVideoSize + kSnapshotSize);
    EXPECT_GE(p.cur_size(), previous);
    saw_snapshot_bytes = saw_snapshot_bytes || p.cur_size() > kVideoSize;
    previous = p.cur_size();
  }
  EXPECT_TRUE(saw_snapshot_bytes);
  EXPECT_EQ(progress.back().cur_size(), kVideoSize + kSnapshotSize);
  std::cout << "[ figures ] upload progress events for a " << kVideoSize << "-byte video and a " << kSnapshotSize
            << "-byte snapshot: " << progress.size() << "\n";

  ASSERT_TRUE(bob_events.WaitFor(NewMessage("video-1"), 20s)) << bob_.log();
  const auto copies = Copies(bob_events, "video-1");
  ASSERT_EQ(copies.size(), 1u);
  ASSERT_EQ(copies[0].elems_size(), 1);
  EXPECT_EQ(copies[0].elems(0).type(), tim::v1::ELEM_VIDEO);
  const tim::v1::FileElem& got = copies[0].elems(0).file();
  EXPECT_EQ(got.url(), up.url());
  const tim::v1::FileElem& got_image = got.snapshot();
  EXPECT_EQ(got_image.url(), up_image.url());
  EXPECT_EQ(got_image.id(), up_image.id());
  EXPECT_EQ(got_image.file_size(), kSnapshotSize);
  EXPECT_EQ(got_image.width(), 640u);
  EXPECT_EQ(got_image.height(), 360u);
  EXPECT_EQ(got_image.media_type(), "image/jpeg");
  EXPECT_EQ(got_image.sha256(), up_image.sha256());
  EXPECT_TRUE(got_image.local_path().empty());  // never shared

  tim::v1::DownloadElemToPathResponse response;
  status = DownloadSnapshot(bob_, got_image, files_.File("received.jpg"), &response);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << bob_.log();
  EXPECT_EQ(response.size(), kSnapshotSize);
  EXPECT_EQ(FileSha256Hex(files_.File("received.jpg")), FileSha256Hex(snapshot));
}

TEST_F(VideoSnapshotTest, BadSnapshotsAreRefusedBeforeAnythingIsStored) {
  // A video without a snapshot still goes as before, and makes the stream
  // current with its upload service known.
  const std::string video = files_.File("clip.mp4");
  WriteRandomFile(video, 2000);
  tim::v1::SendMessageResponse sent;
  ASSERT_TRUE(SendWithin(*alice_.Stubs(), FileTo("bob", video, tim::v1::ELEM_VIDEO), &sent, 30s).ok())
      << alice_.log();
  EXPECT_FALSE(sent.message().elems(0).file().has_snapshot());
  EXPECT_FALSE(sent.message().elems(0).file().url().empty());

  auto refusal = [&](const tim::v1::SendMessageRequest& request) {
    tim::v1::SendMessageResponse response;
    return SendWithin(*alice_.Stubs(), request, &response, 30s);
  };
  auto missing = refusal(VideoWithSnapshot("bob", video, files_.File("no-such-snapshot.jpg")));
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND) << missing.error_message();
  EXPECT_EQ(TimCodeOf(missing), 7004);
  EXPECT_NE(missing.error_message().find("element 0's snapshot"), std::string::npos) << missing.error_message();

  EXPECT_EQ(TimCodeOf(refusal(VideoWithSnapshot("bob", video, files_.path()))), 6022);

  const std::string empty = files_.File("empty.jpg");
  WriteRandomFile(empty, 0);
  EXPECT_EQ(TimCodeOf(refusal(VideoWithSnapshot("bob", video, empty))), 7006);

  const std::string big = files_.File("big.jpg");
  WriteRandomFile(big, kUploadLimit + 1);
  auto too_large = refusal(VideoWithSnapshot("bob", video, big));
  EXPECT_EQ(too_large.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << too_large.error_message();
  EXPECT_EQ(TimCodeOf(too_large), 7005) << too_large.error_message();

  const std::string good_snapshot = files_.File("good.jpg");
  WriteRandomFile(good_snapshot, 500);
  auto not_a_video = VideoWithSnapshot("bob", video, good_snapshot);
  not_a_video.mutable_elems(0)->set_type(tim::v1::ELEM_FILE);
  auto refused = refusal(not_a_video);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << refused.error_message();
  EXPECT_EQ(TimCodeOf(refused), 6016) << refused.error_message();

  const auto stored = History(alice_, "bob");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].msg_id(), sent.message().msg_id());
}

}  // namespace
}  // namespace timd::test
