// timd_lifecycle_bench: connection lifecycle figures for timd.
//
// (a) Catch-up. timd, logged in as alice, receives one message from bob (so
// its archive cursor exists) and is stopped (SIGTERM). bob sends N messages
// meanwhile, which Prosody keeps in alice's archive (XEP-0313). timd starts
// again; measured from the spawn until all N arrived as NEW_MESSAGES on a
// Subscribe stream and the catch-up's CONV_EVENT FINISH came: wall time,
// timd's CPU seconds (utime+stime) and peak RSS (VmHWM), and whether every
// body arrived exactly once. Baselines in the same run: a raw MAM query of
// the same archive with the project's MamManager, in process (Prosody's and
// the XMPP stack's part), and a timd restart with nothing to catch up (the
// fixed cost of a start).
//
// (b) Reconnect after a server restart, on a fresh Prosody per backoff
// setting (alice's archive holds one message). With timd logged in and
// caught up, Prosody is restarted; measured from the moment it accepts connections again
// until timd reports NET_CONNECTED (and until the catch-up's FINISH) on a
// Subscribe stream, with the default reconnect backoff and a small
// --reconnect-base-ms. Each sample uses a fresh timd process, so the backoff
// starts at its first step as for a daemon whose connection had been up for a
// long time. Baselines: Prosody's own restart time and a fresh login by bob's
// client right after it.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.h"
#include "xmpp/mam.h"

namespace {

using namespace timd::bench;
using timd::test::ProsodyServer;
using Entry = EventLog::Entry;

// timd's MAM page size (domain::SessionOptions::mam_page_size), used by the
// raw MAM baseline too.
constexpr uint32_t kTimdMamPageSize = 100;

struct Settings {
  std::string timd_binary = TIMD_BINARY_PATH;
  uint64_t messages = 10000;  // backlog sent while timd is down
  int restarts = 5;           // Prosody restarts per backoff setting
  uint64_t small_base_ms = 50;
};

// True when `timd --help` lists `flag`.
bool TimdHasFlag(const std::string& binary, const std::string& flag) {
  FILE* help = popen(("'" + binary + "' --help 2>&1").c_str(), "r");
  if (!help) return false;
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, help)) > 0;) text.append(buf, n);
  pclose(help);
  return text.find(flag + " ") != std::string::npos;
}

double SecondsBetween(int64_t from_ns, int64_t to_ns) { return static_cast<double>(to_ns - from_ns) / 1e9; }

// ---------------------------------------------------------------------------
// (a) Catch-up
// ---------------------------------------------------------------------------

// Which messages of one run arrived, and how often.
class Tally {
 public:
  Tally(uint32_t run, uint64_t expected) : run_(run), seen_(expected, 0) {}

  void Count(const tim::v1::Event& event) {
    for (const std::string& body : TextBodies(event)) {
      auto stamp = ParseBody(body);
      if (!stamp || stamp->run != run_) continue;
      if (stamp->index >= seen_.size()) {
        ++stray_;
      } else if (seen_[stamp->index]++ == 0) {
        ++distinct_;
      } else {
        ++duplicates_;
      }
    }
  }

  bool complete() const { return distinct_ == seen_.size(); }
  // Empty when exactly the expected bodies arrived, each once.
  std::string Problems() const {
    std::string problems;
    if (!complete()) problems += std::to_string(seen_.size() - distinct_) + " missing; ";
    if (duplicates_ > 0) problems += std::to_string(duplicates_) + " duplicates; ";
    if (stray_ > 0) problems += std::to_string(stray_) + " unexpected bodies; ";
    return problems;
  }
  uint64_t distinct() const { return distinct_; }

 private:
  uint32_t run_;
  std::vector<uint32_t> seen_;
  uint64_t distinct_ = 0, duplicates_ = 0, stray_ = 0;
};

struct StartFigures {
  double logined_ms = 0;
  double messages_s = 0;   // spawn -> the last of the expected messages read
  double finish_s = 0;     // spawn -> the catch-up's CONV_EVENT FINISH read
  double cpu_s = 0;        // timd's utime+stime at that point
  long peak_rss_kb = 0;    // VmHWM
  long rss_kb = 0;         // VmRSS
  double prosody_cpu_s = 0;
  uint64_t distinct = 0;
  std::string problems;    // empty: exactly the expected bodies, each once
  std::string network_desc;
};

// Starts timd on its existing state and reads events after `since_seq` (set
// to the last seq read, for the next start) until `expected` messages of
// `run` and the catch-up's FINISH have arrived.
StartFigures MeasureStart(TimdLauncher& timd, std::optional<pid_t> prosody_pid, uint64_t& since_seq, uint32_t run,
                          uint64_t expected) {
  StartFigures f;
  const double prosody_cpu_before = prosody_pid ? ProcessCpuSeconds(*prosody_pid) : 0;
  const int64_t spawn_ns = RealtimeNs();
  f.logined_ms = timd.Start().logined_ms;
  EventLog log(timd.socket(), SubscribeTo({tim::v1::EVENT_KIND_NEW_MESSAGES, tim::v1::EVENT_KIND_CONV_EVENT},
                                          since_seq));
  Tally tally(run, expected);
  int64_t messages_ns = spawn_ns, finish_ns = 0;
  const auto timeout = std::chrono::seconds(120 + expected / 50);
  const auto done = log.WaitFor(
      [&](const Entry& entry) {
        const bool was_complete = tally.complete();
        tally.Count(entry.event);
        if (!was_complete && tally.complete()) messages_ns = entry.received_ns;
        if (IsConvFinish(entry.event) && finish_ns == 0) finish_ns = entry.received_ns;
        return tally.complete() && finish_ns != 0;
      },
      0, timeout);
  f.cpu_s = ProcessCpuSeconds(timd.pid());
  f.peak_rss_kb = PeakResidentKb(timd.pid());
  f.rss_kb = ResidentKb(timd.pid());
  if (prosody_pid) f.prosody_cpu_s = ProcessCpuSeconds(*prosody_pid) - prosody_cpu_before;
  f.messages_s = SecondsBetween(spawn_ns, messages_ns);
  f.finish_s = finish_ns ? SecondsBetween(spawn_ns, finish_ns) : 0;
  if (done) {
    // Late copies (say, from offline storage after the presence) would show
    // up as duplicates within this second.
    log.WaitFor(
        [&](const Entry& entry) {
          tally.Count(entry.event);
          return false;
        },
        *done + 1, std::chrono::seconds(1));
  }
  f.distinct = tally.distinct();
  f.problems = tally.Problems();
  if (!done) f.problems += "timed out after " + std::to_string(timeout.count()) + " s; ";
  if (auto status = ProbeLoginStatus(timd.socket())) f.network_desc = status->network_desc();
  since_seq = log.LastSeq();
  return f;
}

struct MamFigures {
  double login_ms = 0;
  double query_ms = 0;
  uint64_t messages = 0;      // archived chat messages returned
  uint64_t run_messages = 0;  // of which the backlog's
  uint32_t pages = 0;
  double prosody_cpu_s = 0;
  std::string error;
};

// Logs in as alice (own resource, no presence: offline storage stays put) and
// pages through her whole archive with MamManager, as timd's catch-up does.
MamFigures QueryArchive(const ProsodyServer& prosody, std::optional<pid_t> prosody_pid, uint32_t run) {
  MamFigures f;
  const double prosody_cpu_before = prosody_pid ? ProcessCpuSeconds(*prosody_pid) : 0;
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::unique_ptr<timd::xmpp::Client> client;
  std::unique_ptr<timd::xmpp::MamManager> mam;
  const auto start = Clock::now();
  Clock::time_point query_start;
  bool finished = false;
  auto finish = [&](const std::string& error) {
    f.error = error;
    finished = true;
    client->Disconnect();
  };
  timd::xmpp::Client::Callbacks callbacks;
  callbacks.on_online = [&](const timd::xmpp::Jid&) {
    f.login_ms = MsSince(start);
    query_start = Clock::now();
    timd::xmpp::MamCallbacks query;
    query.on_message = [&](const timd::xmpp::IncomingChat& chat) {
      ++f.messages;
      if (auto stamp = ParseBody(chat.body); stamp && stamp->run == run) ++f.run_messages;
    };
    query.on_page = [&](const std::string&, uint32_t) { ++f.pages; };
    query.on_done = [&](bool complete) {
      f.query_ms = MsSince(query_start);
      finish(complete ? "" : "the archive's end was not reached");
    };
    query.on_error = [&](const std::string& condition) { finish("MAM error " + condition); };
    mam->QueryArchive("", "", kTimdMamPageSize, std::move(query));
  };
  callbacks.on_closed = [&](const timd::xmpp::ClientCloseInfo& info) {
    if (!finished) f.error = std::string("connection ended: ") + timd::xmpp::ToString(info.error) + " " + info.detail;
  };
  client = std::make_unique<timd::xmpp::Client>(&loop, AccountOptions(prosody, "alice", kAlicePassword, "bench-mam"),
                                                callbacks);
  mam = std::make_unique<timd::xmpp::MamManager>(*client);
  RunClientLoop(&loop, client, mam);
  uv_loop_close(&loop);
  if (prosody_pid) f.prosody_cpu_s = ProcessCpuSeconds(*prosody_pid) - prosody_cpu_before;
  return f;
}

struct CatchUpFigures {
  double backlog_s = 0;  // bob: first send -> Prosody acknowledged all
  StartFigures catch_up;
  StartFigures empty_start;  // a start with nothing to catch up
  MamFigures mam;  // the raw MAM baseline, run before timd's catch-up
};

// Starts timd, lets bob send it one live message (so timd stores an archive
// cursor and later starts catch up from the archive) and stops timd again.
// Returns the seq of the last event read.
uint64_t SyncOnce(TimdLauncher& timd, XmppSender& bob) {
  Progress("first sync: one live message, so timd stores an archive cursor");
  timd.Start();
  uint64_t last_seq = 0;
  {
    EventLog log(timd.socket(), SubscribeTo({tim::v1::EVENT_KIND_NEW_MESSAGES}, 0));
    const uint32_t run = NextRunId();
    Tally tally(run, 1);
    bob.Send({run, 1, 0, 1, [] { return uint64_t{0}; }});
    auto index = log.WaitFor(
        [&](const Entry& entry) {
          tally.Count(entry.event);
          return tally.complete();
        },
        0, std::chrono::seconds(15));
    if (!index) throw std::runtime_error("timd did not receive the first message within 15 s");
    last_seq = log.LastSeq();
  }
  timd.Stop();
  return last_seq;
}

// On a Prosody of its own.
CatchUpFigures MeasureCatchUp(const Settings& settings) {
  CatchUpFigures f;
  ProsodyServer prosody;
  StartProsody(prosody);
  const std::optional<pid_t> prosody_pid = ProsodyPid(prosody);
  TimdLauncher timd(settings.timd_binary, prosody);
  XmppSender bob(BobOptions(prosody));
  bob.Start();
  uint64_t since_seq = SyncOnce(timd, bob);

  Progress("bob sends " + std::to_string(settings.messages) + " messages while timd is down");
  const uint32_t backlog_run = NextRunId();
  const auto send_start = Clock::now();
  bob.Send({backlog_run, settings.messages, 0, settings.messages, [] { return uint64_t{0}; }});
  if (!bob.WaitSent(std::chrono::seconds(600)) || !bob.WaitAcked(std::chrono::seconds(600))) {
    throw std::runtime_error("Prosody did not acknowledge the backlog");
  }
  f.backlog_s = MsSince(send_start) / 1e3;
  bob.Stop();

  Progress("baseline: raw MAM query of alice's archive");
  f.mam = QueryArchive(prosody, prosody_pid, backlog_run);
  Progress("timd start with the backlog");
  f.catch_up = MeasureStart(timd, prosody_pid, since_seq, backlog_run, settings.messages);
  timd.Stop();
  Progress("baseline: timd start with nothing to catch up");
  f.empty_start = MeasureStart(timd, prosody_pid, since_seq, NextRunId(), 0);
  timd.Stop();
  return f;
}

// ---------------------------------------------------------------------------
// (b) Reconnect after a Prosody restart
// ---------------------------------------------------------------------------

struct ReconnectSample {
  double restart_ms = 0;    // Prosody: SIGTERM -> accepting connections again
  double connected_ms = 0;  // accepting again -> NET_CONNECTED read
  double caught_up_ms = 0;  // accepting again -> the catch-up's FINISH read
  double failed_attempts = 0;  // NET_CONNECT_FAILED events in between
  double bob_login_ms = 0;  // bob's fresh login (TLS + SASL + bind) right after
};

bool HasNetworkStatus(const Entry& entry, tim::v1::NetworkStatus status) {
  return entry.event.has_network_status() && entry.event.network_status().status() == status;
}

size_t Await(EventLog& log, const EventLog::Predicate& pred, size_t from, const std::string& what) {
  auto index = log.WaitFor(pred, from, std::chrono::seconds(60));
  if (!index) throw std::runtime_error("no " + what + " within 60 s");
  return *index;
}

ReconnectSample MeasureReconnect(ProsodyServer& prosody, TimdLauncher& timd, uint64_t& since_seq) {
  ReconnectSample sample;
  timd.Start();
  EventLog log(timd.socket(), SubscribeTo({tim::v1::EVENT_KIND_NETWORK_STATUS, tim::v1::EVENT_KIND_CONV_EVENT},
                                          since_seq));
  auto is_finish = [](const Entry& entry) { return IsConvFinish(entry.event); };
  const size_t ready = Await(log, is_finish, 0, "catch-up FINISH after the start");

  const int64_t restart_ns = RealtimeNs();
  prosody.Restart();  // returns once the port accepts (polled every 20 ms)
  const int64_t up_ns = RealtimeNs();
  sample.restart_ms = static_cast<double>(up_ns - restart_ns) / 1e6;

  const size_t down = Await(log, [](const Entry& e) { return HasNetworkStatus(e, tim::v1::NET_DISCONNECTED); },
                            ready + 1, "NET_DISCONNECTED after the restart");
  const size_t connected = Await(
      log,
      [&](const Entry& e) {
        if (HasNetworkStatus(e, tim::v1::NET_CONNECT_FAILED)) ++sample.failed_attempts;
        return HasNetworkStatus(e, tim::v1::NET_CONNECTED);
      },
      down + 1, "NET_CONNECTED after the restart");
  const size_t finished = Await(log, is_finish, connected + 1, "catch-up FINISH after the reconnect");
  sample.connected_ms = static_cast<double>(log.At(connected).received_ns - up_ns) / 1e6;
  sample.caught_up_ms = static_cast<double>(log.At(finished).received_ns - up_ns) / 1e6;

  XmppSender bob(BobOptions(prosody));
  const auto login_start = Clock::now();
  bob.Start();
  sample.bob_login_ms = MsSince(login_start);
  bob.Stop();

  since_seq = log.LastSeq();
  timd.Stop();
  return sample;
}

struct ReconnectFigures {
  std::string backoff;  // description of the setting
  std::vector<ReconnectSample> samples;
};

// On a Prosody of its own, whose archive holds just the first message.
ReconnectFigures MeasureReconnects(const Settings& settings, const std::string& backoff,
                                   const std::vector<std::string>& extra_args) {
  ReconnectFigures figures{backoff, {}};
  ProsodyServer prosody;
  StartProsody(prosody);
  TimdLauncher timd(settings.timd_binary, prosody, extra_args);
  uint64_t since_seq = 0;
  {
    XmppSender bob(BobOptions(prosody));
    bob.Start();
    since_seq = SyncOnce(timd, bob);
  }
  for (int i = 0; i < settings.restarts; ++i) {
    Progress("Prosody restart " + std::to_string(i + 1) + " of " + std::to_string(settings.restarts) + ", backoff " +
             backoff);
    figures.samples.push_back(MeasureReconnect(prosody, timd, since_seq));
  }
  return figures;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

std::vector<double> Values(const std::vector<ReconnectSample>& samples, double ReconnectSample::*field) {
  std::vector<double> values;
  for (const auto& s : samples) values.push_back(s.*field);
  std::sort(values.begin(), values.end());
  return values;
}

std::string MinMedianMax(const std::vector<ReconnectSample>& samples, double ReconnectSample::*field) {
  const std::vector<double> values = Values(samples, field);
  if (values.empty()) return "-";
  return Format("min %.0f  median %.0f  max %.0f ms", values.front(), Median(values), values.back());
}

std::string Mb(long kb) { return Format("%.1f MB", static_cast<double>(kb) / 1024); }

void PrintCatchUp(const Settings& settings, const CatchUpFigures& f) {
  const auto& c = f.catch_up;
  const double n = static_cast<double>(settings.messages);
  std::printf("  (a) catch-up of a backlog after a restart\n");
  Row("bob sends the backlog while timd is down", Format("%.2f s (%.0f msg/s)", f.backlog_s, n / f.backlog_s),
      "until Prosody acknowledged every message (stored and archived)");
  Row("timd start -> all messages + FINISH read", Format("%.2f s", std::max(c.messages_s, c.finish_s)),
      Format("messages complete after %.2f s, FINISH after %.2f s, LOGINED after %.0f ms", c.messages_s, c.finish_s,
             c.logined_ms));
  Row("timd CPU (utime+stime) at that point", Format("%.2f s", c.cpu_s),
      Format("includes start-up; %.0f us per caught-up message", c.cpu_s * 1e6 / n));
  Row("timd peak RSS (VmHWM)", Mb(c.peak_rss_kb), "VmRSS afterwards: " + Mb(c.rss_kb));
  Row("Prosody CPU while timd started and caught up", Format("%.2f s", c.prosody_cpu_s));
  Row("messages on the Subscribe stream", Format("%.0f of %.0f", static_cast<double>(c.distinct), n),
      c.problems.empty() ? "each exactly once" : "ERROR: " + c.problems);
  Row("timd's network_desc afterwards", c.network_desc);
  std::printf("  baselines\n");
  const MamFigures& m = f.mam;
  Row("raw MAM query of the same archive, in process", Format("%.2f s (+ login %.0f ms)", m.query_ms / 1e3, m.login_ms),
      Format("MamManager asking for pages of %.0f like timd; %.0f messages in %.0f pages", kTimdMamPageSize,
             static_cast<double>(m.messages), m.pages) +
          (m.run_messages == settings.messages ? "" : "; INCOMPLETE") + (m.error.empty() ? "" : "; ERROR " + m.error));
  Row("Prosody CPU during the raw MAM query", Format("%.2f s", m.prosody_cpu_s));
  const auto& e = f.empty_start;
  Row("timd start with nothing new to catch up -> FINISH", Format("%.2f s", e.finish_s),
      Format("CPU %.2f s, peak RSS ", e.cpu_s) + Mb(e.peak_rss_kb) +
          "; same archive (two MAM queries after the cursor)" + (e.problems.empty() ? "" : "; ERROR " + e.problems));
}

void PrintReconnects(const Settings& settings, const std::vector<ReconnectFigures>& all) {
  std::printf("  (b) reconnect after a Prosody restart (%d restarts per setting; full jitter: each delay is uniform in "
              "[0, min(cap, base * 2^failures)])\n",
              settings.restarts);
  std::vector<ReconnectSample> every;
  for (const auto& r : all) {
    Row("backoff " + r.backoff + ":", "");
    Row("  Prosody accepting again -> NET_CONNECTED", MinMedianMax(r.samples, &ReconnectSample::connected_ms),
        Format("median %.0f failed attempts while Prosody was down",
               Median(Values(r.samples, &ReconnectSample::failed_attempts))));
    Row("  Prosody accepting again -> catch-up FINISH", MinMedianMax(r.samples, &ReconnectSample::caught_up_ms));
    every.insert(every.end(), r.samples.begin(), r.samples.end());
  }
  std::printf("  baselines\n");
  Row("Prosody restart: SIGTERM -> accepting again", MinMedianMax(every, &ReconnectSample::restart_ms),
      "the fixture polls the port every 20 ms");
  Row("bob's fresh login right after (TLS+SASL+bind)", MinMedianMax(every, &ReconnectSample::bob_login_ms),
      "the floor for a reconnect without backoff");
}

int RunBench(const Settings& settings) {
  const bool has_base_flag = TimdHasFlag(settings.timd_binary, "--reconnect-base-ms");
  std::printf("timd lifecycle benchmark: catch-up of %" PRIu64 " messages; %d Prosody restarts per backoff setting\n\n",
              settings.messages, settings.restarts);
  std::fflush(stdout);
  const std::string load_at_start = LoadAverage();

  const CatchUpFigures catch_up = MeasureCatchUp(settings);
  std::vector<ReconnectFigures> reconnects;
  reconnects.push_back(MeasureReconnects(settings, "default (timd's --help: base 1000 ms, cap 300000 ms)", {}));
  if (has_base_flag) {
    const std::string base = std::to_string(settings.small_base_ms);
    reconnects.push_back(MeasureReconnects(settings, "--reconnect-base-ms " + base, {"--reconnect-base-ms", base}));
  }
  Progress("done");

  TableHeader();
  PrintCatchUp(settings, catch_up);
  PrintReconnects(settings, reconnects);
  if (!has_base_flag) std::printf("\nThis timd has no --reconnect-base-ms flag: measured the default backoff only.\n");
  PrintMachineNote(load_at_start);
  const bool ok = catch_up.catch_up.problems.empty() && catch_up.empty_start.problems.empty();
  if (!ok) std::fprintf(stderr, "timd_lifecycle_bench: the catch-up did not deliver every message exactly once\n");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"timd lifecycle benchmark (catch-up after a restart, reconnect after a server restart)"};
  app.add_option("--timd", settings.timd_binary, "timd binary")->capture_default_str();
  app.add_option("--messages", settings.messages, "messages sent while timd is down")->capture_default_str();
  app.add_option("--restarts", settings.restarts, "Prosody restarts per backoff setting")->capture_default_str();
  app.add_option("--small-base-ms", settings.small_base_ms, "the small --reconnect-base-ms to measure")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timd_lifecycle_bench", [&] { return RunBench(settings); });
}
