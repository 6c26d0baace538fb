// kill -9 of timd, three times, while a peer sends it a burst of 5,000
// messages and an app sends 1,000 through it, with the state dir on a real
// disk. Afterwards nothing is lost and nothing doubled: in timd's store, at
// the peer, and at a durable consumer (`timctl tail --consumer X --ack`)
// that dies with timd and is started again each time.
//
// What a duplicate is where:
// - store: a message (every body is unique) in more than one row.
// - durable consumer: a message in more than one event (seq). The consumer
//   acknowledges every 200 ms, so after a kill it is sent again what it had
//   printed but not yet acknowledged, under the same seqs: the contract's
//   at-least-once delivery, which an app handles by skipping seqs it has
//   processed. Such redeliveries are counted and must repeat the same event.
// - peer: XMPP has no exactly-once. A message whose server ack died with
//   the daemon goes out again after the restart under the same origin-id;
//   receivers keep one copy by origin-id (timd does). The peer's copies are
//   counted, then deduplicated by origin-id.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/message_sets.h"
#include "support/peer_process.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/tail_consumer.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kIncoming = 5000;
constexpr int kIncomingPerSecond = 500;
constexpr int kOutgoing = 1000;
constexpr int kOutgoingPerSecond = 125;
constexpr int kSenderThreads = 4;
constexpr const char* kConsumer = "kill9-app";
constexpr const char* kPeer = "bob";

// "<prefix>-<i, 5 digits>": the echo peer's burst ids and bodies, and ours.
std::string Numbered(const std::string& prefix, int i) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%05d", i);
  return prefix + "-" + digits;
}

std::set<std::string> NumberedSet(const std::string& prefix, int count) {
  std::set<std::string> out;
  for (int i = 0; i < count; ++i) out.insert(Numbered(prefix, i));
  return out;
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

long long MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds poll = 200ms) {
  for (auto deadline = Clock::now() + timeout; !done(); std::this_thread::sleep_for(poll)) {
    if (Clock::now() >= deadline) return false;
  }
  return true;
}

// A channel that reconnects within 100 ms once timd is back (gRPC's default
// backoff waits up to two minutes).
std::shared_ptr<grpc::Channel> QuickReconnectChannel(const TimdProcess& timd) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("unix:" + timd.socket_path(), grpc::InsecureChannelCredentials(), args);
}

// The app's side of the outgoing burst: sends each message through the API
// at a steady rate and, as an app does when timd goes away mid-call, retries
// a failed call with the same idempotency key until it succeeds.
class OutgoingBurst {
 public:
  OutgoingBurst(const TimdProcess& timd, std::vector<std::string> ids) : ids_(std::move(ids)), start_(Clock::now()) {
    for (int t = 0; t < kSenderThreads; ++t) {
      threads_.emplace_back([this, t, channel = QuickReconnectChannel(timd)] { Run(t, channel); });
    }
  }
  ~OutgoingBurst() { Join(); }

  void Join() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  size_t succeeded() const { return succeeded_; }
  size_t retries() const { return retries_; }
  std::set<std::string> given_up() const {
    std::lock_guard lock(mu_);
    return given_up_;
  }
  // "<count> x code <n> (<first message>)" per gRPC code seen.
  std::string ErrorSummary() const {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [code, seen] : errors_) {
      out += (out.empty() ? "" : "; ") + std::to_string(seen.first) + " x code " + std::to_string(code) + " (" +
             seen.second + ")";
    }
    return out.empty() ? "none" : out;
  }

 private:
  void Run(int thread, const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = std::make_unique<timd::ApiStubs>(channel);
    const auto give_up_at = Clock::now() + 90s;
    for (size_t i = static_cast<size_t>(thread); i < ids_.size(); i += kSenderThreads) {
      std::this_thread::sleep_until(start_ + std::chrono::milliseconds(i * 1000 / kOutgoingPerSecond));
      while (true) {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + 40s);
        ctx.set_wait_for_ready(true);  // while timd restarts, wait for it rather than fail at once
        tim::v1::SendMessageResponse response;
        const grpc::Status status = stub->messages->SendMessage(&ctx, TextTo(kPeer, ids_[i], ids_[i]), &response);
        if (status.ok()) {
          ++succeeded_;
          break;
        }
        std::lock_guard lock(mu_);
        auto& seen = errors_[status.error_code()];
        if (seen.first++ == 0) seen.second = status.error_message();
        if (Clock::now() >= give_up_at) {
          given_up_.insert(ids_[i]);
          break;
        }
        ++retries_;
      }
    }
  }

  const std::vector<std::string> ids_;
  const Clock::time_point start_;
  std::atomic<size_t> succeeded_{0};
  std::atomic<size_t> retries_{0};
  mutable std::mutex mu_;
  std::map<int, std::pair<int, std::string>> errors_;  // by gRPC code: count, first message
  std::set<std::string> given_up_;
  std::vector<std::thread> threads_;
};

// Every message in the consumer's NewMessages events with a body starting
// with `prefix`, once per distinct event seq.
struct ConsumerView {
  std::vector<std::string> bodies;
  size_t redelivered_events = 0;  // seqs printed again by a later run
  std::vector<std::string> problems;  // a seq reused for another event, or going back within a run
};

ConsumerView ViewOf(const std::vector<std::vector<tim::v1::Event>>& runs, const std::string& prefix) {
  ConsumerView view;
  std::map<uint64_t, const tim::v1::Event*> by_seq;
  for (size_t run = 0; run < runs.size(); ++run) {
    uint64_t previous = 0;
    for (const auto& event : runs[run]) {
      if (event.seq() <= previous) {
        view.problems.push_back("run " + std::to_string(run + 1) + ": seq " + std::to_string(event.seq()) +
                                " after seq " + std::to_string(previous));
      }
      previous = event.seq();
      auto [it, first] = by_seq.emplace(event.seq(), &event);
      if (!first) {
        ++view.redelivered_events;
        if (!google::protobuf::util::MessageDifferencer::Equals(*it->second, event)) {
          view.problems.push_back("run " + std::to_string(run + 1) + ": seq " + std::to_string(event.seq()) +
                                  " names another event than it did before");
        }
        continue;
      }
      for (const auto& m : event.new_messages().messages()) {
        if (StartsWith(TextOf(m), prefix)) view.bodies.push_back(TextOf(m));
      }
    }
  }
  return view;
}

// The peer's received lines ("<origin-id>\t<body>"): ids starting with `prefix`, one per copy.
std::vector<std::string> PeerCopies(const PeerProcess& peer, const std::string& prefix) {
  std::vector<std::string> ids;
  for (const auto& line : peer.ReceivedLines()) {
    const std::string id = line.substr(0, line.find('\t'));
    if (StartsWith(id, prefix)) ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> Distinct(const std::vector<std::string>& v) {
  std::set<std::string> s(v.begin(), v.end());
  return {s.begin(), s.end()};
}

std::string Describe(const std::vector<std::string>& problems) {
  std::string out;
  for (size_t i = 0; i < problems.size() && i < 10; ++i) out += problems[i] + "\n";
  return out;
}

TEST(Kill9Test, ThreeKillsDuringIncomingAndOutgoingBurstsLoseAndDoubleNothing) {
  const auto test_start = Clock::now();
  ProsodyServer prosody;
  prosody.Start();
  prosody.AddUser("alice", "alice-pw");
  prosody.AddUser(kPeer, "bob-pw");

  // SQLite's durability depends on the file system: tmpfs would hide what a
  // real disk does with fsync and the WAL.
  TimdProcess timd(RealDiskTempBase());
  const std::string fs_type = FileSystemType(timd.state_dir());
  std::cout << "[   INFO   ] state dir " << timd.state_dir() << " on " << fs_type << "\n";
  ASSERT_NE(fs_type, "tmpfs");
  timd.UseProsody(prosody);
  timd.LoginAs("alice", "alice-pw");
  timd.Start();
  ASSERT_TRUE(timd.WaitLoggedIn()) << timd.log();

  PeerProcess peer(prosody, kPeer, "bob-pw");
  peer.AddArgs({"--burst-to", std::string("alice@") + ProsodyServer::kDomain, "--burst-count",
                std::to_string(kIncoming), "--burst-rate", std::to_string(kIncomingPerSecond), "--burst-prefix",
                "in"});
  peer.Start();

  // The consumer first subscribes live; primes go out until it prints the
  // echo of one, which also gives timd an archive cursor to catch up from.
  TailConsumer consumer(timd, kConsumer);
  consumer.Start();
  auto consumer_saw = [&](const std::string& body) {
    for (const auto& run : consumer.EventsByRun()) {
      for (const auto& e : run) {
        for (const auto& m : e.new_messages().messages()) {
          if (TextOf(m) == body) return true;
        }
      }
    }
    return false;
  };
  bool primed = false;
  for (int i = 0; i < 20 && !primed; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    tim::v1::SendMessageResponse response;
    const std::string prime = "prime-" + std::to_string(i);
    ASSERT_TRUE(timd.Stubs()->messages->SendMessage(&ctx, TextTo(kPeer, prime), &response).ok()) << timd.log();
    primed = WaitUntil([&] { return consumer_saw("echo: " + prime); }, 1s, 20ms);
  }
  ASSERT_TRUE(primed) << consumer.stderr_tail() << timd.log();
  std::this_thread::sleep_for(500ms);  // the consumer's cursor is acknowledged

  const auto incoming = NumberedSet("in", kIncoming);
  const auto outgoing = NumberedSet("out", kOutgoing);
  const auto burst_start = Clock::now();
  peer.Signal(SIGUSR1);
  OutgoingBurst out(timd, {outgoing.begin(), outgoing.end()});

  auto network_desc = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 2s);
    tim::v1::GetLoginStatusResponse response;
    return timd.Stubs()->session->GetLoginStatus(&ctx, {}, &response).ok() ? response.network_desc() : "";
  };
  int kills = 0;
  auto kill_and_restart = [&](const std::string& when) {
    const std::string network = network_desc();
    timd.Kill9();
    ++kills;
    std::cout << "[   INFO   ] kill " << kills << " at " << MsSince(burst_start) << " ms, " << when << " (timd: \""
              << network << "\"): " << out.succeeded() << " sends acknowledged to the app, "
              << peer.ReceivedLines().size() << " messages at the peer\n";
    // The consumer's stream drops with timd: timctl exits 2.
    const auto exit = consumer.WaitExit(10s);
    EXPECT_TRUE(exit && WIFEXITED(*exit) && WEXITSTATUS(*exit) == 2)
        << "consumer run " << consumer.runs() << ": " << (exit ? DescribeWaitStatus(*exit) : "still running");
    if (!exit) consumer.Stop();
    timd.Start();
    consumer.Start();
  };

  // 1: both bursts flowing live.
  ASSERT_TRUE(WaitUntil([&] { return out.succeeded() >= kOutgoing / 4; }, 30s, 5ms)) << timd.log();
  kill_and_restart("both bursts live");
  // 2: the restarted daemon has stored part of what it missed, fetched
  // page by page from the archive (the output shows where it was).
  WaitUntil([&] { return network_desc().find("archived messages so far") != std::string::npos; }, 10s, 5ms);
  kill_and_restart("during the archive catch-up");
  // 3: live again, late in the bursts.
  ASSERT_TRUE(WaitUntil([&] { return out.succeeded() >= kOutgoing * 7 / 10; }, 60s, 5ms)) << timd.log();
  kill_and_restart("both bursts live, late");
  ASSERT_TRUE(timd.WaitLoggedIn(30s)) << timd.log();

  // Everything settles: every call answered, the peer's burst in the
  // server's hands, then in the store, at the peer and at the consumer.
  out.Join();
  std::cout << "[   INFO   ] app calls done at " << MsSince(burst_start) << " ms: " << out.succeeded()
            << " succeeded, " << out.retries() << " retried after an error; errors: " << out.ErrorSummary() << "\n";
  EXPECT_TRUE(out.given_up().empty()) << out.given_up().size() << " sends never succeeded";
  ASSERT_TRUE(peer.WaitForOutput("echo-peer burst acked " + std::to_string(kIncoming), 60s)) << peer.output();

  struct StoreView {
    std::vector<std::string> incoming, outgoing, not_sent;
    std::map<std::string, int> echoes;  // "echo: out-..." body: copies
  };
  auto read_store = [&] {
    StoreView view;
    for (const auto& m : History(timd, kPeer)) {
      const std::string text = TextOf(m);
      if (!m.is_from_self() && StartsWith(text, "in-")) view.incoming.push_back(text);
      if (!m.is_from_self() && StartsWith(text, "echo: out-")) ++view.echoes[text];
      if (m.is_from_self() && StartsWith(text, "out-")) {
        view.outgoing.push_back(text);
        if (m.status() != tim::v1::MSG_SEND_SUCC) view.not_sent.push_back(text);
      }
    }
    return view;
  };
  // The peer answers each copy it gets: the store holds one echo per copy.
  auto echo_mismatches_in = [](const StoreView& store, const std::vector<std::string>& peer_copies) {
    std::map<std::string, int> sent;
    for (const auto& id : peer_copies) ++sent["echo: " + id];
    std::vector<std::string> mismatches;
    for (const auto& [echo, copies] : sent) {
      const int stored = store.echoes.count(echo) ? store.echoes.at(echo) : 0;
      if (stored != copies) {
        mismatches.push_back(echo + ": " + std::to_string(copies) + " sent, " + std::to_string(stored) + " stored");
      }
    }
    return mismatches;
  };
  auto complete = [](const std::vector<std::string>& seen, const std::set<std::string>& expected) {
    return CountCopies(Distinct(seen), expected).missing.empty();
  };
  EXPECT_TRUE(WaitUntil([&] { return complete(PeerCopies(peer, "out-"), outgoing); }, 30s));
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto s = read_store();
        return complete(s.incoming, incoming) && complete(s.outgoing, outgoing) && s.not_sent.empty() &&
               echo_mismatches_in(s, PeerCopies(peer, "out-")).empty();
      },
      60s, 500ms))
      << "the store did not catch up\n" << FileTail(timd.dir() + "/timd.log");
  EXPECT_TRUE(WaitUntil([&] { return complete(ViewOf(consumer.EventsByRun(), "in-").bodies, incoming); }, 30s, 500ms));
  std::this_thread::sleep_for(2s);  // late duplicates (offline storage, resends) would land here
  const auto stop = consumer.Stop();
  EXPECT_TRUE(stop && WIFEXITED(*stop) && WEXITSTATUS(*stop) == 0) << consumer.stderr_tail();

  const StoreView store = read_store();
  const CopyCount store_in = CountCopies(store.incoming, incoming);
  const CopyCount store_out = CountCopies(store.outgoing, outgoing);
  const std::vector<std::string> peer_copies = PeerCopies(peer, "out-");
  const CopyCount at_peer = CountCopies(Distinct(peer_copies), outgoing);
  const CopyCount peer_wire = CountCopies(peer_copies, outgoing);
  const auto consumer_runs = consumer.EventsByRun();
  const ConsumerView consumed = ViewOf(consumer_runs, "in-");
  const CopyCount at_consumer = CountCopies(consumed.bodies, incoming);
  // The app's own messages are announced once too, when they are sent.
  const CopyCount sent_at_consumer = CountCopies(ViewOf(consumer_runs, "out-").bodies, outgoing);
  const std::vector<std::string> echo_mismatches = echo_mismatches_in(store, peer_copies);

  std::cout << "[  FIGURES ] " << kIncoming << " incoming, " << kOutgoing << " outgoing, " << kills << " kills of timd, "
            << consumer.runs() << " consumer runs, " << MsSince(test_start) / 1000.0 << " s in all\n"
            << "[  FIGURES ] store: incoming lost " << store_in.missing.size() << ", duplicated "
            << store_in.extra_copies << "; outgoing lost " << store_out.missing.size() << ", duplicated "
            << store_out.extra_copies << ", not SEND_SUCC " << store.not_sent.size() << "; echoes not matching the "
            << "peer's copies " << echo_mismatches.size() << "\n"
            << "[  FIGURES ] peer: outgoing lost " << at_peer.missing.size() << ", duplicated (distinct origin-ids) "
            << at_peer.extra_copies << "; copies on the wire " << peer_copies.size() << " (" << peer_wire.extra_copies
            << " repeated an origin-id after a kill)\n"
            << "[  FIGURES ] durable consumer: incoming lost " << at_consumer.missing.size() << ", duplicated "
            << at_consumer.extra_copies << "; outgoing lost " << sent_at_consumer.missing.size() << ", duplicated "
            << sent_at_consumer.extra_copies << "; events redelivered under their seq after a kill "
            << consumed.redelivered_events << "; seq problems " << consumed.problems.size() << "\n"
            << "[  FIGURES ] app: " << out.succeeded() << " sends succeeded, " << out.retries()
            << " calls retried with the same key\n";

  EXPECT_TRUE(store_in.exact()) << "store, incoming:\n" << store_in.Describe();
  EXPECT_TRUE(store_out.exact()) << "store, outgoing:\n" << store_out.Describe();
  EXPECT_TRUE(store.not_sent.empty()) << store.not_sent.size() << " not SEND_SUCC, e.g. " << store.not_sent.front();
  EXPECT_TRUE(at_peer.exact()) << "peer:\n" << at_peer.Describe();
  EXPECT_TRUE(echo_mismatches.empty()) << Describe(echo_mismatches);
  EXPECT_TRUE(at_consumer.exact()) << "consumer, incoming:\n" << at_consumer.Describe();
  EXPECT_TRUE(sent_at_consumer.exact()) << "consumer, outgoing:\n" << sent_at_consumer.Describe();
  EXPECT_TRUE(consumed.problems.empty()) << Describe(consumed.problems);
  EXPECT_EQ(kills, 3);
}

}  // namespace
}  // namespace timd::test
