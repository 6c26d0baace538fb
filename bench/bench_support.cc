// Over 500 lines: the shared parts of every bench (Prosody, timd, senders,
// subscribers, CPU and latency figures); each is used by several benches.
#include "bench_support.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <sstream>
#include <stdexcept>

namespace timd::bench {

using test::ProsodyServer;

// ---------------------------------------------------------------------------
// Interruption
// ---------------------------------------------------------------------------

namespace {
std::atomic<bool> g_interrupted{false};
}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = [](int) { g_interrupted.store(true); };
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void CheckInterrupted() {
  if (g_interrupted.load()) throw std::runtime_error("interrupted");
}

void Pause(std::chrono::milliseconds duration) {
  CheckInterrupted();
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

int64_t RealtimeNs() { return ClockNs(CLOCK_REALTIME); }

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

uint64_t ProcessWrittenBytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/io");
  std::string key;
  uint64_t value = 0;
  while (in >> key >> value) {
    if (key == "wchar:") return value;
  }
  throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/io");
}

double ThreadsCpuSeconds(pid_t pid) {
  uint64_t total_ns = 0;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream in(task.path() / "schedstat");
    uint64_t run_ns = 0;
    if (in >> run_ns) total_ns += run_ns;
  }
  return static_cast<double>(total_ns) / 1e9;
}

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

long StatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  const std::string prefix = field + ":";
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  }
  return 0;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one_minute;
  in >> one_minute;
  return one_minute;
}

void Progress(const std::string& step) {
  static const auto started = Clock::now();
  std::fprintf(stderr, "[%6.1f s] %s\n", MsSince(started) / 1e3, step.c_str());
}

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
// Message bodies
// ---------------------------------------------------------------------------

std::string MakeBody(uint32_t run, uint64_t index, int64_t sent_ns) {
  return "e2e-bench r=" + std::to_string(run) + " n=" + std::to_string(index) +
         " t=" + std::to_string(sent_ns);
}

std::optional<Stamp> ParseBody(const std::string& body) {
  Stamp s;
  long long sent = 0;
  if (std::sscanf(body.c_str(), "e2e-bench r=%" SCNu32 " n=%" SCNu64 " t=%lld", &s.run, &s.index, &sent) != 3) {
    return std::nullopt;
  }
  s.sent_ns = sent;
  return s;
}

std::vector<std::string> TextBodies(const tim::v1::Event& event) {
  std::vector<std::string> bodies;
  for (const auto& message : event.new_messages().messages()) {
    for (const auto& elem : message.elems()) {
      if (elem.has_text()) bodies.push_back(elem.text().content());
    }
  }
  return bodies;
}

uint32_t NextRunId() {
  static std::atomic<uint32_t> run{0};
  return ++run;
}

int RunGuarded(const char* bench_name, const std::function<int()>& bench) {
  spdlog::set_level(spdlog::level::warn);
  InstallInterruptHandlers();
  try {
    return bench();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s failed: %s\n", bench_name, e.what());
    return 2;
  }
}

// ---------------------------------------------------------------------------
// Prosody and XMPP accounts
// ---------------------------------------------------------------------------

void StartProsody(ProsodyServer& prosody) {
  prosody.Start();
  prosody.AddUser("alice", kAlicePassword);
  prosody.AddUser("bob", kBobPassword);
}

std::optional<pid_t> ProsodyPid(const ProsodyServer& prosody) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::ifstream in(prosody.dir() + "/prosody.pid");
    pid_t pid = 0;
    if (in >> pid && pid > 0) return pid;
    Pause(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

xmpp::ClientOptions AccountOptions(const ProsodyServer& prosody, const std::string& user,
                                   const std::string& password, const std::string& resource) {
  xmpp::ClientOptions options;
  options.transport.host = "127.0.0.1";
  options.transport.port = prosody.c2s_port();
  options.transport.tls_server_name = kDomain;
  options.transport.ca_file = prosody.ca_file();
  options.domain = kDomain;
  options.username = user;
  options.password = password;
  options.resource = resource;
  return options;
}

xmpp::ClientOptions BobOptions(const ProsodyServer& prosody) {
  xmpp::ClientOptions options = AccountOptions(prosody, "bob", kBobPassword, "bench");
  // Fewer <r/> round trips: the sender's acks are not what is measured.
  options.ack_request_delay_ms = 200;
  return options;
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
  auto stub = std::make_unique<timd::ApiStubs>(UnixChannel(socket));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  tim::v1::GetLoginStatusResponse response;
  if (!stub->session->GetLoginStatus(&ctx, {}, &response).ok()) return std::nullopt;
  return response;
}

TimdLauncher::TimdLauncher(const std::string& binary, const ProsodyServer& prosody,
                           const std::vector<std::string>& extra_args, const std::string& user)
    : dir_("timd-bench") {
  std::filesystem::create_directories(dir_.File("state"));
  test::WriteFile(password_file(), std::string(user == "bob" ? kBobPassword : kAlicePassword) + "\n");
  ::chmod(password_file().c_str(), 0600);
  argv_ = {binary, "--domain", kDomain, "--host", "127.0.0.1",
           "--port", std::to_string(prosody.c2s_port()), "--ca-file", prosody.ca_file(),
           "--user", user, "--password-file", password_file(),
           "--socket", socket(), "--state-dir", dir_.File("state"), "--log-level", "warn",
           // The fan-out runs many subscribers as one uid.
           "--api-max-subscribers-per-caller", "1000"};
  argv_.insert(argv_.end(), extra_args.begin(), extra_args.end());
}

TimdLauncher::StartTimes TimdLauncher::Start() {
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

void TimdLauncher::Stop() {
  auto status = process_.Terminate(std::chrono::seconds(10));
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0) Fail("timd did not stop cleanly");
}

template <typename Ready>
double TimdLauncher::WaitUntil(Clock::time_point spawned, Ready ready) {
  const auto deadline = spawned + std::chrono::seconds(15);
  while (Clock::now() < deadline) {
    if (auto status = process_.TryWait()) Fail("timd exited (" + test::DescribeWaitStatus(*status) + ")");
    if (std::filesystem::exists(socket())) {
      if (auto response = ProbeLoginStatus(socket()); response && ready(*response)) return MsSince(spawned);
    }
    Pause(std::chrono::milliseconds(1));
  }
  Fail("timd was not ready within 15 s");
}

void TimdLauncher::Fail(const std::string& what) {
  process_.Kill9();
  throw std::runtime_error(what + ":\n" + test::FileTail(dir_.File("timd.log")));
}

// ---------------------------------------------------------------------------
// Subscribe streams
// ---------------------------------------------------------------------------

tim::v1::SubscribeRequest SubscribeTo(std::initializer_list<tim::v1::EventKind> kinds,
                                      std::optional<uint64_t> since_seq) {
  tim::v1::SubscribeRequest request;
  for (auto kind : kinds) request.add_kinds(kind);
  if (since_seq) request.set_since_seq(*since_seq);
  return request;
}

EventStream::EventStream(timd::ApiStubs* stub, const tim::v1::SubscribeRequest& request, Handler handler)
    : handler_(std::move(handler)), request_(request) {
  stub->events->async()->Subscribe(&ctx_, &request_, this);
  StartRead(&event_);
  StartCall();
}

void EventStream::OnReadDone(bool ok) {
  if (!ok) return;  // OnDone follows
  handler_(event_, RealtimeNs());
  StartRead(&event_);
}

void EventStream::OnDone(const grpc::Status& status) {
  std::lock_guard lock(mu_);
  status_ = status;
  done_ = true;
  cv_.notify_all();
}

std::optional<grpc::Status> EventStream::EndStatus() const {
  std::lock_guard lock(mu_);
  return done_ ? std::optional(status_) : std::nullopt;
}

void EventStream::CancelAndWait() {
  ctx_.TryCancel();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return done_; });
}

EventLog::EventLog(const std::string& socket, const tim::v1::SubscribeRequest& request)
    : stub_(std::make_unique<timd::ApiStubs>(UnixChannel(socket))) {
  stream_ = std::make_unique<EventStream>(stub_.get(), request, [this](const tim::v1::Event& event, int64_t now) {
    std::lock_guard lock(mu_);
    entries_.push_back({event, now});
    cv_.notify_all();
  });
}

std::optional<size_t> EventLog::WaitFor(const Predicate& pred, size_t from, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock lock(mu_);
  for (size_t index = from;; ++index) {
    while (index >= entries_.size()) {
      if (auto status = stream_->EndStatus()) {
        throw std::runtime_error("the Subscribe stream ended: " + status->error_message());
      }
      if (Clock::now() >= deadline) return std::nullopt;
      CheckInterrupted();
      cv_.wait_for(lock, std::chrono::milliseconds(50));
    }
    if (pred(entries_[index])) return index;
  }
}

EventLog::Entry EventLog::At(size_t index) const {
  std::lock_guard lock(mu_);
  return entries_.at(index);
}

uint64_t EventLog::LastSeq() const {
  std::lock_guard lock(mu_);
  return entries_.empty() ? 0 : entries_.back().event.seq();
}

bool IsConvFinish(const tim::v1::Event& event) {
  return event.has_conv_event() && event.conv_event().type() == tim::v1::CONV_EVENT_FINISH;
}

void Latencies::Append(const Latencies& other) {
  total_ns.insert(total_ns.end(), other.total_ns.begin(), other.total_ns.end());
  after_publish_ns.insert(after_publish_ns.end(), other.after_publish_ns.begin(), other.after_publish_ns.end());
}

Subscriber::Subscriber(timd::ApiStubs* stub, const std::atomic<uint32_t>& current_run)
    : current_run_(current_run) {
  stream_ = std::make_unique<EventStream>(stub, SubscribeTo({tim::v1::EVENT_KIND_NEW_MESSAGES}),
                                          [this](const tim::v1::Event& event, int64_t now) { OnEvent(event, now); });
}

void Subscriber::OnEvent(const tim::v1::Event& event, int64_t now_ns) {
  for (const std::string& body : TextBodies(event)) {
    auto stamp = ParseBody(body);
    if (!stamp || stamp->run != current_run_.load()) continue;
    std::lock_guard lock(mu_);
    latencies_.total_ns.push_back(now_ns - stamp->sent_ns);
    latencies_.after_publish_ns.push_back(now_ns - event.time_ms() * 1'000'000);
    received_.fetch_add(1, std::memory_order_release);
  }
}

void Subscriber::Reset() {
  std::lock_guard lock(mu_);
  latencies_ = {};
  received_.store(0);
}

Latencies Subscriber::latencies() const {
  std::lock_guard lock(mu_);
  return latencies_;
}

SubscriberSet::SubscriberSet(const std::string& socket, int count) {
  constexpr int kSubscribersPerChannel = 10;
  for (int i = 0; i < count; ++i) {
    if (i % kSubscribersPerChannel == 0) stubs_.push_back(std::make_unique<timd::ApiStubs>(UnixChannel(socket)));
    subscribers_.push_back(std::make_unique<Subscriber>(stubs_.back().get(), current_run_));
  }
}

void SubscriberSet::BeginRun(uint32_t run) {
  current_run_.store(run);
  for (auto& s : subscribers_) s->Reset();
}

uint64_t SubscriberSet::MinReceived() {
  uint64_t least = UINT64_MAX;
  for (const auto& s : subscribers_) least = std::min(least, s->received());
  return least;
}

Latencies SubscriberSet::AllLatencies() const {
  Latencies all;
  for (const auto& s : subscribers_) all.Append(s->latencies());
  return all;
}

void SubscriberSet::CheckAlive() {
  for (const auto& s : subscribers_) {
    if (auto status = s->EndStatus()) throw std::runtime_error("a Subscribe stream ended: " + status->error_message());
  }
}

// ---------------------------------------------------------------------------
// The sender
// ---------------------------------------------------------------------------

XmppSender::XmppSender(xmpp::ClientOptions options)
    : options_(std::move(options)), random_ids_(std::random_device{}()) {}

std::string XmppSender::NextId() {
  // Random 128-bit ids, as real clients use (UUIDs): the receiver's id index
  // sees random inserts, not the cheap appends sequential ids would give.
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(random_ids_()),
                static_cast<unsigned long long>(random_ids_()));
  return id;
}

void XmppSender::Start() {
  thread_ = std::thread([this] { ThreadMain(); });
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, std::chrono::seconds(15), [&] { return online_ || closed_; }) || !online_) {
    throw std::runtime_error("sender could not log in as " + options_.username + ": " + close_detail_);
  }
}

void XmppSender::Send(Batch batch) {
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

bool XmppSender::WaitSent(std::chrono::seconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return batch_done_ || closed_; }) && batch_done_;
}

bool XmppSender::WaitAcked(std::chrono::seconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return (batch_done_ && acked_seq_ >= sent_seq_) || closed_; }) &&
         !closed_;
}

void XmppSender::AbortBatch() {
  queue_->Post([this] {
    uv_timer_stop(&timer_);
    Notify([&] { batch_done_ = true; });
  });
  WaitSent(std::chrono::seconds(5));
}

void XmppSender::Stop() {
  if (!thread_.joinable()) return;
  queue_->Post([this] {
    stopping_ = true;
    client_->Disconnect();
  });
  thread_.join();
}

void XmppSender::ThreadMain() {
  uv_loop_init(&loop_);
  queue_ = std::make_unique<LoopQueue>(&loop_);
  uv_timer_init(&loop_, &timer_);
  timer_.data = this;
  xmpp::Client::Callbacks callbacks;
  callbacks.on_online = [this](const xmpp::Jid&) { Notify([&] { online_ = true; }); };
  callbacks.on_closed = [this](const xmpp::ClientCloseInfo& info) { OnClosed(info); };
  callbacks.on_acked = [this](uint64_t handled) { Notify([&] { acked_seq_ = handled; }); };
  client_ = std::make_unique<xmpp::Client>(&loop_, options_, callbacks);
  chat_ = std::make_unique<xmpp::ChatManager>(*client_, [](const xmpp::IncomingChat&) {});
  RunClientLoop(&loop_, client_, chat_);
  uv_loop_close(&loop_);
}

void XmppSender::OnClosed(const xmpp::ClientCloseInfo& info) {
  if (closed_) return;
  if (!stopping_) spdlog::error("sender connection lost ({}): {}", xmpp::ToString(info.error), info.detail);
  Notify([&] {
    closed_ = true;
    close_detail_ = std::string(xmpp::ToString(info.error)) + " " + info.detail;
  });
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), nullptr);
  queue_->Close();
}

void XmppSender::OnTick() {
  uint64_t target = batch_.count;
  if (batch_.rate > 0) {
    double elapsed_s = static_cast<double>(RealtimeNs() - batch_start_ns_) / 1e9;
    target = std::min(target, static_cast<uint64_t>(elapsed_s * batch_.rate) + 1);
  }
  target = std::min(target, batch_.progress() + batch_.window);
  for (; next_ < target; ++next_) {
    last_seq_ = chat_->Send({std::string("alice@") + kDomain, NextId(), MakeBody(batch_.run, next_, RealtimeNs())});
  }
  if (next_ == batch_.count) {
    uv_timer_stop(&timer_);
    Notify([&] {
      batch_done_ = true;
      sent_seq_ = last_seq_;
    });
  }
}

template <typename Change>
void XmppSender::Notify(Change change) {
  std::lock_guard lock(mu_);
  change();
  cv_.notify_all();
}

bool WaitDelivered(Receivers& receivers, uint64_t count, Clock::time_point deadline) {
  while (receivers.MinReceived() < count) {
    if (Clock::now() >= deadline) return false;
    receivers.CheckAlive();
    Pause(std::chrono::milliseconds(1));
  }
  return true;
}

void WarmUp(XmppSender& sender, Receivers& receivers) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    uint32_t run = NextRunId();
    receivers.BeginRun(run);
    sender.Send({run, 1, 0, 1, [] { return uint64_t{0}; }});
    if (WaitDelivered(receivers, 1, Clock::now() + std::chrono::milliseconds(300))) return;
  }
  throw std::runtime_error("the receivers did not get the warm-up message within 10 s");
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

void TableHeader() {
  std::printf("  %-50s %-36s %s\n", "figure", "value", "notes");
  std::printf("  %s\n", std::string(128, '-').c_str());
}

void Row(const std::string& figure, const std::string& value, const std::string& note) {
  std::printf("  %-50s %-36s %s\n", figure.c_str(), value.c_str(), note.c_str());
}

std::string Format(const char* format, double a, double b, double c) {
  char buf[128];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

std::string FormatPercentiles(const Percentiles& p, int decimals) {
  const char* format = decimals >= 2 ? "p50 %.2f  p99 %.2f  max %.1f ms" : "p50 %.1f  p99 %.1f  max %.1f ms";
  return Format(format, p.p50_ms, p.p99_ms, p.max_ms);
}

void PrintMachineNote(const std::string& load_at_start) {
  std::printf("\nCPU figures come from /proc/<pid>/stat (resolution %ld ticks/s; queued bursts: per-thread "
              "schedstat, ns). Load average (1 min) at start "
              "%s, at end %s on %ld CPUs.\n",
              sysconf(_SC_CLK_TCK), load_at_start.c_str(), LoadAverage().c_str(), sysconf(_SC_NPROCESSORS_ONLN));
}

double CurlSeconds(const std::vector<std::string>& args, const std::string& output_file) {
  std::vector<std::string> argv = {"curl", "--silent", "--show-error", "--fail"};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ChildProcess curl;
  const auto started = Clock::now();
  curl.Spawn(argv, output_file);
  auto status = curl.Wait(std::chrono::minutes(10));
  const double seconds = MsSince(started) / 1000;
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    throw std::runtime_error("curl failed: " + test::FileTail(output_file));
  }
  return seconds;
}

}  // namespace timd::bench
