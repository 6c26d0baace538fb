#include "domain/file_elems.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace timd::domain {
namespace {

tim::v1::Message OneFile(tim::v1::ElemType type, const std::string& path) {
  tim::v1::Message content;
  auto* elem = content.add_elems();
  elem->set_type(type);
  elem->mutable_file()->set_local_path(path);
  return content;
}

class FileElemsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/timd-file-elems-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    std::remove((dir_ + "/photo.JPG").c_str());
    std::remove((dir_ + "/empty").c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(FileElemsTest, AdmitFillsSizeNameAndTypeFromTheFile) {
  std::ofstream(dir_ + "/photo.JPG") << "12345";
  auto content = OneFile(tim::v1::ELEM_IMAGE, dir_ + "/photo.JPG");
  content.mutable_elems(0)->mutable_file()->set_file_size(999);  // the app's guess: the file decides
  ASSERT_TRUE(AdmitLocalFiles(content).ok());
  const auto& file = content.elems(0).file();
  EXPECT_EQ(file.file_size(), 5u);
  EXPECT_EQ(file.file_name(), "photo.JPG");
  EXPECT_EQ(file.media_type(), "image/jpeg");
}

TEST_F(FileElemsTest, AdmitRefusesMissingDirectoriesAndEmptyFiles) {
  auto missing = OneFile(tim::v1::ELEM_FILE, dir_ + "/nope.bin");
  Status status = AdmitLocalFiles(missing);
  EXPECT_EQ(status.code(), Code::kNotFound);
  EXPECT_EQ(status.tim_code(), tim_err::kFileNotFound);
  auto directory = OneFile(tim::v1::ELEM_FILE, dir_);
  EXPECT_EQ(AdmitLocalFiles(directory).tim_code(), tim_err::kIoOperationFailed);
  std::ofstream(dir_ + "/empty").flush();
  auto empty = OneFile(tim::v1::ELEM_FILE, dir_ + "/empty");
  EXPECT_EQ(AdmitLocalFiles(empty).tim_code(), tim_err::kFileSizeEmpty);
  auto no_path = OneFile(tim::v1::ELEM_FILE, "");
  EXPECT_EQ(AdmitLocalFiles(no_path).tim_code(), tim_err::kInvalidParameters);
}

TEST_F(FileElemsTest, AVideosSnapshotIsAdmittedLikeTheVideo) {
  std::ofstream(dir_ + "/photo.JPG") << "123";
  auto content = OneFile(tim::v1::ELEM_VIDEO, dir_ + "/photo.JPG");
  content.mutable_elems(0)->mutable_file()->set_url("https://up/v.mp4");  // the video is up, its snapshot is not
  content.mutable_elems(0)->mutable_file()->mutable_snapshot()->set_local_path(dir_ + "/photo.JPG");
  EXPECT_TRUE(NeedsUpload(content));
  ASSERT_TRUE(AdmitLocalFiles(content).ok());
  const auto& snapshot = content.elems(0).file().snapshot();
  EXPECT_EQ(snapshot.file_size(), 3u);
  EXPECT_EQ(snapshot.media_type(), "image/jpeg");

  content.mutable_elems(0)->mutable_file()->mutable_snapshot()->set_local_path(dir_ + "/nope.png");
  Status missing = AdmitLocalFiles(content);
  EXPECT_EQ(missing.tim_code(), tim_err::kFileNotFound);
  EXPECT_NE(missing.message().find("element 0's snapshot"), std::string::npos) << missing.message();
  std::ofstream(dir_ + "/empty").flush();
  content.mutable_elems(0)->mutable_file()->mutable_snapshot()->set_local_path(dir_ + "/empty");
  EXPECT_EQ(AdmitLocalFiles(content).tim_code(), tim_err::kFileSizeEmpty);
  content.mutable_elems(0)->mutable_file()->mutable_snapshot()->set_url("https://up/v.jpg");
  EXPECT_FALSE(NeedsUpload(content));  // both up: nothing is read
  EXPECT_TRUE(AdmitLocalFiles(content).ok());
}

TEST_F(FileElemsTest, SharedFilesRoundTripIntoElements) {
  tim::v1::Message content = OneFile(tim::v1::ELEM_VIDEO, "/x/clip.mp4");
  auto& file = *content.mutable_elems(0)->mutable_file();
  file.set_url("https://h/clip.mp4");
  file.set_file_name("clip.mp4");
  file.set_media_type("video/mp4");
  file.set_file_size(77);
  file.set_sha256(std::string(62, 'a') + "0f");
  file.set_duration_s(12);
  const auto shared = SharedFilesOf(content);
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared[0].length_ms, 12000u);
  const tim::v1::Elem back = ElemFromSharedFile(shared[0]);
  EXPECT_EQ(back.type(), tim::v1::ELEM_VIDEO);
  EXPECT_EQ(back.file().sha256(), file.sha256());
  EXPECT_EQ(back.file().duration_s(), 12u);
  EXPECT_EQ(back.file().id(), FileIdOfUrl("https://h/clip.mp4"));
  EXPECT_EQ(back.file().id().size(), 40u);
  EXPECT_TRUE(back.file().local_path().empty());
}

TEST_F(FileElemsTest, PlainOobBecomesElementsByMediaType) {
  xmpp::SharedFile sound;
  sound.url = "https://h/v.ogg";
  sound.media_type = "audio/ogg";
  xmpp::SharedFile other;
  other.url = "https://h/x";
  auto only_urls = ContentOfSharedFiles("https://h/v.ogg\nhttps://h/x", {sound, other});
  ASSERT_EQ(only_urls.elems_size(), 2);
  EXPECT_EQ(only_urls.elems(0).type(), tim::v1::ELEM_SOUND);
  EXPECT_EQ(only_urls.elems(1).type(), tim::v1::ELEM_FILE);
  auto with_text = ContentOfSharedFiles("have a listen", {sound});
  ASSERT_EQ(with_text.elems_size(), 2);
  EXPECT_EQ(with_text.elems(0).text().content(), "have a listen");
}

TEST_F(FileElemsTest, AVideosUploadedSnapshotGoesAsItsThumbnail) {
  tim::v1::Message content = OneFile(tim::v1::ELEM_VIDEO, "/x/clip.mp4");
  auto& file = *content.mutable_elems(0)->mutable_file();
  file.set_url("https://h/clip.mp4");
  auto& snapshot = *file.mutable_snapshot();
  snapshot.set_local_path("/x/clip.jpg");
  EXPECT_TRUE(SharedFilesOf(content)[0].thumbnail.uri.empty());  // not up yet
  snapshot.set_url("https://h/clip.jpg");
  snapshot.set_media_type("image/jpeg");
  snapshot.set_file_size(4096);
  snapshot.set_width(640);
  snapshot.set_height(360);
  const xmpp::Thumbnail expected{"https://h/clip.jpg", "image/jpeg", 640, 360};
  EXPECT_EQ(SharedFilesOf(content)[0].thumbnail, expected);
  content.mutable_elems(0)->set_type(tim::v1::ELEM_FILE);  // a snapshot outside a video is not sent
  EXPECT_TRUE(SharedFilesOf(content)[0].thumbnail.uri.empty());
}

TEST_F(FileElemsTest, AReceivedVideosThumbnailBecomesItsSnapshot) {
  xmpp::SharedFile video;
  video.url = "https://h/v.webm";
  video.media_type = "video/webm";
  video.thumbnail = {"https://h/t.jpg", "image/jpeg", 320, 180};
  const tim::v1::Elem elem = ElemFromSharedFile(video);
  EXPECT_EQ(elem.type(), tim::v1::ELEM_VIDEO);
  ASSERT_TRUE(elem.file().has_snapshot());
  const auto& snapshot = elem.file().snapshot();
  EXPECT_EQ(snapshot.url(), "https://h/t.jpg");
  EXPECT_EQ(snapshot.id(), FileIdOfUrl("https://h/t.jpg"));
  EXPECT_EQ(snapshot.media_type(), "image/jpeg");
  EXPECT_EQ(snapshot.width(), 320u);
  EXPECT_EQ(snapshot.height(), 180u);
  EXPECT_EQ(snapshot.file_size(), 0u);  // XEP-0264 does not say
  EXPECT_TRUE(snapshot.sha256().empty());

  xmpp::SharedFile image = video;  // a thumbnail of a picture or a document: dropped
  image.media_type = "image/png";
  EXPECT_EQ(ElemFromSharedFile(image).type(), tim::v1::ELEM_IMAGE);
  EXPECT_FALSE(ElemFromSharedFile(image).file().has_snapshot());
  image.media_type = "application/pdf";
  EXPECT_EQ(ElemFromSharedFile(image).type(), tim::v1::ELEM_FILE);
  EXPECT_FALSE(ElemFromSharedFile(image).file().has_snapshot());
  video.thumbnail = {};
  EXPECT_FALSE(ElemFromSharedFile(video).file().has_snapshot());
}

}  // namespace
}  // namespace timd::domain
