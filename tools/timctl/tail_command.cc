// tail: Subscribe, one JSON object per event and line.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ack_batcher.h"
#include "commands.h"
#include "timd_client.h"

namespace timctl {
namespace {

constexpr const char* kKindPrefix = "EVENT_KIND_";

struct TailArgs {
  uint64_t since_seq = 0;
  bool has_since = false;
  std::vector<std::string> kinds;
  std::string consumer;
  bool ack = false;
  uint64_t count = 0;  // 0 = until interrupted
};

// "new_messages", "conv_event", ...: the EventKind names without prefix, lower case.
std::vector<std::string> KindNames() {
  std::vector<std::string> names;
  const auto* descriptor = tim::v1::EventKind_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    std::string name = descriptor->value(i)->name();
    if (descriptor->value(i)->number() == 0) continue;
    name.erase(0, std::string(kKindPrefix).size());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    names.push_back(name);
  }
  return names;
}

tim::v1::EventKind KindFromName(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  tim::v1::EventKind kind = tim::v1::EVENT_KIND_UNSPECIFIED;
  tim::v1::EventKind_Parse(kKindPrefix + name, &kind);
  return kind;
}

// Cancels the stream on SIGINT/SIGTERM. The signals are blocked in every
// thread (set before gRPC starts its threads) and taken here with sigwait.
class SignalCanceller {
 public:
  static void BlockSignals() {
    sigset_t set = Signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
  }

  explicit SignalCanceller(grpc::ClientContext& ctx) : thread_([this, &ctx] { Run(ctx); }) {}
  ~SignalCanceller() {
    pthread_kill(thread_.native_handle(), SIGUSR1);  // wakes sigwait when no signal came
    thread_.join();
  }
  bool fired() const { return fired_; }

 private:
  static sigset_t Signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    return set;
  }

  void Run(grpc::ClientContext& ctx) {
    sigset_t set = Signals();
    int signal = 0;
    if (sigwait(&set, &signal) != 0 || signal == SIGUSR1) return;
    fired_ = true;
    ctx.TryCancel();
  }

  std::atomic<bool> fired_ = false;
  std::thread thread_;
};

int RunTail(const CommonOptions& common, const TailArgs& args) {
  tim::v1::SubscribeRequest request;
  if (args.has_since) request.set_since_seq(args.since_seq);
  for (const auto& name : args.kinds) request.add_kinds(KindFromName(name));
  request.set_consumer(args.consumer);

  SignalCanceller::BlockSignals();
  TimdClient client(common);
  std::optional<AckBatcher> acker;
  if (args.ack) acker.emplace(client, args.consumer);

  grpc::ClientContext ctx;  // no deadline: runs until stopped
  client.Authorize(ctx);
  bool stopped_here = false;
  grpc::Status status;
  {
    SignalCanceller canceller(ctx);
    auto reader = client.stubs().events->Subscribe(&ctx, request);
    tim::v1::Event event;
    uint64_t printed = 0;
    while (reader->Read(&event)) {
      if (!PrintLine(ToJson(event))) {  // stdout closed (e.g. `| head`): a normal end
        stopped_here = true;
        break;
      }
      if (acker) acker->Processed(event.seq());
      if (args.count != 0 && ++printed >= args.count) {
        stopped_here = true;
        break;
      }
    }
    if (stopped_here) {
      ctx.TryCancel();
      while (reader->Read(&event)) {
      }
    }
    status = reader->Finish();
    stopped_here = stopped_here || canceller.fired();
  }

  int ack_result = acker ? acker->Finish() : kExitOk;
  if (!stopped_here && !status.ok()) return ReportCallError(common, client.target(), ctx, status);
  return ack_result;
}

}  // namespace

void AddTailCommand(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto args = std::make_shared<TailArgs>();
  auto* tail = app.add_subcommand(
      "tail", "Stream events (Subscribe): one JSON object per event and line, flushed at once");
  AddCommonOptions(*tail, common);
  auto* since = tail->add_option("--since", args->since_seq,
                                 "replay journal events with seq > SEQ first (0 = everything retained); "
                                 "without it only new events (or, with --consumer, those after its cursor)");
  tail->add_option("--kinds", args->kinds, "comma-separated event kinds to receive (default all)")
      ->delimiter(',')
      ->check(CLI::IsMember(KindNames()));
  auto* consumer = tail->add_option("--consumer", args->consumer,
                                    "durable consumer name: without --since, resume after its acknowledged cursor");
  tail->add_flag("--ack", args->ack, "acknowledge printed events for --consumer (AckEvents, every 200 ms and at exit)")
      ->needs(consumer);
  tail->add_option("--count", args->count, "exit 0 after N events")->check(CLI::PositiveNumber);
  tail->footer("Output is always JSON lines (--json changes nothing). Ends with exit 0 on SIGINT, SIGTERM or "
               "--count; exit 2 when the connection to timd drops.");
  commands.push_back({tail, [&common, args, since] {
                        args->has_since = since->count() > 0;
                        return RunTail(common, *args);
                      }});
}

}  // namespace timctl
