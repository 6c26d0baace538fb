#include "xmpp/xml_stream_parser.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace timd::xmpp {
namespace {

constexpr char kHeader[] =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' from='localhost' id='s1' version='1.0' "
    "xml:lang='en'>";

const std::string kStream = std::string(kHeader) +
    "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
    "<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>\n"
    "<message from='bob@localhost/r' to='alice@localhost' type='chat' id='m1'>"
    "<body>a &amp; b &lt; c &#x41; h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80</body>"
    "<x xmlns='urn:test' attr='q&amp;&quot;&#x41;&lt;'><y>deep</y></x></message>"
    " \n <iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>"
    "</stream:stream>";

// Records every callback as one line, so runs can be compared.
struct Recorder {
  std::vector<std::string> events;
  std::vector<Element> stanzas;
  int errors = 0;

  XmlStreamParser::Callbacks Callbacks() {
    XmlStreamParser::Callbacks cb;
    cb.on_stream_open = [this](const std::vector<std::pair<std::string, std::string>>& attrs) {
      std::string line = "open";
      for (const auto& [k, v] : attrs) line += " " + k + "=" + v;
      events.push_back(line);
    };
    cb.on_stanza = [this](Element stanza) {
      events.push_back("stanza " + stanza.Serialize());
      stanzas.push_back(std::move(stanza));
    };
    cb.on_stream_close = [this] { events.push_back("close"); };
    cb.on_error = [this](const std::string& reason) {
      ++errors;
      events.push_back("error " + reason);
    };
    return cb;
  }
};

std::vector<std::string> ParseInChunks(const std::string& input, const std::vector<size_t>& cuts) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  size_t pos = 0;
  for (size_t cut : cuts) {
    parser.Feed(std::string_view(input).substr(pos, cut - pos));
    pos = cut;
  }
  parser.Feed(std::string_view(input).substr(pos));
  return rec.events;
}

TEST(XmlStreamParser, FullStream) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  EXPECT_TRUE(parser.Feed(kStream));
  EXPECT_FALSE(parser.failed());
  ASSERT_EQ(rec.events.size(), 5u) << ::testing::PrintToString(rec.events);
  EXPECT_EQ(rec.events[0], "open from=localhost id=s1 version=1.0 xml:lang=en");
  EXPECT_EQ(rec.events[4], "close");
  ASSERT_EQ(rec.stanzas.size(), 3u);

  const Element& features = rec.stanzas[0];
  EXPECT_EQ(features.name, "features");
  EXPECT_EQ(features.xmlns, "http://etherx.jabber.org/streams");
  const Element* mechanisms = features.Child("mechanisms", "urn:ietf:params:xml:ns:xmpp-sasl");
  ASSERT_NE(mechanisms, nullptr);
  ASSERT_EQ(mechanisms->children.size(), 2u);
  EXPECT_EQ(mechanisms->children[0].text, "SCRAM-SHA-1");
  EXPECT_EQ(mechanisms->children[1].xmlns, "urn:ietf:params:xml:ns:xmpp-sasl");

  const Element& message = rec.stanzas[1];
  EXPECT_EQ(message.name, "message");
  EXPECT_EQ(message.xmlns, "jabber:client");
  EXPECT_EQ(message.Attr("from"), "bob@localhost/r");
  const Element* body = message.Child("body");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->xmlns, "jabber:client");
  EXPECT_EQ(body->text, "a & b < c A h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");
  const Element* x = message.Child("x", "urn:test");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->Attr("attr"), "q&\"A<");
  EXPECT_FALSE(x->HasAttr("xmlns"));
  const Element* y = x->Child("y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->xmlns, "urn:test");
  EXPECT_EQ(y->text, "deep");

  EXPECT_EQ(rec.stanzas[2].name, "iq");
  EXPECT_NE(rec.stanzas[2].Child("ping", "urn:xmpp:ping"), nullptr);
}

TEST(XmlStreamParser, SerializedStanzaReparsesIdentically) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  ASSERT_TRUE(parser.Feed(kStream));
  ASSERT_EQ(rec.stanzas.size(), 3u);
  std::string again = std::string(kHeader) + rec.stanzas[1].Serialize();
  Recorder rec2;
  XmlStreamParser parser2(rec2.Callbacks());
  ASSERT_TRUE(parser2.Feed(again));
  ASSERT_EQ(rec2.stanzas.size(), 1u);
  EXPECT_EQ(rec2.stanzas[0].Serialize(), rec.stanzas[1].Serialize());
}

TEST(XmlStreamParser, EverySplitGivesTheSameResult) {
  const std::vector<std::string> reference = ParseInChunks(kStream, {});
  ASSERT_EQ(reference.size(), 5u);

  std::vector<size_t> every_byte;
  for (size_t i = 1; i < kStream.size(); ++i) every_byte.push_back(i);
  EXPECT_EQ(ParseInChunks(kStream, every_byte), reference);

  for (size_t i = 0; i <= kStream.size(); ++i) {
    ASSERT_EQ(ParseInChunks(kStream, {i}), reference) << "split at " << i;
  }
}

TEST(XmlStreamParser, StanzaIsDeliveredAsSoonAsItIsComplete) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  ASSERT_TRUE(parser.Feed(kHeader));
  ASSERT_TRUE(parser.Feed("<presence/>"));
  EXPECT_EQ(rec.stanzas.size(), 1u);
  ASSERT_TRUE(parser.Feed(" "));  // whitespace keepalive
  EXPECT_EQ(rec.stanzas.size(), 1u);
  EXPECT_EQ(rec.errors, 0);
}

struct BadInput {
  const char* name;
  std::string input;
  XmlStreamParser::Limits limits;
};

XmlStreamParser::Limits SmallLimits() {
  XmlStreamParser::Limits limits;
  limits.max_depth = 4;
  limits.max_stanza_bytes = 1000;
  return limits;
}

std::vector<BadInput> BadInputs() {
  const std::string header = kHeader;
  std::string deep = header + "<message>";
  for (int i = 0; i < 10; ++i) deep += "<a>";
  std::string large = header + "<message><body>" + std::string(5000, 'x') + "</body></message>";
  std::string large_attr = header + "<message id='" + std::string(5000, 'x');  // never completes
  std::string laughs =
      "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
      "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]>"
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
      "<message><body>&lol2;</body></message>";
  return {
      {"not xml", "this is not xml at all", {}},
      {"binary", std::string("\x00\xff\xfe<<>>", 7), {}},
      {"mismatched tags", header + "<message><body></message>", {}},
      {"undefined entity", header + "<message><body>&foo;</body></message>", {}},
      {"doctype", "<?xml version='1.0'?><!DOCTYPE stream>" + header.substr(21), {}},
      {"billion laughs", laughs, {}},
      {"comment", header + "<!-- hi --><presence/>", {}},
      {"processing instruction", header + "<?pi data?><presence/>", {}},
      {"wrong root", "<?xml version='1.0'?><html><body/></html>", {}},
      {"wrong root namespace", "<stream:stream xmlns:stream='urn:other'>", {}},
      {"too deep", deep, SmallLimits()},
      {"too large", large, SmallLimits()},
      {"too large unfinished attribute", large_attr, SmallLimits()},
      {"second root", header + "</stream:stream><stream:stream>", {}},
      {"invalid utf-8", header + "<message><body>\xc3\x28</body></message>", {}},
  };
}

TEST(XmlStreamParser, GarbageReportsExactlyOneError) {
  for (const BadInput& bad : BadInputs()) {
    for (bool bytewise : {false, true}) {
      SCOPED_TRACE(std::string(bad.name) + (bytewise ? " (1-byte chunks)" : ""));
      Recorder rec;
      XmlStreamParser parser(rec.Callbacks(), bad.limits);
      if (bytewise) {
        for (char c : bad.input) parser.Feed(std::string_view(&c, 1));
      } else {
        parser.Feed(bad.input);
      }
      EXPECT_EQ(rec.errors, 1) << ::testing::PrintToString(rec.events);
      EXPECT_TRUE(parser.failed());
      // Nothing more is reported until Reset().
      size_t events = rec.events.size();
      EXPECT_FALSE(parser.Feed("<presence/></stream:stream>"));
      EXPECT_EQ(rec.events.size(), events);
      EXPECT_EQ(rec.errors, 1);
    }
  }
}

TEST(XmlStreamParser, ResetAfterErrorStartsAFreshDocument) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  EXPECT_FALSE(parser.Feed("garbage<"));
  parser.Reset();
  EXPECT_FALSE(parser.failed());
  EXPECT_TRUE(parser.Feed(kStream));
  EXPECT_EQ(rec.errors, 1);
  EXPECT_EQ(rec.stanzas.size(), 3u);
}

TEST(XmlStreamParser, RandomMutationsNeverCrash) {
  std::mt19937 rng(42);
  for (int round = 0; round < 3000; ++round) {
    std::string input = kStream;
    int mutations = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < mutations; ++i) {
      size_t pos = rng() % input.size();
      switch (rng() % 3) {
        case 0: input[pos] = static_cast<char>(rng()); break;
        case 1: input.erase(pos, 1 + rng() % 8); break;
        default: input.insert(pos, 1, "<>&;'\"/="[rng() % 8]); break;
      }
    }
    Recorder rec;
    XmlStreamParser parser(rec.Callbacks(), SmallLimits());
    size_t pos = 0;
    while (pos < input.size()) {
      size_t n = 1 + rng() % 16;
      parser.Feed(std::string_view(input).substr(pos, n));
      pos += n;
    }
    ASSERT_LE(rec.errors, 1);
  }
}

TEST(XmlStreamParser, StreamCloseIsReported) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  ASSERT_TRUE(parser.Feed(kHeader));
  ASSERT_TRUE(parser.Feed("<presence/></stream:stream>"));
  ASSERT_EQ(rec.events.size(), 3u);
  EXPECT_EQ(rec.events.back(), "close");
}

// After SASL success the server's next stream header may arrive in the same
// read as <success/>; the client resets from inside on_stanza.
const std::string kSaslThenRestart = std::string(kHeader) +
    "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1hYmM=</success>" +
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' id='s2' version='1.0'>"
    "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>";

std::vector<std::string> ParseWithResetOnSuccess(const std::vector<size_t>& cuts) {
  Recorder rec;
  std::unique_ptr<XmlStreamParser> parser;
  XmlStreamParser::Callbacks cb = rec.Callbacks();
  auto record = cb.on_stanza;
  cb.on_stanza = [&](Element stanza) {
    bool success = stanza.name == "success";
    record(std::move(stanza));
    if (success) parser->Reset();
  };
  parser = std::make_unique<XmlStreamParser>(cb);
  size_t pos = 0;
  for (size_t cut : cuts) {
    parser->Feed(std::string_view(kSaslThenRestart).substr(pos, cut - pos));
    pos = cut;
  }
  parser->Feed(std::string_view(kSaslThenRestart).substr(pos));
  return rec.events;
}

TEST(XmlStreamParser, ResetFromInsideCallbackContinuesWithTheRestOfTheBuffer) {
  std::vector<std::string> events = ParseWithResetOnSuccess({});
  ASSERT_EQ(events.size(), 4u) << ::testing::PrintToString(events);
  EXPECT_EQ(events[0], "open from=localhost id=s1 version=1.0 xml:lang=en");
  EXPECT_EQ(events[1], "stanza <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1hYmM=</success>");
  EXPECT_EQ(events[2], "open id=s2 version=1.0");
  EXPECT_EQ(events[3],
            "stanza <features xmlns='http://etherx.jabber.org/streams'>"
            "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></features>");
  for (size_t i = 0; i <= kSaslThenRestart.size(); ++i) {
    ASSERT_EQ(ParseWithResetOnSuccess({i}), events) << "split at " << i;
  }
  std::vector<size_t> every_byte;
  for (size_t i = 1; i < kSaslThenRestart.size(); ++i) every_byte.push_back(i);
  EXPECT_EQ(ParseWithResetOnSuccess(every_byte), events);
}

TEST(XmlStreamParser, ResetBetweenFeedsStartsANewDocument) {
  Recorder rec;
  XmlStreamParser parser(rec.Callbacks());
  ASSERT_TRUE(parser.Feed(std::string(kHeader) + "<message><body>half"));
  parser.Reset();
  ASSERT_TRUE(parser.Feed(kStream));
  EXPECT_EQ(rec.errors, 0);
  ASSERT_EQ(rec.stanzas.size(), 3u);
  EXPECT_EQ(rec.stanzas[0].name, "features");
}

TEST(XmlStreamParser, DestroyFromInsideCallbackIsSafe) {
  int stanzas = 0;
  std::unique_ptr<XmlStreamParser> parser;
  XmlStreamParser::Callbacks cb;
  cb.on_stanza = [&](Element) {
    ++stanzas;
    parser.reset();
  };
  parser = std::make_unique<XmlStreamParser>(cb);
  EXPECT_FALSE(parser->Feed(kStream));
  EXPECT_EQ(parser, nullptr);
  EXPECT_EQ(stanzas, 1);

  // The same from on_error (reported after expat returned).
  int errors = 0;
  cb = {};
  cb.on_error = [&](const std::string&) {
    ++errors;
    parser.reset();
  };
  parser = std::make_unique<XmlStreamParser>(cb);
  EXPECT_FALSE(parser->Feed(std::string(kHeader) + "<a></b>"));
  EXPECT_EQ(errors, 1);
  EXPECT_EQ(parser, nullptr);
}

}  // namespace
}  // namespace timd::xmpp
