#include "xmpp/file_sharing.h"

#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/chat.h"

namespace timd::xmpp {
namespace {

SharedFile Report() {
  SharedFile file;
  file.url = "https://127.0.0.1:5281/file_share/abc/report.pdf";
  file.name = "report.pdf";
  file.media_type = "application/pdf";
  file.size = 12345;
  file.sha256_base64 = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
  return file;
}

TEST(FileSharing, OobAndStatelessFileSharingOnTheWire) {
  OutgoingChat chat("bob@localhost", "id-1", Report().url);
  chat.files = {Report()};
  const std::string xml = BuildChatMessage(chat).Serialize();
  EXPECT_NE(xml.find("<x xmlns='jabber:x:oob'><url>" + Report().url + "</url></x>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<file-sharing xmlns='urn:xmpp:sfs:0'><file xmlns='urn:xmpp:file:metadata:0'>"
                     "<media-type>application/pdf</media-type><name>report.pdf</name><size>12345</size>"
                     "<hash xmlns='urn:xmpp:hashes:2' algo='sha-256'>" +
                     Report().sha256_base64 + "</hash></file>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<url-data xmlns='http://jabber.org/protocol/url-data' target='" + Report().url + "'/>"),
            std::string::npos)
      << xml;
}

TEST(FileSharing, RoundTripThroughTheParser) {
  OutgoingChat chat("bob@localhost", "id-2", "look");
  SharedFile video = Report();
  video.url = "https://127.0.0.1:5281/file_share/def/clip.mp4";
  video.name = "clip.mp4";
  video.media_type = "video/mp4";
  video.width = 640;
  video.height = 480;
  video.length_ms = 15000;
  chat.files = {Report(), video};
  auto in = ParseChatMessage(ParseStanza(BuildChatMessage(chat).Serialize()), "bob@localhost");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->files.size(), 2u);
  EXPECT_EQ(in->files[0], Report());
  EXPECT_EQ(in->files[1], video);
}

TEST(FileSharing, PlainOobFromOtherClients) {
  auto in = ParseChatMessage(
      ParseStanza("<message type='chat' from='carol@localhost/x' id='m1'><body>https://h/a.txt</body>"
                  "<x xmlns='jabber:x:oob'><url>https://h/a.txt</url></x>"
                  "<x xmlns='jabber:x:oob'><url>javascript:alert(1)</url></x>"
                  "<x xmlns='jabber:x:oob'><url>https://h/a.txt</url></x></message>"),
      "bob@localhost");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->files.size(), 1u);  // not a scheme we fetch, and no duplicates
  EXPECT_EQ(in->files[0].url, "https://h/a.txt");
  EXPECT_EQ(in->files[0].size, 0u);
  EXPECT_TRUE(in->files[0].name.empty());
}

TEST(FileSharing, MalformedMetadataReadsAsUnknown) {
  auto in = ParseChatMessage(
      ParseStanza("<message type='chat' from='carol@localhost/x'><body>f</body>"
                  "<file-sharing xmlns='urn:xmpp:sfs:0'><file xmlns='urn:xmpp:file:metadata:0'>"
                  "<size>-5</size><width>99999999999</width></file>"
                  "<sources><url-data xmlns='http://jabber.org/protocol/url-data' target='https://h/f'/></sources>"
                  "</file-sharing>"
                  "<file-sharing xmlns='urn:xmpp:sfs:0'><file xmlns='urn:xmpp:file:metadata:0'/></file-sharing>"
                  "</message>"),
      "bob@localhost");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->files.size(), 1u);  // the second has no source
  EXPECT_EQ(in->files[0].size, 0u);
  EXPECT_EQ(in->files[0].width, 0u);
}

SharedFile VideoWithThumbnail() {
  SharedFile video;
  video.url = "https://127.0.0.1:5281/file_share/v1/clip.mp4";
  video.name = "clip.mp4";
  video.media_type = "video/mp4";
  video.size = 1048579;
  video.thumbnail = {"https://127.0.0.1:5281/file_share/t1/clip.jpg", "image/jpeg", 640, 360};
  return video;
}

TEST(FileSharing, AVideosThumbnailGoesInsideItsFileMetadata) {
  OutgoingChat chat("bob@localhost", "id-3", VideoWithThumbnail().url);
  chat.files = {VideoWithThumbnail()};
  const std::string xml = BuildChatMessage(chat).Serialize();
  EXPECT_NE(xml.find("<file xmlns='urn:xmpp:file:metadata:0'><media-type>video/mp4</media-type><name>clip.mp4</name>"
                     "<size>1048579</size><thumbnail xmlns='urn:xmpp:thumbs:1' "
                     "uri='https://127.0.0.1:5281/file_share/t1/clip.jpg' media-type='image/jpeg' width='640' "
                     "height='360'/></file>"),
            std::string::npos)
      << xml;
  // OOB has no place for it: the video's URL alone.
  EXPECT_NE(xml.find("<x xmlns='jabber:x:oob'><url>" + VideoWithThumbnail().url + "</url></x>"), std::string::npos);
  EXPECT_EQ(xml.find("thumbnail"), xml.rfind("thumbnail"));  // one, in the metadata
}

TEST(FileSharing, OnlyKnownThumbnailAttributesAreSent) {
  SharedFile video = VideoWithThumbnail();
  video.thumbnail.media_type.clear();
  video.thumbnail.width = 0;
  video.thumbnail.height = 0;
  OutgoingChat chat("bob@localhost", "id-4", video.url);
  chat.files = {video};
  const std::string xml = BuildChatMessage(chat).Serialize();
  EXPECT_NE(xml.find("<thumbnail xmlns='urn:xmpp:thumbs:1' uri='" + video.thumbnail.uri + "'/>"), std::string::npos)
      << xml;
  chat.files[0].thumbnail = {};
  EXPECT_EQ(BuildChatMessage(chat).Serialize().find("thumbs"), std::string::npos);  // no snapshot: no thumbnail
}

TEST(FileSharing, ThumbnailRoundTripsThroughTheParser) {
  OutgoingChat chat("bob@localhost", "id-5", "clip");
  chat.files = {VideoWithThumbnail()};
  auto in = ParseChatMessage(ParseStanza(BuildChatMessage(chat).Serialize()), "bob@localhost");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->files.size(), 1u);
  EXPECT_EQ(in->files[0], VideoWithThumbnail());
}

// As Conversations / Dino style clients send it: a cid: thumbnail (XEP-0231
// data) first, then an https one; the cid: one is skipped.
TEST(FileSharing, TheFirstHttpThumbnailOfAnotherClientIsTaken) {
  auto in = ParseChatMessage(
      ParseStanza("<message type='chat' from='carol@localhost/x'><body>https://h/v.webm</body>"
                  "<file-sharing xmlns='urn:xmpp:sfs:0'><file xmlns='urn:xmpp:file:metadata:0'>"
                  "<media-type>video/webm</media-type><name>v.webm</name>"
                  "<thumbnail xmlns='urn:xmpp:thumbs:1'"
                  " uri='cid:sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org'"
                  " media-type='image/png' width='128' height='96'/>"
                  "<thumbnail xmlns='urn:xmpp:thumbs:1' uri='ftp://h/t.png'/>"
                  "<thumbnail xmlns='urn:xmpp:thumbs:1' uri='https://h/t.jpg' media-type='image/jpeg' width='320'"
                  " height='x'/>"
                  "<thumbnail xmlns='urn:xmpp:thumbs:1' uri='https://h/t2.jpg'/>"
                  "</file>"
                  "<sources><url-data xmlns='http://jabber.org/protocol/url-data' target='https://h/v.webm'/></sources>"
                  "</file-sharing></message>"),
      "bob@localhost");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->files.size(), 1u);
  const Thumbnail expected{"https://h/t.jpg", "image/jpeg", 320, 0};  // a height that is no number: unknown
  EXPECT_EQ(in->files[0].thumbnail, expected);
}

TEST(FileSharing, OnlyCidThumbnailsReadAsNone) {
  auto in = ParseChatMessage(
      ParseStanza("<message type='chat' from='carol@localhost/x'><body>v</body>"
                  "<file-sharing xmlns='urn:xmpp:sfs:0'><file xmlns='urn:xmpp:file:metadata:0'>"
                  "<media-type>video/mp4</media-type>"
                  "<thumbnail xmlns='urn:xmpp:thumbs:1' uri='cid:abc@bob.xmpp.org' media-type='image/png'/>"
                  "<thumbnail xmlns='urn:xmpp:thumbs:0' uri='https://h/old-namespace.jpg'/>"
                  "</file>"
                  "<sources><url-data xmlns='http://jabber.org/protocol/url-data' target='https://h/v.mp4'/></sources>"
                  "</file-sharing></message>"),
      "bob@localhost");
  ASSERT_TRUE(in);
  ASSERT_EQ(in->files.size(), 1u);
  EXPECT_EQ(in->files[0].url, "https://h/v.mp4");
  EXPECT_TRUE(in->files[0].thumbnail.uri.empty());
  EXPECT_EQ(in->files[0].thumbnail, Thumbnail{});
}

}  // namespace
}  // namespace timd::xmpp
