// XEP-0030 answers and XEP-0115 hashes from stanza fixtures, including the
// worked examples of XEP-0115 §5.2 and §5.3, whose ver is given there.
#include <gtest/gtest.h>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/caps.h"
#include "xmpp/chat_markers.h"
#include "xmpp/correction.h"
#include "xmpp/caps_hash.h"
#include "xmpp/disco.h"
#include "xmpp/disco_info.h"
#include "xmpp/feature_registry.h"
#include "xmpp/receipts.h"
#include "xmpp/retraction.h"

namespace timd::xmpp {
namespace {

// The disco#info <query/> inside an iq result fixture.
DiscoInfo InfoOf(const std::string& query_xml) {
  Element iq = ParseStanza("<iq type='result' id='1'>" + query_xml + "</iq>");
  const Element* query = iq.Child("query", kDiscoInfoNs);
  EXPECT_NE(query, nullptr);
  std::string why;
  std::optional<DiscoInfo> info = query ? ParseDiscoInfo(*query, &why) : std::nullopt;
  EXPECT_TRUE(info.has_value()) << why;
  return info.value_or(DiscoInfo{});
}

const char kSimpleExample[] =
    "<query xmlns='http://jabber.org/protocol/disco#info' node='http://code.google.com/p/exodus#QgayPKawpkPSDYmwT/WM94uAlu0='>"
    "<identity category='client' name='Exodus 0.9.1' type='pc'/>"
    "<feature var='http://jabber.org/protocol/caps'/>"
    "<feature var='http://jabber.org/protocol/disco#info'/>"
    "<feature var='http://jabber.org/protocol/disco#items'/>"
    "<feature var='http://jabber.org/protocol/muc'/></query>";

const char kComplexExample[] =
    "<query xmlns='http://jabber.org/protocol/disco#info' node='http://psi-im.org#q07IKJEyjvHSyhy//CH0CxmKi8w='>"
    "<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
    "<identity xml:lang='el' category='client' name='\xCE\xA8 0.11' type='pc'/>"
    "<feature var='http://jabber.org/protocol/caps'/>"
    "<feature var='http://jabber.org/protocol/disco#info'/>"
    "<feature var='http://jabber.org/protocol/disco#items'/>"
    "<feature var='http://jabber.org/protocol/muc'/>"
    "<x xmlns='jabber:x:data' type='result'>"
    "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
    "<field var='ip_version' type='text-multi'><value>ipv4</value><value>ipv6</value></field>"
    "<field var='os'><value>Mac</value></field>"
    "<field var='os_version'><value>10.5.1</value></field>"
    "<field var='software'><value>Psi</value></field>"
    "<field var='software_version'><value>0.11</value></field>"
    "</x></query>";

TEST(CapsHashTest, SimpleWorkedExampleOfXep0115) {
  DiscoInfo info = InfoOf(kSimpleExample);
  EXPECT_EQ(CapsVerificationString(info),
            "client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<"
            "http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<");
  EXPECT_EQ(CapsSha1Ver(info), "QgayPKawpkPSDYmwT/WM94uAlu0=");
}

TEST(CapsHashTest, ComplexWorkedExampleWithLanguagesAndAForm) {
  DiscoInfo info = InfoOf(kComplexExample);
  EXPECT_EQ(CapsVerificationString(info),
            "client/pc/el/\xCE\xA8 0.11<client/pc/en/Psi 0.11<http://jabber.org/protocol/caps<"
            "http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<"
            "http://jabber.org/protocol/muc<urn:xmpp:dataforms:softwareinfo<ip_version<ipv4<ipv6<os<Mac<"
            "os_version<10.5.1<software<Psi<software_version<0.11<");
  EXPECT_EQ(CapsSha1Ver(info), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

TEST(CapsHashTest, OrderOfTheAnswerDoesNotMatter) {
  DiscoInfo info = InfoOf(kComplexExample);
  std::reverse(info.identities.begin(), info.identities.end());
  std::reverse(info.features.begin(), info.features.end());
  std::reverse(info.forms.front().fields.begin(), info.forms.front().fields.end());
  EXPECT_EQ(CapsSha1Ver(info), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

TEST(CapsHashTest, IllFormedAnswersHaveNoHash) {
  DiscoInfo twice_a_feature = InfoOf(kSimpleExample);
  twice_a_feature.features.push_back("http://jabber.org/protocol/muc");
  EXPECT_EQ(CapsSha1Ver(twice_a_feature), std::nullopt);

  DiscoInfo twice_an_identity = InfoOf(kSimpleExample);
  twice_an_identity.identities.push_back(twice_an_identity.identities.front());
  EXPECT_EQ(CapsSha1Ver(twice_an_identity), std::nullopt);

  DiscoInfo twice_a_form = InfoOf(kComplexExample);
  twice_a_form.forms.push_back(twice_a_form.forms.front());
  EXPECT_EQ(CapsSha1Ver(twice_a_form), std::nullopt);
}

TEST(CapsHashTest, AFormWhoseFormTypeIsNotHiddenIsLeftOut) {
  DiscoInfo info = InfoOf(kComplexExample);
  info.forms.front().form_type_hidden = false;
  DiscoInfo without_form = info;
  without_form.forms.clear();
  EXPECT_EQ(CapsSha1Ver(info), CapsSha1Ver(without_form));
  EXPECT_NE(CapsSha1Ver(info), "q07IKJEyjvHSyhy//CH0CxmKi8w=");
}

TEST(DiscoInfoTest, OversizeAnswersAreRefused) {
  std::string features;
  for (size_t i = 0; i <= kMaxDiscoEntries; ++i) features += "<feature var='urn:x:" + std::to_string(i) + "'/>";
  Element many = ParseStanza("<iq type='result' id='1'><query xmlns='http://jabber.org/protocol/disco#info'>" +
                             features + "</query></iq>");
  std::string why;
  EXPECT_EQ(ParseDiscoInfo(*many.Child("query", kDiscoInfoNs), &why), std::nullopt);
  EXPECT_NE(why.find("entries"), std::string::npos) << why;

  const std::string long_var(kMaxDiscoTextBytes + 1, 'a');
  Element big = ParseStanza("<iq type='result' id='1'><query xmlns='http://jabber.org/protocol/disco#info'>"
                            "<feature var='" + long_var + "'/></query></iq>");
  EXPECT_EQ(ParseDiscoInfo(*big.Child("query", kDiscoInfoNs), &why), std::nullopt);
  EXPECT_NE(why.find("bytes"), std::string::npos) << why;
}

TEST(PresenceCapsTest, ReadsValidCapsAndRefusesBadOnes) {
  PresenceCaps caps;
  std::string why;
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence from='bob@x/r'/>"), &caps, &why), CapsCheck::kNone);
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                                         "node='http://psi-im.org' ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/></presence>"),
                             &caps, &why),
            CapsCheck::kOk);
  EXPECT_EQ(caps.node, "http://psi-im.org");
  EXPECT_EQ(caps.ver, "q07IKJEyjvHSyhy//CH0CxmKi8w=");
  // Legacy caps (no hash) and other hashes are not ours to verify.
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence><c xmlns='http://jabber.org/protocol/caps' node='n' "
                                         "ver='1.0' ext='a b'/></presence>"),
                             &caps, &why),
            CapsCheck::kUnsupported);
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence><c xmlns='http://jabber.org/protocol/caps' hash='md5' "
                                         "node='n' ver='x'/></presence>"),
                             &caps, &why),
            CapsCheck::kUnsupported);
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                                         "node='n' ver='not-a-hash'/></presence>"),
                             &caps, &why),
            CapsCheck::kMalformed);
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                                         "ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/></presence>"),
                             &caps, &why),
            CapsCheck::kMalformed);
  const std::string huge_node(2000, 'n');
  EXPECT_EQ(ReadPresenceCaps(ParseStanza("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='" +
                                         huge_node + "' ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/></presence>"),
                             &caps, &why),
            CapsCheck::kMalformed);
  EXPECT_NE(why.find("over"), std::string::npos) << why;
}

// A module declaring features, as XEP modules do.
class FeatureModule : public StanzaHandler {
 public:
  explicit FeatureModule(std::vector<std::string> features) : features_(std::move(features)) {}
  bool HandleStanza(const Element&) override { return false; }
  std::vector<std::string> DiscoFeatures() const override { return features_; }

 private:
  std::vector<std::string> features_;
};

// Holds the loop the registry's client is made on; closed after the client.
struct OwnLoop {
  OwnLoop() { uv_loop_init(&loop); }
  ~OwnLoop() {
    uv_run(&loop, UV_RUN_NOWAIT);  // runs the client's handle close callbacks
    uv_loop_close(&loop);
  }
  uv_loop_t loop;
};

class DiscoAnswerTest : public ::testing::Test {
 protected:
  DiscoAnswerTest() : client_(&own_loop_.loop, ClientOptions{}, Client::Callbacks{}) {
    features_.Register(client_, first_);
    features_.Register(client_, second_);
  }

  OwnLoop own_loop_;
  Client client_;
  FeatureRegistry features_{DiscoIdentity{"client", "pc", "", "timd"}};
  FeatureModule first_{{"urn:xmpp:ping", "http://jabber.org/protocol/disco#info"}};
  FeatureModule second_{{"http://jabber.org/protocol/caps", "urn:xmpp:ping"}};
};

TEST_F(DiscoAnswerTest, RegisteredModulesMakeTheFeatureListAndTheCapsHash) {
  EXPECT_EQ(features_.info().features,
            (std::vector<std::string>{"http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info",
                                      "urn:xmpp:ping"}));
  EXPECT_EQ(features_.caps_ver(), CapsSha1Ver(features_.info()));
  FeatureModule later({"urn:xmpp:receipts"});
  const std::string before = features_.caps_ver();
  features_.Register(client_, later);
  EXPECT_NE(features_.caps_ver(), before);
  Element c = CapsElement(features_, "urn:x-timd:caps");
  EXPECT_EQ(c.Serialize(), "<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:x-timd:caps' ver='" +
                               features_.caps_ver() + "'/>");
}

TEST_F(DiscoAnswerTest, MessagePayloadModulesAdvertiseTheirXeps) {
  ChatMarkers markers(client_, nullptr);
  DeliveryReceipts receipts(client_, nullptr, /*answer_requests=*/true);
  MessageRetraction retraction(client_, nullptr);
  MessageCorrection correction(client_, nullptr);
  for (StanzaHandler* module : std::initializer_list<StanzaHandler*>{&markers, &receipts, &retraction, &correction}) {
    features_.Register(client_, *module);
  }
  EXPECT_EQ(features_.info().features,
            (std::vector<std::string>{"http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info",
                                      "urn:xmpp:chat-markers:0", "urn:xmpp:message-correct:0",
                                      "urn:xmpp:message-retract:1", "urn:xmpp:ping", "urn:xmpp:receipts"}));
  // Without answering receipts, timd does not claim XEP-0184.
  FeatureRegistry silent{DiscoIdentity{"client", "pc", "", "timd"}};
  DeliveryReceipts quiet(client_, nullptr, /*answer_requests=*/false);
  silent.Register(client_, quiet);
  EXPECT_TRUE(silent.info().features.empty());
}

TEST_F(DiscoAnswerTest, AnswersInfoTheSameToAnyoneAndItemsEmpty) {
  auto answer = DiscoAnswer(ParseStanza("<iq type='get' id='q1' from='stranger@elsewhere/x'>"
                                        "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
                            features_, "urn:x-timd:caps");
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->Serialize(),
            "<iq type='result' to='stranger@elsewhere/x' id='q1'><query xmlns='http://jabber.org/protocol/disco#info'>"
            "<identity category='client' type='pc' name='timd'/>"
            "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
            "<feature var='urn:xmpp:ping'/></query></iq>");
  auto from_contact = DiscoAnswer(ParseStanza("<iq type='get' id='q1' from='bob@localhost/x'>"
                                              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>"),
                                  features_, "urn:x-timd:caps");
  ASSERT_TRUE(from_contact.has_value());
  EXPECT_EQ(from_contact->Child("query")->Serialize(), answer->Child("query")->Serialize());

  // The caps node of the current ver: the same info, naming the node.
  const std::string node = "urn:x-timd:caps#" + features_.caps_ver();
  auto by_node = DiscoAnswer(ParseStanza("<iq type='get' id='q2'><query xmlns='http://jabber.org/protocol/disco#info' "
                                         "node='" + node + "'/></iq>"),
                             features_, "urn:x-timd:caps");
  ASSERT_TRUE(by_node.has_value());
  EXPECT_EQ(by_node->Child("query")->Attr("node"), node);
  EXPECT_EQ(InfoOf(by_node->Child("query")->Serialize("")), features_.info());

  auto items = DiscoAnswer(ParseStanza("<iq type='get' id='q3'><query xmlns='http://jabber.org/protocol/disco#items'/>"
                                       "</iq>"),
                           features_, "urn:x-timd:caps");
  ASSERT_TRUE(items.has_value());
  EXPECT_EQ(items->Serialize(), "<iq type='result' id='q3'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
}

TEST_F(DiscoAnswerTest, UnknownNodesAreNotFoundAndOtherStanzasAreNotOurs) {
  auto old_node = DiscoAnswer(ParseStanza("<iq type='get' id='q4'><query xmlns='http://jabber.org/protocol/disco#info' "
                                          "node='urn:x-timd:caps#QgayPKawpkPSDYmwT/WM94uAlu0='/></iq>"),
                              features_, "urn:x-timd:caps");
  ASSERT_TRUE(old_node.has_value());
  EXPECT_EQ(old_node->Attr("type"), "error");
  ASSERT_NE(old_node->Child("error"), nullptr);
  EXPECT_NE(old_node->Child("error")->Child("item-not-found"), nullptr);

  EXPECT_FALSE(DiscoAnswer(ParseStanza("<iq type='result' id='q5'><query xmlns='http://jabber.org/protocol/disco#info'/>"
                                       "</iq>"),
                           features_, "urn:x-timd:caps"));
  EXPECT_FALSE(DiscoAnswer(ParseStanza("<iq type='get' id='q6'><ping xmlns='urn:xmpp:ping'/></iq>"), features_,
                           "urn:x-timd:caps"));
}

}  // namespace
}  // namespace timd::xmpp
