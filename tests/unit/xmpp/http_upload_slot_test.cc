// XEP-0363 stanzas: the slot request, slot answers, refusals, and service
// recognition from disco#info (stanza fixtures; Prosody 0.12's shapes).
#include <gtest/gtest.h>

#include "parse_stanza.h"
#include "xmpp/http_upload_slot.h"

namespace timd::xmpp {
namespace {

TEST(HttpUploadSlot, RequestCarriesNameSizeAndType) {
  Element iq = BuildSlotRequest("upload.localhost", {"a b.jpg", 23456, "image/jpeg"});
  EXPECT_EQ(iq.Serialize(),
            "<iq type='get' to='upload.localhost'><request xmlns='urn:xmpp:http:upload:0' filename='a b.jpg' "
            "size='23456' content-type='image/jpeg'/></iq>");
  EXPECT_FALSE(BuildSlotRequest("u", {"x", 1, ""}).children[0].HasAttr("content-type"));
}

TEST(HttpUploadSlot, SlotWithAllowedHeadersOnly) {
  SlotResult r = ParseSlotReply(ParseStanza(
      "<iq type='result' id='1'><slot xmlns='urn:xmpp:http:upload:0'>"
      "<put url='https://127.0.0.1:5281/file_share/abc/a.jpg'>"
      "<header name='Authorization'> Bearer s3cret </header><header name='Cookie'>c=1</header>"
      "<header name='Expires'>Sun</header><header name='X-Evil'>1</header></put>"
      "<get url='https://127.0.0.1:5281/file_share/abc/a.jpg'/></slot></iq>"));
  ASSERT_EQ(r.error, UploadError::kNone) << r.message;
  EXPECT_EQ(r.slot.put_url, "https://127.0.0.1:5281/file_share/abc/a.jpg");
  EXPECT_EQ(r.slot.get_url, r.slot.put_url);
  ASSERT_EQ(r.slot.put_headers.size(), 3u);
  EXPECT_EQ(r.slot.put_headers[0], (std::pair<std::string, std::string>{"Authorization", "Bearer s3cret"}));
  EXPECT_EQ(r.slot.put_headers[1].first, "Cookie");
  EXPECT_EQ(r.slot.put_headers[2].first, "Expires");
}

TEST(HttpUploadSlot, HeaderWithLineBreakIsDropped) {
  SlotResult r = ParseSlotReply(ParseStanza(
      "<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'><put url='https://h/p'>"
      "<header name='Authorization'>Bearer x&#10;Host: evil</header></put><get url='https://h/g'/></slot></iq>"));
  ASSERT_EQ(r.error, UploadError::kNone);
  EXPECT_TRUE(r.slot.put_headers.empty());
}

TEST(HttpUploadSlot, PlainHttpOrMissingPartsAreMalformed) {
  EXPECT_EQ(ParseSlotReply(ParseStanza("<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'>"
                                       "<put url='http://h/p'/><get url='https://h/g'/></slot></iq>"))
                .error,
            UploadError::kMalformedReply);
  EXPECT_EQ(ParseSlotReply(ParseStanza("<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'>"
                                       "<put url='https://h/p'/></slot></iq>"))
                .error,
            UploadError::kMalformedReply);
  EXPECT_EQ(ParseSlotReply(ParseStanza("<iq type='result'/>")).error, UploadError::kMalformedReply);
}

TEST(HttpUploadSlot, FileTooLargeCarriesTheLimit) {
  SlotResult r = ParseSlotReply(ParseStanza(
      "<iq type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
      "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>File too large</text>"
      "<file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>1048576</max-file-size></file-too-large>"
      "</error></iq>"));
  EXPECT_EQ(r.error, UploadError::kFileTooLarge);
  EXPECT_EQ(r.max_file_size, 1048576u);
  EXPECT_NE(r.message.find("1048576"), std::string::npos) << r.message;
}

TEST(HttpUploadSlot, OtherRefusalsAreTyped) {
  auto error = [](const std::string& condition) {
    return ParseSlotReply(ParseStanza("<iq type='error'><error type='cancel'><" + condition +
                                      " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"));
  };
  EXPECT_EQ(error("not-acceptable").error, UploadError::kNotAcceptable);
  EXPECT_EQ(error("service-unavailable").error, UploadError::kServiceUnavailable);
  SlotResult forbidden = error("forbidden");
  EXPECT_EQ(forbidden.error, UploadError::kRefused);
  EXPECT_NE(forbidden.message.find("forbidden"), std::string::npos);
}

TEST(HttpUploadSlot, ServiceFromDiscoInfo) {
  DiscoInfo info;
  info.identities.push_back({"store", "file", "", "HTTP File Upload"});
  info.features = {"http://jabber.org/protocol/disco#info", std::string(kHttpUploadNs)};
  info.forms.push_back({std::string(kHttpUploadNs), true, {{"max-file-size", {"5000"}}}});
  auto service = UploadServiceFromInfo("upload.localhost", info);
  ASSERT_TRUE(service.has_value());
  EXPECT_EQ(service->jid, "upload.localhost");
  EXPECT_EQ(service->max_file_size, 5000u);

  info.forms[0].fields[0].second = {"lots"};
  EXPECT_FALSE(UploadServiceFromInfo("u", info)->max_file_size.has_value());
  info.identities[0].type = "pubsub";
  EXPECT_FALSE(UploadServiceFromInfo("u", info).has_value());
}

}  // namespace
}  // namespace timd::xmpp
