// Fuzz target: what a server sends -> XmlStreamParser -> the XMPP layer's
// stanza parsers (chat, bounces, carbons, MAM results) -> the domain's
// handling of them (Messaging::OnIncoming, OnBounced on a real SQLite store).
//
// Input: the first byte, when not 0, is a read size: the rest, the stream
// (seeds start with the stream header), is also parsed in reads of that
// size, as TCP splits a stanza, a tag or a UTF-8 sequence anywhere, and
// must give the same stanzas and outcome (or stop early on an error, with
// the stanzas so far). Also checked besides the
// sanitizers: every stanza the parser hands out serializes to XML that
// parses back to the same tree.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/domain_harness.h"
#include "fuzz/parse_stream.h"
#include "xmpp/carbons.h"
#include "xmpp/chat.h"
#include "xmpp/element.h"
#include "xmpp/mam.h"

namespace {

using timd::fuzz::ParsedStream;
using timd::xmpp::Element;

constexpr std::string_view kMamNs = "urn:xmpp:mam:2";

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "xml_stream_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// A stanza we would write (or store and write again) must survive the trip.
void CheckRoundTrip(const Element& stanza) {
  const std::string xml = stanza.Serialize();
  ParsedStream parsed = timd::fuzz::ParseInClientStream(xml);
  if (!parsed.error.empty()) Fail("a parsed stanza serializes to XML that does not parse", parsed.error + "\n" + xml);
  if (parsed.stanzas.size() != 1 || !(parsed.stanzas[0] == stanza)) {
    Fail("a parsed stanza does not survive Serialize", xml);
  }
}

void HandleStanza(const Element& stanza) {
  CheckRoundTrip(stanza);
  auto& harness = timd::fuzz::DomainHarness::Get();
  const std::string own = timd::fuzz::kOwnJid;
  if (auto chat = timd::xmpp::ParseChatMessage(stanza, own)) harness.messaging().OnIncoming(*chat);
  if (auto bounce = timd::xmpp::ParseBouncedChat(stanza)) harness.messaging().OnBounced(*bounce);
  timd::xmpp::Carbon carbon = timd::xmpp::UnwrapCarbon(stanza, own);
  if (carbon.chat) harness.messaging().OnIncoming(*carbon.chat);
  if (const Element* result = stanza.Child("result", kMamNs)) {
    if (auto chat = timd::xmpp::ParseArchivedChat(*result, own)) harness.messaging().OnIncoming(*chat);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  ParsedStream whole = timd::fuzz::ParseStream(stream, stream.size());
  if (data[0] != 0) {
    ParsedStream split = timd::fuzz::ParseStream(stream, data[0]);
    // Expat may find a broken token sooner in small reads: then one side
    // stops early, and its stanzas must be where the other's begin.
    const bool same = split.error.empty() == whole.error.empty() && split.stanzas == whole.stanzas;
    const ParsedStream& early = split.error.empty() ? whole : split;
    const ParsedStream& other = &early == &split ? whole : split;
    const bool cut_short = !early.error.empty() && early.stanzas.size() <= other.stanzas.size() &&
                           std::equal(early.stanzas.begin(), early.stanzas.end(), other.stanzas.begin());
    if (!same && !cut_short) Fail("reads of another size parse differently", std::to_string(data[0]) + "-byte reads");
  }
  for (const Element& stanza : whole.stanzas) HandleStanza(stanza);
  timd::fuzz::DomainHarness::Get().Turn();
  return 0;
}
