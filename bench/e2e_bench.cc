// timd_e2e_bench: end-to-end figures for timd (issue #2).
//
// Starts a private Prosody (users alice and bob) and the timd binary logged
// in as alice, subscribes to NEW_MESSAGES over gRPC, and sends chat messages
// as bob with the project's own XMPP client. Each body carries its send time
// (CLOCK_REALTIME; every process runs on this machine), so a subscriber's
// receive time minus that stamp is the latency through Prosody and timd; the
// event's time_ms (when timd published it) splits off timd's delivery hop.
// Prints a table: latency with 1 and N subscribers, idle RSS, start-up time
// and timd's CPU time per received message, next to an in-process baseline
// (our own XMPP parse path on the same stanzas) and Prosody's own figures.
#include <CLI/CLI.hpp>

#include <signal.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.h"
#include "xmpp/chat.h"
#include "xmpp/xml_stream_parser.h"

namespace {

using namespace timd::bench;
using timd::test::ProsodyServer;

struct Settings {
  std::string timd_binary = TIMD_BINARY_PATH;
  uint64_t messages = 10000;
  // Paced below saturation (Prosody, timd and this bench share 2 cores), so
  // the latency runs show transit time rather than queueing.
  double rate = 500;          // msg/s, 1-subscriber latency run
  double fanout_rate = 250;   // msg/s, many-subscriber run
  uint64_t window = 200;      // max messages sent but not yet received by every subscriber
  int many_subscribers = 100;
  int restarts = 4;           // extra timd starts on existing state, for the start-up figure
  int queued_runs = 5;        // queued bursts; the CPU figure is their total
  int idle_seconds = 3;
};

// ---------------------------------------------------------------------------
// Baseline: our own XMPP parse path, in process
// ---------------------------------------------------------------------------

// The stanzas as Prosody delivers them to alice (from, stanza-id added).
std::string BuildInboundStream(uint64_t count) {
  std::string stream =
      "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
      "from='localhost' id='bench' version='1.0'>";
  for (uint64_t i = 0; i < count; ++i) {
    std::string id = "bench-origin-" + std::to_string(i);
    timd::xmpp::Element stanza = timd::xmpp::BuildChatMessage({"alice@localhost", id, MakeBody(1, i, RealtimeNs())});
    stanza.SetAttr("from", "bob@localhost/bench");
    stanza.AddChild(timd::xmpp::Element("stanza-id", "urn:xmpp:sid:0"))
        .SetAttr("by", "alice@localhost")
        .SetAttr("id", "sid-" + std::to_string(i) + "-Xq7bKp2LmN");
    stream += stanza.Serialize();
  }
  return stream;
}

// Feeds the stream in 4 KiB reads, like the TLS layer hands them over.
// Returns the number of chat messages parsed.
uint64_t ParseInboundStream(const std::string& stream) {
  uint64_t parsed = 0;
  timd::xmpp::XmlStreamParser::Callbacks callbacks;
  callbacks.on_stream_open = [](const auto&) {};
  callbacks.on_stanza = [&](timd::xmpp::Element stanza) {
    if (timd::xmpp::ParseChatMessage(stanza, "alice@localhost")) ++parsed;
  };
  callbacks.on_stream_close = [] {};
  callbacks.on_error = [](const std::string& reason) { throw std::runtime_error("baseline parse: " + reason); };
  timd::xmpp::XmlStreamParser parser(callbacks);
  constexpr size_t kChunk = 4096;
  for (size_t pos = 0; pos < stream.size(); pos += kChunk) {
    parser.Feed(std::string_view(stream).substr(pos, kChunk));
  }
  return parsed;
}

// CPU µs per message of XmlStreamParser + ParseChatMessage (after a warm pass).
double ParseBaselineUsPerMessage(uint64_t count) {
  const std::string stream = BuildInboundStream(count);
  ParseInboundStream(stream);
  int64_t start = ClockNs(CLOCK_THREAD_CPUTIME_ID);
  uint64_t parsed = ParseInboundStream(stream);
  int64_t used = ClockNs(CLOCK_THREAD_CPUTIME_ID) - start;
  if (parsed != count) throw std::runtime_error("baseline parsed " + std::to_string(parsed) + " messages");
  return static_cast<double>(used) / 1e3 / static_cast<double>(count);
}

// ---------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------

struct RunResult {
  Percentiles latency;
  Percentiles after_publish;
  uint64_t delivered = 0;          // messages every subscriber received
  double seconds = 0;
  double timd_cpu_us_per_msg = 0;
  double prosody_cpu_us_per_msg = 0;
  double timd_cpu_seconds = 0;
  uint64_t timd_written_bytes = 0;
};

RunResult MeasureRun(const Settings& settings, XmppSender& sender, SubscriberSet& subscribers, pid_t timd_pid,
                     std::optional<pid_t> prosody_pid, double rate) {
  const uint32_t run = NextRunId();
  subscribers.BeginRun(run);
  const double timd_cpu_before = ProcessCpuSeconds(timd_pid);
  const double prosody_cpu_before = prosody_pid ? ProcessCpuSeconds(*prosody_pid) : 0;
  const auto start = Clock::now();

  sender.Send({run, settings.messages, rate, settings.window, [&] { return subscribers.MinReceived(); }});
  // Bounded: the planned duration (burst: at 500 msg/s) plus 20 s.
  const double planned_s = static_cast<double>(settings.messages) / (rate > 0 ? rate : 500);
  const auto deadline = start + std::chrono::seconds(static_cast<int>(planned_s) + 20);
  WaitDelivered(subscribers, settings.messages, deadline);

  RunResult result;
  result.seconds = MsSince(start) / 1e3;
  result.delivered = subscribers.MinReceived();
  const double per_msg = 1e6 / static_cast<double>(std::max<uint64_t>(result.delivered, 1));
  result.timd_cpu_us_per_msg = (ProcessCpuSeconds(timd_pid) - timd_cpu_before) * per_msg;
  if (prosody_pid) result.prosody_cpu_us_per_msg = (ProcessCpuSeconds(*prosody_pid) - prosody_cpu_before) * per_msg;
  Latencies latencies = subscribers.AllLatencies();
  result.latency = ComputePercentiles(std::move(latencies.total_ns));
  result.after_publish = ComputePercentiles(std::move(latencies.after_publish_ns));
  if (!sender.WaitSent(std::chrono::seconds(1))) sender.AbortBatch();
  return result;
}

// timd's own processing cost when messages arrive faster than it reads them.
// Prosody routes ~1,200 msg/s here, far below what timd handles, so an
// unpaced send trickles in one stanza per wakeup. To measure a real burst,
// timd is stopped (SIGSTOP) while bob sends; Prosody acks bob's stanzas once
// it has routed them to alice's session, and they wait in the socket and in
// Prosody's send buffer. timd is then continued and its CPU time is counted
// until the subscriber has read every message.
RunResult MeasureQueuedBurst(const Settings& settings, XmppSender& sender, SubscriberSet& subscribers,
                             pid_t timd_pid) {
  const uint32_t run = NextRunId();
  subscribers.BeginRun(run);
  if (::kill(timd_pid, SIGSTOP) != 0) throw std::runtime_error("SIGSTOP timd failed");
  sender.Send({run, settings.messages, 0, settings.messages, [&] { return subscribers.MinReceived(); }});
  const bool acked = sender.WaitAcked(std::chrono::seconds(120));
  const double cpu_before = ThreadsCpuSeconds(timd_pid);
  const uint64_t written_before = ProcessWrittenBytes(timd_pid);
  const auto start = Clock::now();
  if (::kill(timd_pid, SIGCONT) != 0) throw std::runtime_error("SIGCONT timd failed");
  if (!acked) throw std::runtime_error("Prosody did not ack the queued burst within 120 s");
  WaitDelivered(subscribers, settings.messages, start + std::chrono::seconds(60));

  RunResult result;
  result.seconds = MsSince(start) / 1e3;
  result.delivered = subscribers.MinReceived();
  result.timd_cpu_seconds = ThreadsCpuSeconds(timd_pid) - cpu_before;
  result.timd_cpu_us_per_msg =
      result.timd_cpu_seconds * 1e6 / static_cast<double>(std::max<uint64_t>(result.delivered, 1));
  result.timd_written_bytes = ProcessWrittenBytes(timd_pid) - written_before;
  return result;
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

std::string RunNote(const RunResult& r, const Settings& settings, size_t subscribers) {
  std::string note = Format("%.0f msg in %.1f s (%.0f msg/s)", static_cast<double>(r.delivered), r.seconds,
                            static_cast<double>(r.delivered) / r.seconds);
  if (r.delivered < settings.messages) note += " INCOMPLETE";
  if (subscribers > 1) note += ", " + std::to_string(r.latency.samples) + " deliveries";
  return note;
}

void PrintLatency(const std::string& label, const RunResult& r, const Settings& settings, size_t subscribers) {
  Row(label, FormatPercentiles(r.latency), RunNote(r, settings, subscribers));
  Row("  of which timd: event published -> client read", FormatPercentiles(r.after_publish, 1),
      "commit + fan-out + gRPC; Event.time_ms, 1 ms resolution");
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

struct StartupFigures {
  TimdLauncher::StartTimes fresh;
  std::vector<double> serving_ms, logined_ms;  // starts on existing state
};

StartupFigures MeasureStartups(const Settings& settings, TimdLauncher& timd) {
  StartupFigures figures;
  figures.fresh = timd.Start();
  for (int i = 0; i < settings.restarts; ++i) {
    timd.Stop();
    auto times = timd.Start();
    figures.serving_ms.push_back(times.serving_ms);
    figures.logined_ms.push_back(times.logined_ms);
  }
  return figures;
}

struct IdleFigures {
  long timd_rss_kb = 0;
  long prosody_rss_kb = 0;
  double timd_cpu_percent = 0;
};

IdleFigures MeasureIdle(const Settings& settings, pid_t timd_pid, std::optional<pid_t> prosody_pid) {
  const double cpu_before = ProcessCpuSeconds(timd_pid);
  const auto until = Clock::now() + std::chrono::seconds(settings.idle_seconds);
  while (Clock::now() < until) Pause(std::chrono::milliseconds(50));
  IdleFigures idle;
  idle.timd_cpu_percent = (ProcessCpuSeconds(timd_pid) - cpu_before) * 100 / settings.idle_seconds;
  idle.timd_rss_kb = ResidentKb(timd_pid);
  if (prosody_pid) idle.prosody_rss_kb = ResidentKb(*prosody_pid);
  return idle;
}

struct Figures {
  std::string load_at_start;
  double parse_us = 0;
  // The same baseline after each queued burst: this VM's speed varies from
  // minute to minute, and the burst figures vary with it.
  std::vector<double> parse_after_burst_us;
  StartupFigures startup;
  IdleFigures idle;
  RunResult one, burst, many;
  std::vector<RunResult> queued;  // sorted by CPU per message
  long timd_after_runs_kb = 0;
  bool have_prosody = false;
};

Figures Measure(const Settings& settings) {
  Figures f;
  f.load_at_start = LoadAverage();
  Progress("parse baseline");
  f.parse_us = ParseBaselineUsPerMessage(settings.messages);

  Progress("starting Prosody");
  ProsodyServer prosody;
  StartProsody(prosody);

  TimdLauncher timd(settings.timd_binary, prosody);
  Progress("timd start-up");
  f.startup = MeasureStartups(settings, timd);
  const std::optional<pid_t> prosody_pid = ProsodyPid(prosody);
  f.have_prosody = prosody_pid.has_value();
  Progress("idle");
  f.idle = MeasureIdle(settings, timd.pid(), prosody_pid);

  XmppSender sender(BobOptions(prosody));
  sender.Start();
  {
    SubscriberSet subscribers(timd.socket(), 1);
    WarmUp(sender, subscribers);
    Progress("paced run, 1 subscriber");
    f.one = MeasureRun(settings, sender, subscribers, timd.pid(), prosody_pid, settings.rate);
    Progress("burst run, 1 subscriber");
    f.burst = MeasureRun(settings, sender, subscribers, timd.pid(), prosody_pid, 0);
    for (int i = 0; i < settings.queued_runs; ++i) {
      Progress("queued burst " + std::to_string(i + 1) + "/" + std::to_string(settings.queued_runs) +
               ", 1 subscriber");
      f.queued.push_back(MeasureQueuedBurst(settings, sender, subscribers, timd.pid()));
      f.parse_after_burst_us.push_back(ParseBaselineUsPerMessage(settings.messages));
    }
    std::sort(f.queued.begin(), f.queued.end(),
              [](const RunResult& a, const RunResult& b) { return a.timd_cpu_us_per_msg < b.timd_cpu_us_per_msg; });
  }
  {
    Progress("subscribing many");
    SubscriberSet subscribers(timd.socket(), settings.many_subscribers);
    WarmUp(sender, subscribers);
    Progress("paced run, many subscribers");
    f.many = MeasureRun(settings, sender, subscribers, timd.pid(), prosody_pid, settings.fanout_rate);
  }
  Progress("stopping");
  sender.Stop();
  f.timd_after_runs_kb = ResidentKb(timd.pid());
  timd.Stop();
  Progress("done");
  return f;
}

void PrintReport(const Settings& settings, const Figures& f) {
  const std::string many_label = std::to_string(settings.many_subscribers) + " subscribers";
  TableHeader();
  PrintLatency("latency bob->Prosody->timd->Subscribe, 1 subscriber", f.one, settings, 1);
  PrintLatency("latency, same path, " + many_label, f.many, settings, static_cast<size_t>(settings.many_subscribers));
  PrintLatency("latency, same path, 1 subscriber, unpaced burst", f.burst, settings, 1);
  Row("timd start -> API serving (fresh state)", Format("%.1f ms", f.startup.fresh.serving_ms),
      "spawn to first successful GetLoginStatus");
  Row("timd start -> API serving (existing state)", Format("%.1f ms", Median(f.startup.serving_ms)),
      "median of " + std::to_string(settings.restarts) + " restarts");
  Row("timd start -> LOGINED (fresh / existing state)",
      Format("%.1f / %.1f ms", f.startup.fresh.logined_ms, Median(f.startup.logined_ms)),
      "includes TLS + SASL with Prosody");
  Row("timd idle RSS (logged in, " + std::to_string(settings.idle_seconds) + " s idle)",
      Format("%.1f MB", static_cast<double>(f.idle.timd_rss_kb) / 1024),
      Format("after all runs: %.1f MB", static_cast<double>(f.timd_after_runs_kb) / 1024));
  Row("timd CPU while idle (logged in)", Format("%.1f %% of a core", f.idle.timd_cpu_percent));
  // All queued runs together: WAL checkpoints fall into some runs and not
  // others, so the total is the fair figure; the range shows the spread.
  double cpu_seconds = 0, seconds = 0;
  uint64_t delivered = 0, written = 0;
  for (const RunResult& r : f.queued) {
    cpu_seconds += r.timd_cpu_seconds;
    seconds += r.seconds;
    delivered += r.delivered;
    written += r.timd_written_bytes;
  }
  const double messages = static_cast<double>(std::max<uint64_t>(delivered, 1));
  Row("timd CPU per message, queued burst, 1 subscriber", Format("%.1f us", cpu_seconds * 1e6 / messages),
      Format("%.0f runs, each %.1f-%.1f; all threads: TLS, parse, SQLite, journal, delivery",
             static_cast<double>(f.queued.size()), f.queued.front().timd_cpu_us_per_msg,
             f.queued.back().timd_cpu_us_per_msg));
  Row("timd throughput, queued burst", Format("%.0f msg/s", static_cast<double>(delivered) / seconds),
      delivered < settings.messages * f.queued.size() ? "INCOMPLETE" : "timd continued -> subscriber read the last");
  Row("timd bytes written per message, queued burst", Format("%.0f B", static_cast<double>(written) / messages),
      "write(2) family: SQLite WAL + checkpoints, gRPC, XMPP acks");
  Row("timd CPU per message, unpaced burst, 1 subscriber", Format("%.1f us", f.burst.timd_cpu_us_per_msg),
      "one stanza per wakeup at Prosody's pace");
  Row("timd CPU per message, paced, 1 subscriber", Format("%.1f us", f.one.timd_cpu_us_per_msg));
  Row("timd CPU per message, paced, " + many_label, Format("%.1f us", f.many.timd_cpu_us_per_msg));
  std::printf("  baselines\n");
  const auto [fastest, slowest] = std::minmax_element(f.parse_after_burst_us.begin(), f.parse_after_burst_us.end());
  Row("XmlStreamParser + ParseChatMessage, in process", Format("%.1f us", f.parse_us),
      Format("CPU per message, same stanzas, no TLS; after each queued burst %.1f-%.1f", *fastest, *slowest));
  if (f.have_prosody) {
    Row("Prosody CPU per message (unpaced burst)", Format("%.1f us", f.burst.prosody_cpu_us_per_msg),
        "routing bob->alice incl. two archive writes");
    Row("Prosody idle RSS", Format("%.1f MB", static_cast<double>(f.idle.prosody_rss_kb) / 1024));
  }
  PrintMachineNote(f.load_at_start);
}

int RunBench(const Settings& settings) {
  std::printf("timd end-to-end benchmark: %" PRIu64 " messages per run; paced runs at %.0f msg/s (1 subscriber) "
              "and %.0f msg/s (%d subscribers); at most %" PRIu64 " in flight\n\n",
              settings.messages, settings.rate, settings.fanout_rate, settings.many_subscribers, settings.window);
  std::fflush(stdout);
  const Figures figures = Measure(settings);
  PrintReport(settings, figures);
  const bool complete = figures.one.delivered == settings.messages && figures.burst.delivered == settings.messages &&
                        std::all_of(figures.queued.begin(), figures.queued.end(),
                                    [&](const RunResult& r) { return r.delivered == settings.messages; }) &&
                        figures.many.delivered == settings.messages;
  return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"timd end-to-end benchmark (latency, RSS, start-up, CPU per message)"};
  app.add_option("--timd", settings.timd_binary, "timd binary")->capture_default_str();
  app.add_option("--messages", settings.messages, "messages per run")->capture_default_str();
  app.add_option("--rate", settings.rate, "send rate of the 1-subscriber latency run, msg/s")->capture_default_str();
  app.add_option("--fanout-rate", settings.fanout_rate, "send rate of the many-subscriber run, msg/s")
      ->capture_default_str();
  app.add_option("--window", settings.window, "max messages in flight")->capture_default_str();
  app.add_option("--subscribers", settings.many_subscribers, "subscribers of the fan-out run")->capture_default_str();
  app.add_option("--queued-runs", settings.queued_runs, "queued bursts (CPU per message: over all of them)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--idle", settings.idle_seconds, "seconds idle before reading RSS")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timd_e2e_bench", [&] { return RunBench(settings); });
}
