// Shared pieces of the end-to-end benchmarks (timd_e2e_bench,
// timd_lifecycle_bench, timclient_callback_bench): interruption, clocks,
// /proc readers and statistics, stamped message bodies, the timd process,
// Subscribe streams, bob's XMPP sender, and the report table.
#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>
#include <time.h>
#include <uv.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/loop_queue.h"
#include "support/child_process.h"
#include "support/prosody_fixture.h"
#include "support/temp_dir.h"
#include "tim/v1/session.pb.h"
#include "tim/v1/events.pb.h"
#include "timd/api_stubs.h"
#include "xmpp/chat.h"
#include "xmpp/client.h"

namespace timd::bench {

using Clock = std::chrono::steady_clock;

constexpr const char* kDomain = test::ProsodyServer::kDomain;
constexpr const char* kAlicePassword = "alice-bench-pw";
constexpr const char* kBobPassword = "bob-bench-pw";

// ---------------------------------------------------------------------------
// Interruption: SIGINT/SIGTERM end a bench through an exception (thrown by
// Pause), so that every destructor runs (processes stopped, temp dirs removed).
// ---------------------------------------------------------------------------

void InstallInterruptHandlers();
// Throws once SIGINT or SIGTERM arrived.
void CheckInterrupted();
// Every wait of the main thread sleeps through this.
void Pause(std::chrono::milliseconds duration);

// ---------------------------------------------------------------------------
// Clocks, /proc and statistics
// ---------------------------------------------------------------------------

int64_t ClockNs(clockid_t clock);
// Wall clock: comparable across processes and with the daemon's event time_ms.
int64_t RealtimeNs();
double MsSince(Clock::time_point start);

// utime + stime of all threads of `pid`, in seconds (clock-tick resolution).
double ProcessCpuSeconds(pid_t pid);
// CPU time of `pid`'s live threads in ns resolution (/proc/<pid>/task/*/
// schedstat): for short windows, where clock ticks are too coarse. Time of
// threads that exit inside the window is not counted.
double ThreadsCpuSeconds(pid_t pid);
// Bytes `pid` handed to write(2)-family calls so far (/proc/<pid>/io wchar):
// database, WAL and socket writes.
uint64_t ProcessWrittenBytes(pid_t pid);
// A "Vm…" line of /proc/<pid>/status in kB (VmRSS: resident now, VmHWM: peak
// resident); 0 when unknown.
long StatusKb(pid_t pid, const std::string& field);
inline long ResidentKb(pid_t pid) { return StatusKb(pid, "VmRSS"); }
inline long PeakResidentKb(pid_t pid) { return StatusKb(pid, "VmHWM"); }
// The 1-minute load average: other work on the machine skews every figure.
std::string LoadAverage();
// Progress on stderr, so a long run shows where it is.
void Progress(const std::string& step);

struct Percentiles {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  size_t samples = 0;
};
Percentiles ComputePercentiles(std::vector<int64_t> ns);
double Median(std::vector<double> values);

// ---------------------------------------------------------------------------
// Message bodies: "e2e-bench r=<run> n=<index> t=<CLOCK_REALTIME ns>"
// ---------------------------------------------------------------------------

struct Stamp {
  uint32_t run = 0;
  uint64_t index = 0;
  int64_t sent_ns = 0;
};

std::string MakeBody(uint32_t run, uint64_t index, int64_t sent_ns);
std::optional<Stamp> ParseBody(const std::string& body);
// The bodies carried by a NEW_MESSAGES event (text elements only).
std::vector<std::string> TextBodies(const tim::v1::Event& event);
// 1, 2, ...: tells the messages of one run from those of earlier ones.
uint32_t NextRunId();

// The common frame of a bench's main(): quiet logging, SIGINT/SIGTERM
// handling, and an exception turned into a message and exit code 2.
int RunGuarded(const char* bench_name, const std::function<int()>& bench);

// Runs `curl --silent --show-error --fail ARGS...` (its output to
// `output_file`) and returns the seconds it took; throws when it fails.
double CurlSeconds(const std::vector<std::string>& args, const std::string& output_file);

// ---------------------------------------------------------------------------
// Prosody and XMPP accounts
// ---------------------------------------------------------------------------

// Starts `prosody` with the accounts alice and bob.
void StartProsody(test::ProsodyServer& prosody);
// Prosody's pid, from its pidfile (written a little after it listens).
std::optional<pid_t> ProsodyPid(const test::ProsodyServer& prosody);
// The project's XMPP client options for `user` on `prosody`.
xmpp::ClientOptions AccountOptions(const test::ProsodyServer& prosody, const std::string& user,
                                   const std::string& password, const std::string& resource);
xmpp::ClientOptions BobOptions(const test::ProsodyServer& prosody);

// Connects `client` (with `handler` added) and runs `loop` until the client
// has closed and no other handle is active; then destroys both and lets
// their handles close.
template <typename Handler>
void RunClientLoop(uv_loop_t* loop, std::unique_ptr<xmpp::Client>& client, std::unique_ptr<Handler>& handler) {
  client->AddHandler(handler.get());
  client->Connect();
  uv_run(loop, UV_RUN_DEFAULT);
  handler.reset();
  client.reset();
  uv_run(loop, UV_RUN_DEFAULT);  // let the client's handles close
}

// ---------------------------------------------------------------------------
// The timd process
// ---------------------------------------------------------------------------

std::shared_ptr<grpc::Channel> UnixChannel(const std::string& socket);
std::optional<tim::v1::GetLoginStatusResponse> ProbeLoginStatus(const std::string& socket);

// Runs timd logged in as alice or bob (own temp dir: socket, state, log); the bench
// measures its start-up itself (1 ms polling), which is why it does not use
// the tests' TimdProcess. The state survives Stop()/Start().
class TimdLauncher {
 public:
  struct StartTimes {
    double serving_ms = 0;  // spawn -> first successful GetLoginStatus
    double logined_ms = 0;  // spawn -> GetLoginStatus says LOGINED
  };

  // `extra_args` are appended to the command line (e.g. backoff flags);
  // `user` is alice or bob (the accounts of StartProsody).
  TimdLauncher(const std::string& binary, const test::ProsodyServer& prosody,
               const std::vector<std::string>& extra_args = {}, const std::string& user = "alice");

  StartTimes Start();
  // SIGTERM; throws unless timd exits 0.
  void Stop();

  pid_t pid() const { return process_.pid(); }
  std::string socket() const { return dir_.File("timd.sock"); }
  std::string password_file() const { return dir_.File("password"); }
  const test::TempDir& dir() const { return dir_; }

 private:
  template <typename Ready>
  double WaitUntil(Clock::time_point spawned, Ready ready);
  [[noreturn]] void Fail(const std::string& what);

  test::TempDir dir_;
  std::vector<std::string> argv_;
  test::ChildProcess process_;
};

// ---------------------------------------------------------------------------
// Subscribe streams (gRPC callback API)
// ---------------------------------------------------------------------------

tim::v1::SubscribeRequest SubscribeTo(std::initializer_list<tim::v1::EventKind> kinds,
                                      std::optional<uint64_t> since_seq = std::nullopt);

// One Subscribe stream; `handler` runs on a gRPC thread for every event,
// with the time it was read (RealtimeNs).
class EventStream : public grpc::ClientReadReactor<tim::v1::Event> {
 public:
  using Handler = std::function<void(const tim::v1::Event& event, int64_t received_ns)>;

  EventStream(timd::ApiStubs* stub, const tim::v1::SubscribeRequest& request, Handler handler);
  ~EventStream() override { CancelAndWait(); }

  void OnReadDone(bool ok) override;
  void OnDone(const grpc::Status& status) override;

  // Set once the stream has ended.
  std::optional<grpc::Status> EndStatus() const;
  void CancelAndWait();

 private:
  Handler handler_;
  grpc::ClientContext ctx_;
  tim::v1::SubscribeRequest request_;
  tim::v1::Event event_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  grpc::Status status_;
  bool done_ = false;
};

// A Subscribe stream that keeps every event with its receive time.
class EventLog {
 public:
  struct Entry {
    tim::v1::Event event;
    int64_t received_ns = 0;
  };
  using Predicate = std::function<bool(const Entry&)>;

  EventLog(const std::string& socket, const tim::v1::SubscribeRequest& request);

  // Calls `pred` once per event, in order, from index `from` on, until it
  // returns true; gives that event's index, or nothing when `timeout` passes
  // first. Throws when the stream ends.
  std::optional<size_t> WaitFor(const Predicate& pred, size_t from, std::chrono::milliseconds timeout);
  Entry At(size_t index) const;
  // The seq of the last event received; 0 when none.
  uint64_t LastSeq() const;

 private:
  std::unique_ptr<timd::ApiStubs> stub_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Entry> entries_;
  std::unique_ptr<EventStream> stream_;  // last: its handler uses the members above
};

bool IsConvFinish(const tim::v1::Event& event);

struct Latencies {
  std::vector<int64_t> total_ns;          // sent by bob -> read by the subscriber
  std::vector<int64_t> after_publish_ns;  // event published by timd (time_ms) -> read

  void Append(const Latencies& other);
};

// A NEW_MESSAGES subscriber that records the latency of the messages of the
// current run (bodies from MakeBody).
class Subscriber {
 public:
  Subscriber(timd::ApiStubs* stub, const std::atomic<uint32_t>& current_run);

  // Clears the figures of the previous run (call after switching the run id).
  void Reset();
  uint64_t received() const { return received_.load(std::memory_order_acquire); }
  Latencies latencies() const;
  std::optional<grpc::Status> EndStatus() const { return stream_->EndStatus(); }

 private:
  void OnEvent(const tim::v1::Event& event, int64_t now_ns);

  const std::atomic<uint32_t>& current_run_;
  mutable std::mutex mu_;
  Latencies latencies_;
  std::atomic<uint64_t> received_{0};
  std::unique_ptr<EventStream> stream_;  // last: its handler uses the members above
};

// Whatever receives the bench's messages, counting those of the current run.
class Receivers {
 public:
  virtual ~Receivers() = default;
  // Starts counting messages of `run` only.
  virtual void BeginRun(uint32_t run) = 0;
  // Messages of the current run that every receiver has received.
  virtual uint64_t MinReceived() = 0;
  // Throws when a receiver has gone away: the figures would be meaningless.
  virtual void CheckAlive() = 0;
};

// `count` subscribers, one channel per 10.
class SubscriberSet : public Receivers {
 public:
  SubscriberSet(const std::string& socket, int count);

  void BeginRun(uint32_t run) override;
  uint64_t MinReceived() override;
  void CheckAlive() override;
  Latencies AllLatencies() const;
  size_t size() const { return subscribers_.size(); }

 private:
  std::atomic<uint32_t> current_run_{0};
  std::vector<std::unique_ptr<timd::ApiStubs>> stubs_;
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
  explicit XmppSender(xmpp::ClientOptions options);
  ~XmppSender() { Stop(); }

  // Connects; throws unless online within 15 s.
  void Start();
  // Starts sending `batch` on the loop; WaitSent() tells when all are out.
  void Send(Batch batch);
  bool WaitSent(std::chrono::seconds timeout);
  // True once the server acknowledged (XEP-0198) every message sent so far,
  // i.e. it has routed, stored and archived them.
  bool WaitAcked(std::chrono::seconds timeout);
  // Stops an unfinished batch; its progress() is not called afterwards.
  void AbortBatch();
  void Stop();

 private:
  void ThreadMain();
  void OnClosed(const xmpp::ClientCloseInfo& info);
  // Sends what the rate and the window allow now.
  void OnTick();
  std::string NextId();
  template <typename Change>
  void Notify(Change change);

  xmpp::ClientOptions options_;
  std::mt19937_64 random_ids_;  // loop thread
  std::thread thread_;
  // Loop thread only.
  uv_loop_t loop_{};
  uv_timer_t timer_{};
  std::unique_ptr<LoopQueue> queue_;
  std::unique_ptr<xmpp::Client> client_;
  std::unique_ptr<xmpp::ChatManager> chat_;
  Batch batch_;
  uint64_t next_ = 0;
  uint64_t last_seq_ = 0;  // outbound sequence number of the last message sent
  int64_t batch_start_ns_ = 0;
  bool stopping_ = false;
  // Shared with the main thread.
  std::mutex mu_;
  std::condition_variable cv_;
  bool online_ = false;
  bool closed_ = false;
  bool batch_done_ = true;
  uint64_t sent_seq_ = 0;   // last_seq_ when the batch was done
  uint64_t acked_seq_ = 0;  // the server's latest <a h=.../>
  std::string close_detail_;
};

// Polls until every receiver has `count` messages of the current run; false
// when `deadline` passes first.
bool WaitDelivered(Receivers& receivers, uint64_t count, Clock::time_point deadline);
// Sends single messages until every receiver has one: proves all streams are
// live before measuring (a Subscribe without since_seq starts "now").
void WarmUp(XmppSender& sender, Receivers& receivers);

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

void TableHeader();
void Row(const std::string& figure, const std::string& value, const std::string& note = "");
std::string Format(const char* format, double a, double b = 0, double c = 0);
std::string FormatPercentiles(const Percentiles& p, int decimals = 2);
// "CPU figures come from …, load average …" closing line.
void PrintMachineNote(const std::string& load_at_start);

}  // namespace timd::bench
