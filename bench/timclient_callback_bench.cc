// timclient_callback_bench: latency from a message reaching timd to the C
// callback (TIMAddRecvNewMsgCallback) in apps linked with libtimclient.
//
// Starts a private Prosody and timd logged in as alice, then 1 and then N
// app processes (callback_probe: libtimclient, its own timd_consumer, shared
// login as alice), each writing the CLOCK_REALTIME time at callback entry and
// the body of every message. bob sends paced messages whose bodies carry
// their send time (as in timd_e2e_bench), so callback time minus that stamp
// is the latency through Prosody, timd and the library. A raw gRPC Subscribe
// client in this process reads the same messages: its latency is the same
// path without libtimclient, so the difference is the library's share.
#include <CLI/CLI.hpp>
#include <sys/wait.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.h"

namespace {

using namespace timd::bench;
using timd::test::ChildProcess;
using timd::test::ProsodyServer;
using timd::test::TempDir;

struct Settings {
  std::string timd_binary = TIMD_BINARY_PATH;
  std::string probe_binary = CALLBACK_PROBE_PATH;
  uint64_t messages = 2000;
  // Paced below saturation (Prosody, timd, the apps and this bench share the
  // machine), so the figures show transit time rather than queueing.
  double rate = 300;      // msg/s
  uint64_t window = 200;  // max messages sent but not yet read by the raw subscriber
  int many_apps = 20;
};

// One callback_probe process and what it has written so far.
class ProbeApp {
 public:
  ProbeApp(const Settings& settings, const TimdLauncher& timd, const TempDir& dir, const std::string& consumer)
      : out_file_(dir.File(consumer + ".lines")), stdout_file_(dir.File(consumer + ".out")) {
    timd::test::WriteFile(out_file_, "");
    in_.open(out_file_, std::ios::binary);
    process_.Spawn({settings.probe_binary, "--socket", timd.socket(), "--consumer", consumer, "--user", "alice",
                    "--sig-file", timd.password_file(), "--out", out_file_},
                   stdout_file_);
  }

  bool ready() {
    CheckAlive();
    return timd::test::ReadFile(stdout_file_).find("ready\n") != std::string::npos;
  }

  void BeginRun(uint32_t run) {
    Poll();  // what belongs to earlier runs
    run_ = run;
    latencies_.clear();
  }

  // Reads the lines written since the last call; returns how many messages
  // of the current run the app has received.
  uint64_t Poll() {
    char buf[65536];
    for (;;) {
      in_.read(buf, sizeof buf);
      const auto n = in_.gcount();
      in_.clear();
      if (n <= 0) break;
      pending_.append(buf, static_cast<size_t>(n));
    }
    size_t start = 0;
    for (size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1) {
      long long callback_ns = 0;
      int body_at = 0;
      const std::string line = pending_.substr(start, end - start);
      if (std::sscanf(line.c_str(), "%lld %n", &callback_ns, &body_at) != 1) continue;
      if (auto stamp = ParseBody(line.substr(static_cast<size_t>(body_at))); stamp && stamp->run == run_) {
        latencies_.push_back(callback_ns - stamp->sent_ns);
      }
    }
    pending_.erase(0, start);
    return latencies_.size();
  }

  void CheckAlive() {
    if (auto status = process_.TryWait()) {
      throw std::runtime_error("callback_probe exited (" + timd::test::DescribeWaitStatus(*status) + "):\n" +
                               timd::test::FileTail(stdout_file_));
    }
  }

  // SIGTERM; false unless the app exited 0.
  bool Stop() {
    auto status = process_.Terminate(std::chrono::seconds(10));
    return status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
  }

  const std::vector<int64_t>& latencies() const { return latencies_; }
  pid_t pid() const { return process_.pid(); }

 private:
  std::string out_file_, stdout_file_;
  std::ifstream in_;
  std::string pending_;
  uint32_t run_ = 0;
  std::vector<int64_t> latencies_;  // callback entry - bob's send stamp, current run
  ChildProcess process_;
};

// The apps plus the raw Subscribe client: every message counts once all of
// them have it.
class Audience : public Receivers {
 public:
  Audience(const Settings& settings, const TimdLauncher& timd, int apps) : dir_("timclient-bench"), raw_(timd.socket(), 1) {
    for (int i = 0; i < apps; ++i) {
      const std::string consumer = "cbbench-" + std::to_string(apps) + "-" + std::to_string(i);
      apps_.push_back(std::make_unique<ProbeApp>(settings, timd, dir_, consumer));
    }
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    for (auto& app : apps_) {
      while (!app->ready()) {
        if (Clock::now() >= deadline) throw std::runtime_error("the apps did not log in within 30 s");
        Pause(std::chrono::milliseconds(10));
      }
    }
  }

  ~Audience() override {
    for (auto& app : apps_) {
      if (!app->Stop()) std::fprintf(stderr, "warning: a callback_probe did not exit cleanly\n");
    }
  }

  void BeginRun(uint32_t run) override {
    raw_.BeginRun(run);
    for (auto& app : apps_) app->BeginRun(run);
  }

  uint64_t MinReceived() override {
    uint64_t least = raw_.MinReceived();
    for (auto& app : apps_) least = std::min(least, app->Poll());
    return least;
  }

  void CheckAlive() override {
    raw_.CheckAlive();
    for (auto& app : apps_) app->CheckAlive();
  }

  SubscriberSet& raw() { return raw_; }
  const std::vector<std::unique_ptr<ProbeApp>>& apps() const { return apps_; }

  double AppsCpuSeconds() const {
    double total = 0;
    for (const auto& app : apps_) total += ProcessCpuSeconds(app->pid());
    return total;
  }

 private:
  TempDir dir_;
  SubscriberSet raw_;
  std::vector<std::unique_ptr<ProbeApp>> apps_;
};

struct PhaseFigures {
  int apps = 0;
  Percentiles callback;          // all apps' callbacks together
  Percentiles raw;               // the raw Subscribe client, same messages
  double app_p50_min_ms = 0, app_p50_max_ms = 0;  // spread of the per-app medians
  uint64_t delivered = 0;        // messages every app and the raw client received
  double seconds = 0;
  double timd_cpu_us_per_msg = 0;
  double app_cpu_us_per_msg = 0;  // per app and message
};

PhaseFigures MeasurePhase(const Settings& settings, const TimdLauncher& timd, XmppSender& sender, int apps) {
  Progress("starting " + std::to_string(apps) + " app(s)");
  Audience audience(settings, timd, apps);
  WarmUp(sender, audience);
  Progress("paced run, " + std::to_string(apps) + " app(s)");
  const uint32_t run = NextRunId();
  audience.BeginRun(run);
  const double timd_cpu_before = ProcessCpuSeconds(timd.pid());
  const double apps_cpu_before = audience.AppsCpuSeconds();
  const auto start = Clock::now();

  SubscriberSet& raw = audience.raw();
  sender.Send({run, settings.messages, settings.rate, settings.window, [&raw] { return raw.MinReceived(); }});
  const auto planned = std::chrono::seconds(static_cast<int>(static_cast<double>(settings.messages) / settings.rate));
  WaitDelivered(audience, settings.messages, start + planned + std::chrono::seconds(30));

  PhaseFigures f;
  f.apps = apps;
  f.seconds = MsSince(start) / 1e3;
  f.delivered = audience.MinReceived();
  const double messages = static_cast<double>(std::max<uint64_t>(f.delivered, 1));
  f.timd_cpu_us_per_msg = (ProcessCpuSeconds(timd.pid()) - timd_cpu_before) * 1e6 / messages;
  f.app_cpu_us_per_msg = (audience.AppsCpuSeconds() - apps_cpu_before) * 1e6 / messages / apps;
  std::vector<int64_t> all;
  std::vector<double> medians;
  for (const auto& app : audience.apps()) {
    all.insert(all.end(), app->latencies().begin(), app->latencies().end());
    medians.push_back(ComputePercentiles(app->latencies()).p50_ms);
  }
  f.callback = ComputePercentiles(std::move(all));
  f.app_p50_min_ms = *std::min_element(medians.begin(), medians.end());
  f.app_p50_max_ms = *std::max_element(medians.begin(), medians.end());
  f.raw = ComputePercentiles(raw.AllLatencies().total_ns);
  if (!sender.WaitSent(std::chrono::seconds(1))) sender.AbortBatch();
  return f;
}

void PrintPhase(const Settings& settings, const PhaseFigures& f) {
  const std::string apps = f.apps == 1 ? "1 app" : std::to_string(f.apps) + " apps";
  std::string note = Format("%.0f msg in %.1f s", static_cast<double>(f.delivered), f.seconds);
  if (f.delivered < settings.messages) note += " INCOMPLETE";
  note += ", " + std::to_string(f.callback.samples) + " callbacks";
  if (f.apps > 1) note += Format("; per-app p50 %.2f .. %.2f ms", f.app_p50_min_ms, f.app_p50_max_ms);
  Row("bob -> timd -> TIM callback, " + apps, FormatPercentiles(f.callback), note);
  Row("  baseline: raw gRPC Subscribe, same messages", FormatPercentiles(f.raw),
      "one stream in the bench driver, alongside the apps");
  Row("  libtimclient's share (p50 / p99)",
      Format("%+.2f / %+.2f ms", f.callback.p50_ms - f.raw.p50_ms, f.callback.p99_ms - f.raw.p99_ms));
  Row("  timd CPU per message", Format("%.1f us", f.timd_cpu_us_per_msg), "utime+stime, all streams");
  Row("  app CPU per message and app", Format("%.1f us", f.app_cpu_us_per_msg),
      "libtimclient + the probe's callback");
}

int RunBench(const Settings& settings) {
  std::printf("timclient callback benchmark: %" PRIu64 " messages per run, paced at %.0f msg/s, at most %" PRIu64
              " in flight; 1 app, then %d apps\n\n",
              settings.messages, settings.rate, settings.window, settings.many_apps);
  std::fflush(stdout);
  const std::string load_at_start = LoadAverage();
  Progress("starting Prosody and timd");
  ProsodyServer prosody;
  StartProsody(prosody);
  TimdLauncher timd(settings.timd_binary, prosody);
  timd.Start();
  XmppSender sender(BobOptions(prosody));
  sender.Start();
  std::vector<PhaseFigures> phases;
  for (int apps : {1, settings.many_apps}) phases.push_back(MeasurePhase(settings, timd, sender, apps));
  sender.Stop();
  timd.Stop();
  Progress("done");

  TableHeader();
  for (const auto& phase : phases) PrintPhase(settings, phase);
  std::printf("\nLatency: callback entry (or the raw client's read) minus bob's send stamp in the body, CLOCK_REALTIME "
              "on this machine; it includes Prosody's routing.\n");
  PrintMachineNote(load_at_start);
  const bool complete = std::all_of(phases.begin(), phases.end(),
                                    [&](const PhaseFigures& f) { return f.delivered == settings.messages; });
  return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"libtimclient callback latency benchmark (1 and N apps, against a raw Subscribe client)"};
  app.add_option("--timd", settings.timd_binary, "timd binary")->capture_default_str();
  app.add_option("--probe", settings.probe_binary, "callback_probe binary")->capture_default_str();
  app.add_option("--messages", settings.messages, "messages per run")->capture_default_str();
  app.add_option("--rate", settings.rate, "send rate, msg/s")->capture_default_str();
  app.add_option("--window", settings.window, "max messages in flight")->capture_default_str();
  app.add_option("--apps", settings.many_apps, "apps of the second run")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timclient_callback_bench", [&] { return RunBench(settings); });
}
