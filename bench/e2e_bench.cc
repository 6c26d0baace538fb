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
#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/loop_queue.h"
#include "support/child_process.h"
#include "support/prosody_fixture.h"
#include "support/temp_dir.h"
#include "tim/v1/timd.grpc.pb.h"
#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/xml_stream_parser.h"

namespace {

using Clock = std::chrono::steady_clock;
using timd::test::ChildProcess;
using timd::test::ProsodyServer;
using timd::test::TempDir;

constexpr const char* kDomain = ProsodyServer::kDomain;
constexpr const char* kAlicePassword = "alice-bench-pw";
constexpr const char* kBobPassword = "bob-bench-pw";
constexpr int kSubscribersPerChannel = 10;

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
  int idle_seconds = 3;
};

// ---------------------------------------------------------------------------
// Interruption: SIGINT/SIGTERM end the bench through an exception, so that
// every destructor runs (processes stopped, temp dirs removed).
// ---------------------------------------------------------------------------

std::atomic<bool> g_interrupted{false};

void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = [](int) { g_interrupted.store(true); };
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Every wait of the main thread sleeps through this.
void Pause(std::chrono::milliseconds duration) {
  if (g_interrupted.load()) throw std::runtime_error("interrupted");
  std::this_thread::sleep_for(duration);
}

// ---------------------------------------------------------------------------
// Clocks, /proc and statistics
// ---------------------------------------------------------------------------

int64_t ClockNs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Wall clock: comparable across processes and with the daemon's event time_ms.
int64_t RealtimeNs() { return ClockNs(CLOCK_REALTIME); }

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// utime + stime of all threads of `pid`, in seconds (clock-tick resolution).
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t paren = stat.rfind(')');
  if (paren == std::string::npos) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Fields after the command start at field 3 (state); utime is 14, stime 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// VmRSS of `pid` in kB; 0 when unknown.
long ResidentKb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

// The 1-minute load average: other work on the machine skews every figure.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one_minute;
  in >> one_minute;
  return one_minute;
}

// Progress on stderr, so a long run shows where it is.
void Progress(const char* step) {
  static const auto started = Clock::now();
  std::fprintf(stderr, "[%6.1f s] %s\n", MsSince(started) / 1e3, step);
}

struct Percentiles {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  size_t samples = 0;
};

Percentiles ComputePercentiles(std::vector<int64_t> ns) {
  Percentiles p;
  p.samples = ns.size();
  if (ns.empty()) return p;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(q * static_cast<double>(ns.size()) + 0.999999);
    return static_cast<double>(ns[std::clamp<size_t>(rank, 1, ns.size()) - 1]) / 1e6;
  };
  p.p50_ms = at(0.50);
  p.p99_ms = at(0.99);
  p.max_ms = static_cast<double>(ns.back()) / 1e6;
  return p;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// ---------------------------------------------------------------------------
// Message bodies: "e2e-bench r=<run> n=<index> t=<CLOCK_REALTIME ns>"
// ---------------------------------------------------------------------------

struct Stamp {
  uint32_t run = 0;
  int64_t sent_ns = 0;
};

std::string MakeBody(uint32_t run, uint64_t index, int64_t sent_ns) {
  return "e2e-bench r=" + std::to_string(run) + " n=" + std::to_string(index) +
         " t=" + std::to_string(sent_ns);
}

std::optional<Stamp> ParseBody(const std::string& body) {
  Stamp s;
  long long sent = 0;
  if (std::sscanf(body.c_str(), "e2e-bench r=%" SCNu32 " n=%*u t=%lld", &s.run, &sent) != 2) return std::nullopt;
  s.sent_ns = sent;
  return s;
}

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
// The timd process
// ---------------------------------------------------------------------------

std::shared_ptr<grpc::Channel> UnixChannel(const std::string& socket) {
  grpc::ChannelArguments args;
  // A private subchannel pool: a failed probe must not leave reconnect
  // back-off behind for the next probe or the subscribers.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("unix:" + socket, grpc::InsecureChannelCredentials(), args);
}

std::optional<tim::v1::GetLoginStatusResponse> ProbeLoginStatus(const std::string& socket) {
  auto stub = tim::v1::Timd::NewStub(UnixChannel(socket));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  tim::v1::GetLoginStatusResponse response;
  if (!stub->GetLoginStatus(&ctx, {}, &response).ok()) return std::nullopt;
  return response;
}

// Runs timd logged in as alice; the bench measures its start-up itself (1 ms
// polling), which is why it does not use the tests' TimdProcess.
class TimdLauncher {
 public:
  struct StartTimes {
    double serving_ms = 0;  // spawn -> first successful GetLoginStatus
    double logined_ms = 0;  // spawn -> GetLoginStatus says LOGINED
  };

  TimdLauncher(const Settings& settings, const ProsodyServer& prosody) : dir_("timd-bench") {
    std::filesystem::create_directories(dir_.File("state"));
    const std::string password_file = dir_.File("alice.password");
    timd::test::WriteFile(password_file, std::string(kAlicePassword) + "\n");
    ::chmod(password_file.c_str(), 0600);
    argv_ = {settings.timd_binary, "--domain", kDomain, "--host", "127.0.0.1",
             "--port", std::to_string(prosody.c2s_port()), "--ca-file", prosody.ca_file(),
             "--user", "alice", "--password-file", password_file,
             "--socket", socket(), "--state-dir", dir_.File("state"), "--log-level", "warn"};
  }

  StartTimes Start() {
    std::filesystem::remove(socket());
    const auto spawned = Clock::now();
    process_.Spawn(argv_, dir_.File("timd.log"));
    StartTimes times;
    times.serving_ms = WaitUntil(spawned, [](const auto&) { return true; });
    times.logined_ms = WaitUntil(spawned, [](const tim::v1::GetLoginStatusResponse& r) {
      return r.status() == tim::v1::LOGINED;
    });
    return times;
  }

  void Stop() {
    auto status = process_.Terminate(std::chrono::seconds(10));
    if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0) Fail("timd did not stop cleanly");
  }

  pid_t pid() const { return process_.pid(); }
  std::string socket() const { return dir_.File("timd.sock"); }

 private:
  template <typename Ready>
  double WaitUntil(Clock::time_point spawned, Ready ready) {
    const auto deadline = spawned + std::chrono::seconds(15);
    while (Clock::now() < deadline) {
      if (auto status = process_.TryWait()) Fail("timd exited (" + timd::test::DescribeWaitStatus(*status) + ")");
      if (std::filesystem::exists(socket())) {
        if (auto response = ProbeLoginStatus(socket()); response && ready(*response)) return MsSince(spawned);
      }
      Pause(std::chrono::milliseconds(1));
    }
    Fail("timd was not ready within 15 s");
    return 0;
  }

  [[noreturn]] void Fail(const std::string& what) {
    process_.Kill9();
    throw std::runtime_error(what + ":\n" + timd::test::FileTail(dir_.File("timd.log")));
  }

  TempDir dir_;
  std::vector<std::string> argv_;
  ChildProcess process_;
};

// ---------------------------------------------------------------------------
// Subscribers (gRPC callback API, one channel per 10 subscribers)
// ---------------------------------------------------------------------------

struct Latencies {
  std::vector<int64_t> total_ns;          // sent by bob -> read by the subscriber
  std::vector<int64_t> after_publish_ns;  // event published by timd (time_ms) -> read

  void Append(const Latencies& other) {
    total_ns.insert(total_ns.end(), other.total_ns.begin(), other.total_ns.end());
    after_publish_ns.insert(after_publish_ns.end(), other.after_publish_ns.begin(), other.after_publish_ns.end());
  }
};

class Subscriber : public grpc::ClientReadReactor<tim::v1::Event> {
 public:
  Subscriber(tim::v1::Timd::Stub* stub, const std::atomic<uint32_t>& current_run)
      : current_run_(current_run) {
    request_.add_kinds(tim::v1::EVENT_KIND_NEW_MESSAGES);
    stub->async()->Subscribe(&ctx_, &request_, this);
    StartRead(&event_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows
    const int64_t now = RealtimeNs();
    for (const auto& message : event_.new_messages().messages()) {
      for (const auto& elem : message.elems()) {
        if (auto stamp = ParseBody(elem.text().content()); stamp && stamp->run == current_run_.load()) {
          Record(now - stamp->sent_ns, now - event_.time_ms() * 1'000'000);
        }
      }
    }
    StartRead(&event_);
  }

  void OnDone(const grpc::Status& status) override {
    std::lock_guard lock(mu_);
    status_ = status;
    done_ = true;
    cv_.notify_all();
  }

  // Clears the figures of the previous run (call after switching the run id).
  void Reset() {
    std::lock_guard lock(mu_);
    latencies_ = {};
    received_.store(0);
  }

  uint64_t received() const { return received_.load(std::memory_order_acquire); }

  Latencies latencies() const {
    std::lock_guard lock(mu_);
    return latencies_;
  }

  std::optional<grpc::Status> EndStatus() const {
    std::lock_guard lock(mu_);
    return done_ ? std::optional(status_) : std::nullopt;
  }

  void CancelAndWait() {
    ctx_.TryCancel();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return done_; });
  }

 private:
  void Record(int64_t total_ns, int64_t after_publish_ns) {
    std::lock_guard lock(mu_);
    latencies_.total_ns.push_back(total_ns);
    latencies_.after_publish_ns.push_back(after_publish_ns);
    received_.fetch_add(1, std::memory_order_release);
  }

  const std::atomic<uint32_t>& current_run_;
  grpc::ClientContext ctx_;
  tim::v1::SubscribeRequest request_;
  tim::v1::Event event_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Latencies latencies_;
  std::atomic<uint64_t> received_{0};
  grpc::Status status_;
  bool done_ = false;
};

class SubscriberSet {
 public:
  SubscriberSet(const std::string& socket, int count) {
    for (int i = 0; i < count; ++i) {
      if (i % kSubscribersPerChannel == 0) stubs_.push_back(tim::v1::Timd::NewStub(UnixChannel(socket)));
      subscribers_.push_back(std::make_unique<Subscriber>(stubs_.back().get(), current_run_));
    }
  }
  ~SubscriberSet() {
    for (auto& s : subscribers_) s->CancelAndWait();
  }

  // Starts counting messages of `run` only.
  void BeginRun(uint32_t run) {
    current_run_.store(run);
    for (auto& s : subscribers_) s->Reset();
  }

  // Messages of the current run that every subscriber has received.
  uint64_t MinReceived() const {
    uint64_t least = UINT64_MAX;
    for (const auto& s : subscribers_) least = std::min(least, s->received());
    return least;
  }

  Latencies AllLatencies() const {
    Latencies all;
    for (const auto& s : subscribers_) all.Append(s->latencies());
    return all;
  }

  // Throws when a stream has ended: the figures would be meaningless.
  void CheckAlive() const {
    for (const auto& s : subscribers_) {
      if (auto status = s->EndStatus()) {
        throw std::runtime_error("a Subscribe stream ended: " + status->error_message());
      }
    }
  }

  size_t size() const { return subscribers_.size(); }

 private:
  std::atomic<uint32_t> current_run_{0};
  std::vector<std::unique_ptr<tim::v1::Timd::Stub>> stubs_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
};

// ---------------------------------------------------------------------------
// The sender: bob on the project's XMPP client, on a libuv loop in a thread
// ---------------------------------------------------------------------------

struct Batch {
  uint32_t run = 0;
  uint64_t count = 0;
  double rate = 0;      // msg/s; 0 = as fast as the window allows
  uint64_t window = 0;  // max sent - progress()
  std::function<uint64_t()> progress;
};

class XmppSender {
 public:
  explicit XmppSender(timd::xmpp::ClientOptions options) : options_(std::move(options)) {
    std::mt19937_64 random{std::random_device{}()};
    id_prefix_ = "bench-" + std::to_string(random() % 1000000000) + "-";
  }
  ~XmppSender() { Stop(); }

  // Connects as bob; throws unless online within 15 s.
  void Start() {
    thread_ = std::thread([this] { ThreadMain(); });
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, std::chrono::seconds(15), [&] { return online_ || closed_; }) || !online_) {
      throw std::runtime_error("sender could not log in as bob: " + close_detail_);
    }
  }

  // Starts sending `batch` on the loop; WaitSent() tells when all are out.
  void Send(Batch batch) {
    {
      std::lock_guard lock(mu_);
      batch_done_ = false;
    }
    queue_->Post([this, batch = std::move(batch)] {
      batch_ = batch;
      next_ = 0;
      batch_start_ns_ = RealtimeNs();
      uv_timer_start(&timer_, [](uv_timer_t* t) { static_cast<XmppSender*>(t->data)->OnTick(); }, 0, 1);
    });
  }

  bool WaitSent(std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return batch_done_ || closed_; }) && batch_done_;
  }

  // Stops an unfinished batch; its progress() is not called afterwards.
  void AbortBatch() {
    queue_->Post([this] {
      uv_timer_stop(&timer_);
      Notify([&] { batch_done_ = true; });
    });
    WaitSent(std::chrono::seconds(5));
  }

  void Stop() {
    if (!thread_.joinable()) return;
    queue_->Post([this] {
      stopping_ = true;
      client_->Disconnect();
    });
    thread_.join();
  }

 private:
  void ThreadMain() {
    uv_loop_init(&loop_);
    queue_ = std::make_unique<timd::LoopQueue>(&loop_);
    uv_timer_init(&loop_, &timer_);
    timer_.data = this;
    timd::xmpp::Client::Callbacks callbacks;
    callbacks.on_online = [this](const timd::xmpp::Jid&) { Notify([&] { online_ = true; }); };
    callbacks.on_closed = [this](const timd::xmpp::ClientCloseInfo& info) { OnClosed(info); };
    client_ = std::make_unique<timd::xmpp::Client>(&loop_, options_, callbacks);
    chat_ = std::make_unique<timd::xmpp::ChatManager>(*client_, [](const timd::xmpp::IncomingChat&) {});
    client_->AddHandler(chat_.get());
    client_->Connect();
    uv_run(&loop_, UV_RUN_DEFAULT);
    chat_.reset();
    client_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);  // let the client's handles close
    uv_loop_close(&loop_);
  }

  void OnClosed(const timd::xmpp::ClientCloseInfo& info) {
    if (closed_) return;
    if (!stopping_) spdlog::error("sender connection lost ({}): {}", timd::xmpp::ToString(info.error), info.detail);
    Notify([&] {
      closed_ = true;
      close_detail_ = std::string(timd::xmpp::ToString(info.error)) + " " + info.detail;
    });
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_), nullptr);
    queue_->Close();
  }

  // Sends what the rate and the window allow now.
  void OnTick() {
    uint64_t target = batch_.count;
    if (batch_.rate > 0) {
      double elapsed_s = static_cast<double>(RealtimeNs() - batch_start_ns_) / 1e9;
      target = std::min(target, static_cast<uint64_t>(elapsed_s * batch_.rate) + 1);
    }
    target = std::min(target, batch_.progress() + batch_.window);
    for (; next_ < target; ++next_) {
      std::string id = id_prefix_ + std::to_string(batch_.run) + "-" + std::to_string(next_);
      chat_->Send({std::string("alice@") + kDomain, id, MakeBody(batch_.run, next_, RealtimeNs())});
    }
    if (next_ == batch_.count) {
      uv_timer_stop(&timer_);
      Notify([&] { batch_done_ = true; });
    }
  }

  template <typename Change>
  void Notify(Change change) {
    std::lock_guard lock(mu_);
    change();
    cv_.notify_all();
  }

  timd::xmpp::ClientOptions options_;
  std::string id_prefix_;
  std::thread thread_;
  // Loop thread only.
  uv_loop_t loop_{};
  uv_timer_t timer_{};
  std::unique_ptr<timd::LoopQueue> queue_;
  std::unique_ptr<timd::xmpp::Client> client_;
  std::unique_ptr<timd::xmpp::ChatManager> chat_;
  Batch batch_;
  uint64_t next_ = 0;
  int64_t batch_start_ns_ = 0;
  bool stopping_ = false;
  // Shared with the main thread.
  std::mutex mu_;
  std::condition_variable cv_;
  bool online_ = false;
  bool closed_ = false;
  bool batch_done_ = true;
  std::string close_detail_;
};

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
};

// Prosody writes its pidfile a little after it starts listening.
std::optional<pid_t> ProsodyPid(const ProsodyServer& prosody) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::ifstream in(prosody.dir() + "/prosody.pid");
    pid_t pid = 0;
    if (in >> pid && pid > 0) return pid;
    Pause(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

uint32_t NextRunId() {
  static uint32_t run = 0;
  return ++run;
}

bool WaitDelivered(const SubscriberSet& subscribers, uint64_t count, Clock::time_point deadline) {
  while (subscribers.MinReceived() < count) {
    if (Clock::now() >= deadline) return false;
    subscribers.CheckAlive();
    Pause(std::chrono::milliseconds(1));
  }
  return true;
}

// Sends single messages until every subscriber has one: proves all streams
// are live before measuring (a Subscribe without since_seq starts "now").
void WarmUp(XmppSender& sender, SubscriberSet& subscribers) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    uint32_t run = NextRunId();
    subscribers.BeginRun(run);
    sender.Send({run, 1, 0, 1, [] { return uint64_t{0}; }});
    if (WaitDelivered(subscribers, 1, Clock::now() + std::chrono::milliseconds(300))) return;
  }
  throw std::runtime_error("subscribers did not receive the warm-up message within 10 s");
}

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

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

void Row(const std::string& figure, const std::string& value, const std::string& note = "") {
  std::printf("  %-50s %-28s %s\n", figure.c_str(), value.c_str(), note.c_str());
}

std::string Format(const char* format, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

std::string RunNote(const RunResult& r, const Settings& settings, size_t subscribers) {
  std::string note = Format("%.0f msg in %.1f s (%.0f msg/s)", static_cast<double>(r.delivered), r.seconds,
                            static_cast<double>(r.delivered) / r.seconds);
  if (r.delivered < settings.messages) note += " INCOMPLETE";
  if (subscribers > 1) note += ", " + std::to_string(r.latency.samples) + " deliveries";
  return note;
}

void PrintLatency(const std::string& label, const RunResult& r, const Settings& settings, size_t subscribers) {
  Row(label, Format("p50 %.2f  p99 %.2f  max %.1f ms", r.latency.p50_ms, r.latency.p99_ms, r.latency.max_ms),
      RunNote(r, settings, subscribers));
  const Percentiles& hop = r.after_publish;
  Row("  of which timd: event published -> client read", Format("p50 %.1f  p99 %.1f  max %.1f ms", hop.p50_ms,
                                                               hop.p99_ms, hop.max_ms),
      "commit + fan-out + gRPC; Event.time_ms, 1 ms resolution");
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

timd::xmpp::ClientOptions BobOptions(const ProsodyServer& prosody) {
  timd::xmpp::ClientOptions options;
  options.transport.host = "127.0.0.1";
  options.transport.port = prosody.c2s_port();
  options.transport.tls_server_name = kDomain;
  options.transport.ca_file = prosody.ca_file();
  options.domain = kDomain;
  options.username = "bob";
  options.password = kBobPassword;
  options.resource = "bench";
  // Fewer <r/> round trips: the sender's acks are not what is measured.
  options.ack_request_delay_ms = 200;
  return options;
}

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
  StartupFigures startup;
  IdleFigures idle;
  RunResult one, burst, many;
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
  prosody.Start();
  prosody.AddUser("alice", kAlicePassword);
  prosody.AddUser("bob", kBobPassword);

  TimdLauncher timd(settings, prosody);
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
  std::printf("  %-50s %-28s %s\n", "figure", "value", "notes");
  std::printf("  %s\n", std::string(120, '-').c_str());
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
  Row("timd CPU per message, unpaced burst, 1 subscriber", Format("%.1f us", f.burst.timd_cpu_us_per_msg),
      "utime+stime; TLS, parse, SQLite, journal, delivery");
  Row("timd CPU per message, paced, 1 subscriber", Format("%.1f us", f.one.timd_cpu_us_per_msg));
  Row("timd CPU per message, paced, " + many_label, Format("%.1f us", f.many.timd_cpu_us_per_msg));
  std::printf("  baselines\n");
  Row("XmlStreamParser + ParseChatMessage, in process", Format("%.1f us", f.parse_us),
      "CPU per message, same stanzas, no TLS");
  if (f.have_prosody) {
    Row("Prosody CPU per message (unpaced burst)", Format("%.1f us", f.burst.prosody_cpu_us_per_msg),
        "routing bob->alice incl. two archive writes");
    Row("Prosody idle RSS", Format("%.1f MB", static_cast<double>(f.idle.prosody_rss_kb) / 1024));
  }
  std::printf("\nCPU figures come from /proc/<pid>/stat (resolution %ld ticks/s). Load average (1 min) at start "
              "%s, at end %s on %ld CPUs.\n",
              sysconf(_SC_CLK_TCK), f.load_at_start.c_str(), LoadAverage().c_str(), sysconf(_SC_NPROCESSORS_ONLN));
}

int RunBench(const Settings& settings) {
  std::printf("timd end-to-end benchmark: %" PRIu64 " messages per run; paced runs at %.0f msg/s (1 subscriber) "
              "and %.0f msg/s (%d subscribers); at most %" PRIu64 " in flight\n\n",
              settings.messages, settings.rate, settings.fanout_rate, settings.many_subscribers, settings.window);
  std::fflush(stdout);
  const Figures figures = Measure(settings);
  PrintReport(settings, figures);
  const bool complete = figures.one.delivered == settings.messages && figures.burst.delivered == settings.messages &&
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
  app.add_option("--idle", settings.idle_seconds, "seconds idle before reading RSS")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  InstallInterruptHandlers();
  try {
    return RunBench(settings);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "timd_e2e_bench failed: %s\n", e.what());
    return 2;
  }
}
