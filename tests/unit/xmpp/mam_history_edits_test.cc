// ParseArchivedEdit: the retractions and corrections an archive history
// page (MamManager::QueryPageBefore) reports as typed results, with the
// archive's id and time and the archived sender, never as chat messages.
#include <gtest/gtest.h>

#include <string>

#include "unit/xmpp/parse_stanza.h"
#include "xmpp/mam.h"

namespace timd::xmpp {
namespace {

constexpr const char* kOwn = "bob@example.org";

// An archive result with id `archive_id`, stamped 2026-11-25T08:00:00Z,
// forwarding `inner` (a jabber:client <message/>).
Element ArchiveResult(const std::string& archive_id, const std::string& inner) {
  return ParseStanza("<message><result xmlns='urn:xmpp:mam:2' queryid='q' id='" + archive_id +
                     "'><forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' "
                     "stamp='2026-11-25T08:00:00Z'/>" +
                     inner + "</forwarded></result></message>");
}

// alice's archived message with id `id` to bob holding `children`.
Element FromAlice(const std::string& archive_id, const std::string& id, const std::string& children) {
  return ArchiveResult(archive_id, "<message xmlns='jabber:client' from='alice@example.org/phone' "
                                   "to='bob@example.org' type='chat' id='" + id + "'>" + children + "</message>");
}

ArchivedEdit EditOf(const Element& message) {
  const Element* result = message.Child("result", "urn:xmpp:mam:2");
  EXPECT_NE(result, nullptr);
  return result != nullptr ? ParseArchivedEdit(*result, kOwn) : ArchivedEdit{};
}

constexpr int64_t kStampMs = 1795593600000;

TEST(ParseArchivedEdit, RetractionWithArchiveOrigin) {
  ArchivedEdit edit =
      EditOf(FromAlice("A7", "r1", "<retract xmlns='urn:xmpp:message-retract:1' id='m2'/><body>fallback</body>"));
  ASSERT_TRUE(edit.retraction);
  EXPECT_FALSE(edit.correction);
  EXPECT_EQ(edit.retraction->retracted_id, "m2");
  EXPECT_FALSE(edit.retraction->legacy);
  EXPECT_EQ(edit.retraction->origin.from_bare, "alice@example.org");
  EXPECT_EQ(edit.retraction->origin.to, "bob@example.org");
  EXPECT_EQ(edit.retraction->origin.stanza_id, "A7");
  EXPECT_EQ(edit.retraction->origin.delay_ms, kStampMs);
  EXPECT_EQ(edit.retraction->origin.source, MessageSource::kArchive);
  EXPECT_FALSE(edit.retraction->origin.is_own);
}

TEST(ParseArchivedEdit, LegacyRetractionOfOwnMessage) {
  // Our own archived retraction may have no from: it is ours.
  ArchivedEdit edit = EditOf(ArchiveResult(
      "A8", "<message xmlns='jabber:client' to='alice@example.org' type='chat' id='r2'>"
            "<apply-to xmlns='urn:xmpp:fasten:0' id='m3'><retract xmlns='urn:xmpp:message-retract:0'/></apply-to>"
            "</message>"));
  ASSERT_TRUE(edit.retraction);
  EXPECT_TRUE(edit.retraction->legacy);
  EXPECT_EQ(edit.retraction->retracted_id, "m3");
  EXPECT_EQ(edit.retraction->origin.from_bare, kOwn);
  EXPECT_TRUE(edit.retraction->origin.is_own);
}

TEST(ParseArchivedEdit, CorrectionWithNewBody) {
  ArchivedEdit edit = EditOf(FromAlice("A9", "c1",
                                       "<body>m4 fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='m4'/>"
                                       "<origin-id xmlns='urn:xmpp:sid:0' id='c1'/>"));
  ASSERT_TRUE(edit.correction);
  EXPECT_FALSE(edit.retraction);
  EXPECT_EQ(edit.correction->replaced_id, "m4");
  EXPECT_EQ(edit.correction->body, "m4 fixed");
  EXPECT_EQ(edit.correction->origin_id, "c1");
  EXPECT_EQ(edit.correction->origin.id, "c1");
  EXPECT_EQ(edit.correction->origin.from_bare, "alice@example.org");
  EXPECT_EQ(edit.correction->origin.stanza_id, "A9");
  EXPECT_EQ(edit.correction->origin.delay_ms, kStampMs);
}

TEST(ParseArchivedEdit, ChatMessagesAndMalformedEditsAreNoEdits) {
  ArchivedEdit chat = EditOf(FromAlice("B1", "m5", "<body>hi</body>"));
  EXPECT_FALSE(chat.retraction);
  EXPECT_FALSE(chat.correction);
  ArchivedEdit no_body = EditOf(FromAlice("B2", "c2", "<replace xmlns='urn:xmpp:message-correct:0' id='m4'/>"));
  EXPECT_FALSE(no_body.correction);
  ArchivedEdit no_id = EditOf(FromAlice("B3", "r3", "<retract xmlns='urn:xmpp:message-retract:1'/>"));
  EXPECT_FALSE(no_id.retraction);
  ArchivedEdit nothing = EditOf(ParseStanza("<message><result xmlns='urn:xmpp:mam:2' id='B4'/></message>"));
  EXPECT_FALSE(nothing.retraction);
  EXPECT_FALSE(nothing.correction);
}

}  // namespace
}  // namespace timd::xmpp
