// Stream resumption (XEP-0198), the message archive (XEP-0313) and message
// carbons (XEP-0280) against a real Prosody (tests/support fixture).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/prosody_fixture.h"
#include "xmpp/carbons.h"
#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/mam.h"
#include "xmpp/ping.h"
#include "xmpp/presence.h"

namespace timd::xmpp {
namespace {

struct Carbon {
  IncomingChat message;
  CarbonDirection direction;
};

// One client with every module and its observations.
struct Session {
  std::unique_ptr<Client> client;
  std::unique_ptr<ChatManager> chat;
  std::unique_ptr<MamManager> mam;
  std::unique_ptr<CarbonsManager> carbons;
  std::unique_ptr<PingResponder> ping;
  std::optional<Jid> online;
  std::optional<Jid> resumed;
  std::optional<std::string> resume_failed;
  std::optional<ClientCloseInfo> closed;
  std::optional<ResumeState> state_at_close;
  std::vector<uint64_t> acked;
  std::vector<IncomingChat> received;
  std::vector<Carbon> carbon_copies;
};

// What one MAM query reported.
struct ArchiveRun {
  std::vector<IncomingChat> messages;
  std::vector<std::pair<std::string, uint32_t>> pages;
  std::optional<bool> done;
  std::optional<std::string> error;

  MamCallbacks Callbacks() {
    MamCallbacks callbacks;
    callbacks.on_message = [this](const IncomingChat& m) { messages.push_back(m); };
    callbacks.on_page = [this](const std::string& last, uint32_t count) { pages.emplace_back(last, count); };
    callbacks.on_done = [this](bool complete) { done = complete; };
    callbacks.on_error = [this](const std::string& condition) { error = condition; };
    return callbacks;
  }
  bool finished() const { return done.has_value() || error.has_value(); }
};

class ResumeMamCarbonsProsodyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // as timd does: a write to a closed socket must not kill us
    uv_loop_init(&loop_);
    prosody_.Start();
    prosody_.AddUser("alice", "alice-pw");
    prosody_.AddUser("bob", "bob-pw");
  }
  void TearDown() override {
    sessions_.clear();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  ClientOptions Options(const std::string& user, const std::string& resource = "test") {
    ClientOptions options;
    options.transport.host = "127.0.0.1";
    options.transport.port = prosody_.c2s_port();
    options.transport.tls_server_name = test::ProsodyServer::kDomain;
    options.transport.ca_file = prosody_.ca_file();
    options.domain = test::ProsodyServer::kDomain;
    options.username = user;
    options.password = user + "-pw";
    options.resource = resource;
    return options;
  }

  Session& Start(const ClientOptions& options) {
    sessions_.push_back(std::make_unique<Session>());
    Session& s = *sessions_.back();
    Client::Callbacks callbacks;
    callbacks.on_online = [&s](const Jid& jid) { s.online = jid; };
    callbacks.on_resumed = [&s](const Jid& jid) { s.resumed = jid; };
    callbacks.on_resume_failed = [&s](const std::string& condition) { s.resume_failed = condition; };
    callbacks.on_closed = [&s](const ClientCloseInfo& info) {
      s.closed = info;
      s.state_at_close = s.client->resume_state();
    };
    callbacks.on_acked = [&s](uint64_t h) { s.acked.push_back(h); };
    s.client = std::make_unique<Client>(&loop_, options, callbacks);
    s.mam = std::make_unique<MamManager>(*s.client);
    s.carbons = std::make_unique<CarbonsManager>(
        *s.client, [&s](const IncomingChat& m, CarbonDirection d) { s.carbon_copies.push_back({m, d}); });
    s.ping = std::make_unique<PingResponder>(*s.client);
    s.chat = std::make_unique<ChatManager>(*s.client, [&s](const IncomingChat& m) { s.received.push_back(m); });
    s.client->AddHandler(s.mam.get());
    s.client->AddHandler(s.carbons.get());
    s.client->AddHandler(s.ping.get());
    s.client->AddHandler(s.chat.get());
    s.client->Connect();
    return s;
  }

  Session& StartOnline(const ClientOptions& options) {
    Session& s = Start(options);
    EXPECT_TRUE(RunUntil([&] { return s.online || s.resumed || s.closed; })) << prosody_.LogTail();
    EXPECT_TRUE(s.online || s.resumed) << (s.closed ? s.closed->detail : "") << prosody_.LogTail();
    return s;
  }

  // A server round trip: everything sent before it has been processed.
  void RoundTrip(Session& s) {
    Element ping("iq", "jabber:client");
    ping.SetAttr("type", "get");
    ping.SetAttr("to", test::ProsodyServer::kDomain);
    ping.AddChild(Element("ping", "urn:xmpp:ping"));
    bool answered = false;
    s.client->SendIq(std::move(ping), [&answered](const Element*) { answered = true; });
    ASSERT_TRUE(RunUntil([&] { return answered; }));
  }

  // Runs the loop until `done` holds (checked every 10 ms) or 15 s pass.
  bool RunUntil(const std::function<bool()>& done) {
    for (int i = 0; i < 1500 && !done(); ++i) {
      uv_timer_t tick;
      uv_timer_init(&loop_, &tick);
      uv_timer_start(&tick, [](uv_timer_t*) {}, 10, 0);
      uv_run(&loop_, UV_RUN_ONCE);
      uv_close(reinterpret_cast<uv_handle_t*>(&tick), nullptr);
      uv_run(&loop_, UV_RUN_NOWAIT);
    }
    return done();
  }

  void RunFor(int ms) {
    RunUntil([start = uv_now(&loop_), ms, this] { return uv_now(&loop_) - start >= uint64_t(ms); });
  }

  uv_loop_t loop_;
  test::ProsodyServer prosody_;
  std::vector<std::unique_ptr<Session>> sessions_;
};

std::vector<std::string> Bodies(const std::vector<IncomingChat>& messages) {
  std::vector<std::string> bodies;
  for (const IncomingChat& m : messages) bodies.push_back(m.body);
  return bodies;
}

TEST_F(ResumeMamCarbonsProsodyTest, ResumeAfterDroppedConnectionDeliversQueuedMessagesOnce) {
  Session& alice = StartOnline(Options("alice"));
  Session& bob = StartOnline(Options("bob"));
  SendInitialPresence(*alice.client);
  SendInitialPresence(*bob.client);
  bob.chat->Send(OutgoingChat{"alice@localhost", "before", "before the drop"});
  ASSERT_TRUE(RunUntil([&] { return alice.received.size() == 1; }));
  RoundTrip(alice);

  // Sent as the link drops: either the server got it or the resume resends it.
  uint64_t in_flight = alice.chat->Send(OutgoingChat{"bob@localhost/test", "in-flight", "in flight"});
  alice.client->DropConnection("dropped by the test");
  ASSERT_TRUE(RunUntil([&] { return alice.closed.has_value(); }));
  EXPECT_EQ(alice.closed->error, ClientError::kNetwork);
  ASSERT_TRUE(alice.state_at_close.has_value());
  ResumeState state = *alice.state_at_close;
  EXPECT_EQ(state.jid.Full(), "alice@localhost/test");
  EXPECT_GE(state.inbound_handled, 2u);  // the message and the ping result
  EXPECT_EQ(state.outbound_sent, in_flight);

  uint64_t last = 0;
  for (int i = 1; i <= 3; ++i) {
    last = bob.chat->Send(OutgoingChat{"alice@localhost", "during-" + std::to_string(i), "during " + std::to_string(i)});
  }
  ASSERT_TRUE(RunUntil([&] { return !bob.acked.empty() && bob.acked.back() == last; }));

  ClientOptions options = Options("alice");
  options.resume = state;
  Session& again = StartOnline(options);
  ASSERT_TRUE(again.resumed.has_value()) << prosody_.LogTail();
  EXPECT_EQ(again.resumed->Full(), "alice@localhost/test");
  EXPECT_FALSE(again.online.has_value());
  EXPECT_FALSE(again.resume_failed.has_value());
  ASSERT_TRUE(RunUntil([&] { return again.received.size() >= 3; }));
  RoundTrip(again);
  RunFor(300);
  EXPECT_EQ(Bodies(again.received), (std::vector<std::string>{"during 1", "during 2", "during 3"}));
  EXPECT_EQ(Bodies(bob.received), (std::vector<std::string>{"in flight"}));
  EXPECT_TRUE(!again.acked.empty() && again.acked.back() >= in_flight);
  EXPECT_TRUE(again.client->stream_management_enabled());

  // Counting went on from the old session: the server accepts our acks and
  // sends still reach bob, numbered after the old ones.
  uint64_t seq = again.chat->Send(OutgoingChat{"bob@localhost", "after", "after resume"});
  EXPECT_EQ(seq, state.outbound_sent + 2);  // after the round trip's ping
  ASSERT_TRUE(RunUntil([&] { return !bob.received.empty() && !again.acked.empty() && again.acked.back() == seq; }));
  EXPECT_EQ(Bodies(bob.received), (std::vector<std::string>{"in flight", "after resume"}));
  again.client->Disconnect();
  ASSERT_TRUE(RunUntil([&] { return again.closed.has_value(); }));
  EXPECT_EQ(again.closed->error, ClientError::kNone) << again.closed->detail;

  // Nothing comes back as offline storage at the next login.
  Session& later = StartOnline(Options("alice", "later"));
  SendInitialPresence(*later.client);
  RoundTrip(later);
  RunFor(300);
  EXPECT_TRUE(later.received.empty()) << later.received.size() << " redelivered, first: " << later.received[0].body;
}

TEST_F(ResumeMamCarbonsProsodyTest, UnknownSessionIsRefusedAndBindsAfresh) {
  ResumeState bogus;
  bogus.sm_id = "no-such-session";
  bogus.jid = *Jid::Parse("alice@localhost/test");
  bogus.inbound_handled = 7;
  bogus.outbound_sent = 2;
  bogus.outbound_acked = 2;
  ClientOptions options = Options("alice");
  options.resume = bogus;
  Session& alice = StartOnline(options);
  ASSERT_TRUE(alice.resume_failed.has_value());
  EXPECT_EQ(*alice.resume_failed, "item-not-found");
  ASSERT_TRUE(alice.online.has_value());
  EXPECT_EQ(alice.online->Full(), "alice@localhost/test");
  EXPECT_FALSE(alice.resumed.has_value());
  EXPECT_TRUE(alice.client->stream_management_enabled());
  std::optional<ResumeState> fresh = alice.client->resume_state();
  ASSERT_TRUE(fresh.has_value());
  EXPECT_NE(fresh->sm_id, "no-such-session");
  EXPECT_EQ(alice.chat->Send(OutgoingChat{"bob@localhost", "x", "x"}), 3u);
  ASSERT_TRUE(RunUntil([&] { return !alice.acked.empty() && alice.acked.back() == 3; }));
}

TEST_F(ResumeMamCarbonsProsodyTest, ArchivePagesInOrderForBothSides) {
  Session& bob = StartOnline(Options("bob"));
  constexpr int kCount = 60;  // more than Prosody's default page of 50
  for (int i = 0; i < kCount; ++i) {
    bob.chat->Send(OutgoingChat{"alice@localhost", "id-" + std::to_string(i), "m" + std::to_string(i)});
  }
  ASSERT_TRUE(RunUntil([&] { return !bob.acked.empty() && bob.acked.back() == kCount; }));
  Session& alice = StartOnline(Options("alice"));

  ArchiveRun run;
  alice.mam->QueryArchive("", "", 50, run.Callbacks());
  ASSERT_TRUE(RunUntil([&] { return run.finished(); }));
  ASSERT_FALSE(run.error.has_value()) << *run.error;
  EXPECT_TRUE(*run.done);
  ASSERT_EQ(run.messages.size(), size_t(kCount));
  for (int i = 0; i < kCount; ++i) {
    const IncomingChat& m = run.messages[i];
    EXPECT_EQ(m.body, "m" + std::to_string(i));
    EXPECT_EQ(m.origin_id, "id-" + std::to_string(i));
    EXPECT_EQ(m.from, "bob@localhost/test");
    EXPECT_FALSE(m.stanza_id.empty());
    EXPECT_GT(m.delay_ms, 0);
  }
  ASSERT_EQ(run.pages.size(), 2u);
  EXPECT_EQ(run.pages[0].second, 50u);
  EXPECT_EQ(run.pages[0].first, run.messages[49].stanza_id);
  EXPECT_EQ(run.pages[1].second, 10u);
  EXPECT_EQ(run.pages[1].first, run.messages.back().stanza_id);

  // From the last cursor: nothing new, and complete.
  ArchiveRun tail;
  alice.mam->QueryArchive(run.messages.back().stanza_id, "", 50, tail.Callbacks());
  ASSERT_TRUE(RunUntil([&] { return tail.finished(); }));
  EXPECT_TRUE(tail.done.value_or(false));
  EXPECT_TRUE(tail.messages.empty());
  EXPECT_TRUE(tail.pages.empty());

  // From the middle, filtered by peer.
  ArchiveRun middle;
  alice.mam->QueryArchive(run.messages[54].stanza_id, "bob@localhost", 50, middle.Callbacks());
  ASSERT_TRUE(RunUntil([&] { return middle.finished(); }));
  EXPECT_EQ(Bodies(middle.messages), (std::vector<std::string>{"m55", "m56", "m57", "m58", "m59"}));

  // Bob's archive holds his own sent messages, reported with their `to`.
  ArchiveRun sent;
  bob.mam->QueryArchive("", "alice@localhost", 100, sent.Callbacks());
  ASSERT_TRUE(RunUntil([&] { return sent.finished(); }));
  ASSERT_EQ(sent.messages.size(), size_t(kCount));
  EXPECT_EQ(sent.messages[0].from, "bob@localhost/test");
  EXPECT_EQ(sent.messages[0].to, "alice@localhost");
  EXPECT_EQ(sent.messages[0].body, "m0");
}

// The fallback when a cursor has expired: everything archived since a time.
TEST_F(ResumeMamCarbonsProsodyTest, ArchiveFromAStartTime) {
  Session& bob = StartOnline(Options("bob"));
  bob.chat->Send(OutgoingChat{"alice@localhost", "old", "before"});
  ASSERT_TRUE(RunUntil([&] { return !bob.acked.empty() && bob.acked.back() == 1; }));
  // The archive keeps whole seconds: start on the next full second, send after it.
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const int64_t start_ms = (now_ms / 1000 + 1) * 1000;
  std::this_thread::sleep_for(std::chrono::milliseconds(start_ms - now_ms + 100));
  bob.chat->Send(OutgoingChat{"alice@localhost", "new", "after"});
  ASSERT_TRUE(RunUntil([&] { return bob.acked.back() == 2; }));
  Session& alice = StartOnline(Options("alice"));

  ArchiveRun since;
  alice.mam->QueryArchive("", "", 50, since.Callbacks(), start_ms);
  ASSERT_TRUE(RunUntil([&] { return since.finished(); }));
  ASSERT_FALSE(since.error.has_value()) << *since.error;
  ASSERT_EQ(since.messages.size(), 1u);
  EXPECT_EQ(since.messages[0].body, "after");

  ArchiveRun future;
  alice.mam->QueryArchive("", "", 50, future.Callbacks(), start_ms + 3600 * 1000);
  ASSERT_TRUE(RunUntil([&] { return future.finished(); }));
  EXPECT_TRUE(future.done.value_or(false));
  EXPECT_TRUE(future.messages.empty());
}

TEST_F(ResumeMamCarbonsProsodyTest, ArchiveAfterUnknownIdIsItemNotFound) {
  Session& alice = StartOnline(Options("alice"));
  ArchiveRun run;
  alice.mam->QueryArchive("no-such-archive-id", "", 50, run.Callbacks());
  ASSERT_TRUE(RunUntil([&] { return run.finished(); }));
  ASSERT_TRUE(run.error.has_value());
  EXPECT_EQ(*run.error, "item-not-found");
  EXPECT_TRUE(run.messages.empty());
}

TEST_F(ResumeMamCarbonsProsodyTest, CarbonsCopyReceivedAndSentToOtherResource) {
  Session& a = StartOnline(Options("alice", "a"));
  Session& b = StartOnline(Options("alice", "b"));
  Session& bob = StartOnline(Options("bob"));
  SendInitialPresence(*bob.client);
  std::optional<bool> a_enabled, b_enabled;
  a.carbons->Enable([&](bool ok) { a_enabled = ok; });
  b.carbons->Enable([&](bool ok) { b_enabled = ok; });
  ASSERT_TRUE(RunUntil([&] { return a_enabled && b_enabled; }));
  EXPECT_TRUE(*a_enabled && *b_enabled);

  bob.chat->Send(OutgoingChat{"alice@localhost/a", "to-a", "for resource a"});
  ASSERT_TRUE(RunUntil([&] { return !a.received.empty() && !b.carbon_copies.empty(); }));
  EXPECT_EQ(a.received[0].body, "for resource a");
  EXPECT_TRUE(b.received.empty());
  EXPECT_EQ(b.carbon_copies[0].direction, CarbonDirection::kReceived);
  EXPECT_EQ(b.carbon_copies[0].message.body, "for resource a");
  EXPECT_EQ(b.carbon_copies[0].message.from, "bob@localhost/test");
  EXPECT_EQ(b.carbon_copies[0].message.to, "alice@localhost/a");
  EXPECT_EQ(b.carbon_copies[0].message.origin_id, "to-a");

  a.chat->Send(OutgoingChat{"bob@localhost", "from-a", "sent by a"});
  ASSERT_TRUE(RunUntil([&] { return b.carbon_copies.size() == 2 && !bob.received.empty(); }));
  const Carbon& sent = b.carbon_copies[1];
  EXPECT_EQ(sent.direction, CarbonDirection::kSent);
  EXPECT_EQ(sent.message.body, "sent by a");
  EXPECT_EQ(Jid::Parse(sent.message.from)->Bare(), "alice@localhost");
  EXPECT_EQ(sent.message.to, "bob@localhost");
  EXPECT_EQ(sent.message.origin_id, "from-a");
  RoundTrip(a);
  EXPECT_TRUE(a.carbon_copies.empty()) << "no carbon of a resource's own messages";
}

}  // namespace
}  // namespace timd::xmpp
