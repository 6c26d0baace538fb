// StreamManagement (XEP-0198) on its own: server elements as stanza
// fixtures in, the elements it writes and the events it reports out.
#include "xmpp/stream_management.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parse_stanza.h"

namespace timd::xmpp {
namespace {

constexpr uint64_t k2To32 = uint64_t{1} << 32;

class StreamManagementTest : public ::testing::Test {
 protected:
  // A stream management without the owner answering <r/> itself.
  StreamManagement& Make(bool owner_acks = false) {
    sm_.emplace(owner_acks, [this](std::string xml) { written_.push_back(std::move(xml)); });
    return *sm_;
  }

  // A fresh stream that enables SM (resumable, id 'sm-1').
  StreamManagement& Enabled(bool owner_acks = false) {
    StreamManagement& sm = Make(owner_acks);
    EXPECT_FALSE(sm.BeginStream(true));
    sm.SendEnable();
    EXPECT_EQ(sm.OnEnableReply(ParseStanza("<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>")),
              StreamManagement::EnableReply::kEnabled);
    written_.clear();
    return sm;
  }

  // The elements written since the last call, parsed.
  std::vector<Element> TakeWritten() {
    std::vector<Element> elements;
    for (const std::string& xml : written_) elements.push_back(ParseStanza(xml));
    written_.clear();
    return elements;
  }

  std::optional<StreamManagement> sm_;
  std::vector<std::string> written_;
};

std::string Message(const std::string& id) {
  return "<message to='bob@localhost' id='" + id + "'><body>" + id + "</body></message>";
}

// `sent` stanzas, of which the last `unacked` await an ack, 5 inbound handled.
ResumeState Session(uint64_t base, uint64_t sent, uint64_t unacked) {
  ResumeState resume;
  resume.sm_id = "sm-1";
  resume.jid = *Jid::Parse("alice@localhost/r1");
  resume.inbound_handled = 5;
  resume.outbound_base = base;
  resume.outbound_sent = sent;
  resume.outbound_acked = sent - unacked;
  for (uint64_t seq = sent - unacked + 1; seq <= sent; ++seq) {
    resume.unacked.push_back({seq, Message("u" + std::to_string(seq))});
  }
  return resume;
}

std::vector<uint64_t> UnackedSeqs(const StreamManagement& sm) {
  std::vector<uint64_t> seqs;
  std::optional<ResumeState> snapshot = sm.Snapshot(Jid{});
  if (!snapshot.has_value()) return seqs;
  for (const UnackedStanza& stanza : snapshot->unacked) seqs.push_back(stanza.seq);
  return seqs;
}

TEST_F(StreamManagementTest, EnableAsksForResumptionAndCountsFromThere) {
  StreamManagement& sm = Make();
  EXPECT_FALSE(sm.BeginStream(true)) << "nothing to resume yet";
  sm.SendEnable();
  std::vector<Element> enable = TakeWritten();
  ASSERT_EQ(enable.size(), 1u);
  EXPECT_EQ(enable[0].name, "enable");
  EXPECT_EQ(enable[0].Attr("resume"), "true");
  EXPECT_EQ(sm.OnEnableReply(ParseStanza("<message/>")), StreamManagement::EnableReply::kIgnored);
  EXPECT_EQ(sm.OnEnableReply(ParseStanza("<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='1'/>")),
            StreamManagement::EnableReply::kEnabled);
  EXPECT_TRUE(sm.enabled());
  EXPECT_TRUE(sm.resumable());

  EXPECT_EQ(sm.Send(Message("m1")), 1u);
  sm.CountInbound();
  sm.CountInbound();
  EXPECT_EQ(sm.OnElement(ParseStanza("<r xmlns='urn:xmpp:sm:3'/>")), StreamManagement::Event::kNone);
  std::vector<Element> out = TakeWritten();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].Attr("id"), "m1");
  EXPECT_EQ(out[1].name, "a");
  EXPECT_EQ(out[1].Attr("h"), "2");
}

TEST_F(StreamManagementTest, EnabledWithoutResumeIsNotResumable) {
  StreamManagement& sm = Make();
  sm.BeginStream(true);
  EXPECT_EQ(sm.OnEnableReply(ParseStanza("<enabled xmlns='urn:xmpp:sm:3' id='sm-1'/>")),
            StreamManagement::EnableReply::kEnabled);
  EXPECT_FALSE(sm.Snapshot(Jid{}).has_value());
}

TEST_F(StreamManagementTest, WithoutSmStanzasAreNumberedButNothingIsSaid) {
  StreamManagement& sm = Make();
  sm.BeginStream(true);
  EXPECT_EQ(sm.OnEnableReply(ParseStanza("<failed xmlns='urn:xmpp:sm:3'/>")),
            StreamManagement::EnableReply::kRefused);
  EXPECT_EQ(sm.Send(Message("m1")), 1u);
  EXPECT_EQ(sm.Send(Message("m2")), 2u);
  TakeWritten();
  sm.CountInbound();
  sm.SendRequest();
  sm.SendAck();
  EXPECT_EQ(sm.OnElement(ParseStanza("<r xmlns='urn:xmpp:sm:3'/>")), StreamManagement::Event::kNone);
  EXPECT_TRUE(written_.empty()) << written_[0];
  EXPECT_TRUE(sm.MarkAckRequested());
  EXPECT_FALSE(sm.MarkAckRequested()) << "nothing sent since";
  EXPECT_TRUE(sm.Acknowledge(2)) << "acknowledged by other means (a ping round trip)";
  EXPECT_FALSE(sm.Acknowledge(2));
  EXPECT_EQ(sm.acked(), 2u);
}

// The owner answers <r/> once its stanzas are safe; requests meanwhile share that answer.
TEST_F(StreamManagementTest, OwnerAnswersRequestsWhenReady) {
  StreamManagement& sm = Enabled(/*owner_acks=*/true);
  sm.CountInbound();
  const Element request = ParseStanza("<r xmlns='urn:xmpp:sm:3'/>");
  EXPECT_EQ(sm.OnElement(request), StreamManagement::Event::kAckRequested);
  sm.CountInbound();
  EXPECT_EQ(sm.OnElement(request), StreamManagement::Event::kNone);
  EXPECT_TRUE(written_.empty());
  sm.Ack();
  sm.Ack();
  std::vector<Element> out = TakeWritten();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].Attr("h"), "2");

  EXPECT_EQ(sm.OnElement(request), StreamManagement::Event::kAckRequested);
  sm.ForgetRequest();  // the stream ended
  sm.Ack();
  EXPECT_TRUE(written_.empty());
}

TEST_F(StreamManagementTest, AcksMoveOnAndDropTheQueue) {
  StreamManagement& sm = Enabled();
  for (const char* id : {"m1", "m2", "m3"}) sm.Send(Message(id));
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='2'/>")), StreamManagement::Event::kAcked);
  EXPECT_EQ(sm.acked(), 2u);
  EXPECT_EQ(UnackedSeqs(sm), (std::vector<uint64_t>{3}));
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='1'/>")), StreamManagement::Event::kNone)
      << "an older h changes nothing";
  EXPECT_EQ(sm.acked(), 2u);
}

// A protocol error: the owner ends the stream (Client: kStreamError).
TEST_F(StreamManagementTest, AckForMoreThanWasSentIsReported) {
  StreamManagement& sm = Enabled();
  sm.Send(Message("m1"));
  sm.Send(Message("m2"));
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='3'/>")), StreamManagement::Event::kOverAcked);
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='many'/>")), StreamManagement::Event::kOverAcked);
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='4294967296'/>")),
            StreamManagement::Event::kOverAcked);
  EXPECT_EQ(sm.acked(), 0u);
  EXPECT_EQ(UnackedSeqs(sm), (std::vector<uint64_t>{1, 2}));
}

// h counts from the SM session's first stanza, not from Client::Send's first.
TEST_F(StreamManagementTest, ServerCountsFromTheSessionStart) {
  StreamManagement& sm = Make();
  ASSERT_TRUE(sm.Load(Session(0, 3, 0)));
  sm.BeginStream(false);  // binding afresh: numbering goes on
  sm.OnEnableReply(ParseStanza("<enabled xmlns='urn:xmpp:sm:3' id='sm-2' resume='true'/>"));
  EXPECT_EQ(sm.Send(Message("m4")), 4u);
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='1'/>")), StreamManagement::Event::kAcked);
  EXPECT_EQ(sm.acked(), 4u);
  EXPECT_EQ(sm.Snapshot(Jid{})->outbound_base, 3u);
}

TEST_F(StreamManagementTest, InboundCounterWrapsAt2To32) {
  StreamManagement& sm = Make();
  ResumeState resume = Session(0, 0, 0);
  resume.inbound_handled = k2To32 - 1;
  ASSERT_TRUE(sm.Load(resume));
  ASSERT_TRUE(sm.BeginStream(true));
  sm.SendResume();
  ASSERT_EQ(sm.OnResumeReply(ParseStanza("<resumed xmlns='urn:xmpp:sm:3' h='0' previd='sm-1'/>")).kind,
            StreamManagement::ResumeReply::Kind::kResumed);
  sm.CountInbound();
  sm.SendAck();
  std::vector<Element> out = TakeWritten();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "resume");
  EXPECT_EQ(out[0].Attr("previd"), "sm-1");
  EXPECT_EQ(out[0].Attr("h"), "4294967295");
  EXPECT_EQ(out[1].Attr("h"), "0");
  EXPECT_EQ(sm.Snapshot(Jid{})->inbound_handled, k2To32) << "the count itself goes on";
}

TEST_F(StreamManagementTest, OutboundCounterWrapsAt2To32) {
  StreamManagement& sm = Make();
  ASSERT_TRUE(sm.Load(Session(0, k2To32 + 1, 2)));  // #2^32 and #2^32+1 unacknowledged
  ASSERT_TRUE(sm.BeginStream(true));
  StreamManagement::ResumeReply reply =
      sm.OnResumeReply(ParseStanza("<resumed xmlns='urn:xmpp:sm:3' h='0' previd='sm-1'/>"));
  ASSERT_EQ(reply.kind, StreamManagement::ResumeReply::Kind::kResumed);
  EXPECT_EQ(reply.handled, k2To32);
  EXPECT_EQ(reply.resent, 1u);
  EXPECT_TRUE(sm.Acknowledge(*reply.handled));
  EXPECT_EQ(sm.Send(Message("next")), k2To32 + 2);
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='2'/>")), StreamManagement::Event::kAcked);
  EXPECT_EQ(sm.acked(), k2To32 + 2);
  EXPECT_TRUE(sm.Snapshot(Jid{})->unacked.empty());
}

TEST_F(StreamManagementTest, ResumeResendsOnlyWhatTheServerMissed) {
  StreamManagement& sm = Make();
  ASSERT_TRUE(sm.Load(Session(0, 3, 2)));  // #2 and #3 unacknowledged
  ASSERT_TRUE(sm.BeginStream(true));
  StreamManagement::ResumeReply reply =
      sm.OnResumeReply(ParseStanza("<resumed xmlns='urn:xmpp:sm:3' h='2' previd='sm-1'/>"));
  ASSERT_EQ(reply.kind, StreamManagement::ResumeReply::Kind::kResumed);
  EXPECT_EQ(reply.handled, 2u);
  EXPECT_EQ(reply.resent, 1u);
  EXPECT_TRUE(sm.enabled());
  EXPECT_FALSE(sm.resuming());
  std::vector<Element> out = TakeWritten();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].Attr("id"), "u3");
  EXPECT_TRUE(sm.Acknowledge(2));
  EXPECT_EQ(UnackedSeqs(sm), (std::vector<uint64_t>{3}));
  EXPECT_EQ(sm.sent(), 3u);
  EXPECT_TRUE(sm.MarkAckRequested()) << "the resent stanza still needs an ack";
}

TEST_F(StreamManagementTest, ResumeReplaysTheQueueInOrderWithItsNumbers) {
  StreamManagement& sm = Make();
  ASSERT_TRUE(sm.Load(Session(0, 6, 4)));  // #3..#6 unacknowledged
  ASSERT_TRUE(sm.BeginStream(true));
  StreamManagement::ResumeReply reply =
      sm.OnResumeReply(ParseStanza("<resumed xmlns='urn:xmpp:sm:3' h='2' previd='sm-1'/>"));
  ASSERT_EQ(reply.kind, StreamManagement::ResumeReply::Kind::kResumed);
  EXPECT_EQ(reply.resent, 4u);
  std::vector<std::string> ids;
  for (const Element& element : TakeWritten()) ids.emplace_back(element.Attr("id"));
  EXPECT_EQ(ids, (std::vector<std::string>{"u3", "u4", "u5", "u6"}));
  EXPECT_EQ(UnackedSeqs(sm), (std::vector<uint64_t>{3, 4, 5, 6}));
  EXPECT_EQ(sm.Send(Message("m7")), 7u);
  EXPECT_EQ(sm.OnElement(ParseStanza("<a xmlns='urn:xmpp:sm:3' h='5'/>")), StreamManagement::Event::kAcked);
  EXPECT_EQ(UnackedSeqs(sm), (std::vector<uint64_t>{6, 7}));
}

TEST_F(StreamManagementTest, ResumedWithACounterOutsideTheQueueIsAMismatch) {
  for (const char* h : {"0", "4", "x"}) {  // below what was acked, above what was sent, no number
    StreamManagement& sm = Make();
    ASSERT_TRUE(sm.Load(Session(0, 3, 2)));
    ASSERT_TRUE(sm.BeginStream(true));
    EXPECT_EQ(sm.OnResumeReply(ParseStanza("<resumed xmlns='urn:xmpp:sm:3' h='" + std::string(h) + "'/>")).kind,
              StreamManagement::ResumeReply::Kind::kCounterMismatch)
        << "h=" << h;
    EXPECT_FALSE(sm.enabled());
  }
}

// XEP-0198 1.6: <failed/> may carry h, what the old session handled.
TEST_F(StreamManagementTest, FailedResumeReportsItsCounterAndNumberingGoesOn) {
  StreamManagement& sm = Make();
  ASSERT_TRUE(sm.Load(Session(0, 3, 2)));
  ASSERT_TRUE(sm.BeginStream(true));
  StreamManagement::ResumeReply reply = sm.OnResumeReply(ParseStanza(
      "<failed xmlns='urn:xmpp:sm:3' h='2'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>"));
  ASSERT_EQ(reply.kind, StreamManagement::ResumeReply::Kind::kRefused);
  EXPECT_EQ(reply.condition, "item-not-found");
  EXPECT_EQ(reply.handled, 2u);
  EXPECT_FALSE(sm.resuming());
  EXPECT_TRUE(written_.empty()) << "nothing is resent";
  EXPECT_TRUE(sm.Acknowledge(*reply.handled));

  sm.DropSession();
  EXPECT_FALSE(sm.Snapshot(Jid{}).has_value());
  EXPECT_EQ(sm.Send(Message("m4")), 4u);
}

TEST_F(StreamManagementTest, FailedResumeWithoutAUsableCounterAcknowledgesNothing) {
  for (const char* failed : {"<failed xmlns='urn:xmpp:sm:3'/>", "<failed xmlns='urn:xmpp:sm:3' h='9'/>"}) {
    StreamManagement& sm = Make();
    ASSERT_TRUE(sm.Load(Session(0, 3, 2)));
    ASSERT_TRUE(sm.BeginStream(true));
    StreamManagement::ResumeReply reply = sm.OnResumeReply(ParseStanza(failed));
    ASSERT_EQ(reply.kind, StreamManagement::ResumeReply::Kind::kRefused) << failed;
    EXPECT_EQ(reply.condition, "undefined-condition");
    EXPECT_FALSE(reply.handled.has_value()) << failed;
  }
}

TEST_F(StreamManagementTest, InconsistentStateIsNotResumedButNumberingGoesOn) {
  StreamManagement& sm = Make();
  ResumeState resume = Session(0, 3, 2);
  resume.unacked.pop_back();  // #3 missing
  EXPECT_FALSE(sm.Load(resume));
  EXPECT_FALSE(sm.BeginStream(true));
  EXPECT_EQ(sm.Send(Message("m4")), 4u);
}

TEST_F(StreamManagementTest, SnapshotRoundTripsAndEndsWithTheSession) {
  StreamManagement& sm = Make();
  ASSERT_TRUE(sm.Load(Session(1, 3, 2)));
  std::optional<ResumeState> snapshot = sm.Snapshot(*Jid::Parse("alice@localhost/r1"));
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_EQ(snapshot->sm_id, "sm-1");
  EXPECT_EQ(snapshot->jid.Full(), "alice@localhost/r1");
  EXPECT_EQ(snapshot->inbound_handled, 5u);
  EXPECT_EQ(snapshot->outbound_base, 1u);
  EXPECT_EQ(snapshot->outbound_sent, 3u);
  EXPECT_EQ(snapshot->outbound_acked, 1u);
  ASSERT_EQ(snapshot->unacked.size(), 2u);
  EXPECT_EQ(snapshot->unacked[1].xml, Message("u3"));
  sm.EndSession();
  EXPECT_FALSE(sm.Snapshot(Jid{}).has_value());
  EXPECT_FALSE(sm.BeginStream(true));
}

}  // namespace
}  // namespace timd::xmpp
