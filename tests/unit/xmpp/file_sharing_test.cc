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

}  // namespace
}  // namespace timd::xmpp
