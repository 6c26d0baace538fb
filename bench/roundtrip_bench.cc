// timd_roundtrip_bench: what a read receipt, a revoke and a modify cost from
// the app's call to the peer app's event (issue 15).
//
// Two timd daemons on a private Prosody, alice and bob, each with a Subscribe
// stream. Each round, in order:
//   message  alice SendMessage (need_read_receipt) -> bob's NEW_MESSAGES
//   receipt  bob ReportRead of it                  -> alice's MSG_READ_RECEIPTS
//   modify   alice ModifyMessage of it             -> bob's MESSAGES_UPDATED
//   revoke   alice RevokeMessage of it             -> bob's MSG_REVOKED
// Each figure is measured from just before the call to the moment the peer's
// stream read the event (both wall clock, one machine). The plain message is
// the baseline in the same run: the others take the same route (timd ->
// Prosody -> timd) with a different payload, so their excess over it is what
// the feature itself costs. One operation is in flight at a time.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.h"
#include "tim/v1/messages.pb.h"
#include "support/requests.h"
#include "tim/v1/read_state.pb.h"

namespace {

using namespace timd::bench;
using Entry = EventLog::Entry;

struct Settings {
  std::string timd_binary = TIMD_BINARY_PATH;
  int rounds = 200;
  int warmup_rounds = 10;
};

struct Samples {
  std::vector<int64_t> message, receipt, modify, revoke;
};

// Throws unless `status` is OK: a failed call would make every figure after
// it meaningless.
void Check(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) throw std::runtime_error(what + " failed: " + status.error_message());
}

std::unique_ptr<grpc::ClientContext> CallContext() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return ctx;
}

// A request about message `msg_id` of the C2C conversation with `peer`
// (ReportRead, ModifyMessage, RevokeMessage).
template <typename Request>
Request About(const std::string& peer, const std::string& msg_id) {
  Request request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_msg_id(msg_id);
  return request;
}

bool IsNewMessage(const Entry& entry, const std::string& msg_id) {
  if (!entry.event.has_new_messages()) return false;
  for (const auto& m : entry.event.new_messages().messages()) {
    if (m.msg_id() == msg_id) return true;
  }
  return false;
}

bool IsUpdateOf(const Entry& entry, const std::string& msg_id) {
  if (!entry.event.has_messages_updated()) return false;
  for (const auto& m : entry.event.messages_updated().messages()) {
    if (m.msg_id() == msg_id) return true;
  }
  return false;
}

class Pair {
 public:
  Pair(const Settings& settings, const timd::test::ProsodyServer& prosody)
      : alice_(settings.timd_binary, prosody, {}, "alice"), bob_(settings.timd_binary, prosody, {}, "bob") {
    alice_.Start();
    bob_.Start();
    alice_stub_ = std::make_unique<timd::ApiStubs>(UnixChannel(alice_.socket()));
    bob_stub_ = std::make_unique<timd::ApiStubs>(UnixChannel(bob_.socket()));
    alice_log_ = std::make_unique<EventLog>(alice_.socket(), SubscribeTo({tim::v1::EVENT_KIND_MSG_READ_RECEIPTS}, 0));
    bob_log_ = std::make_unique<EventLog>(
        bob_.socket(), SubscribeTo({tim::v1::EVENT_KIND_NEW_MESSAGES, tim::v1::EVENT_KIND_MESSAGES_UPDATED,
                                    tim::v1::EVENT_KIND_MSG_REVOKED},
                                   0));
  }
  ~Pair() {
    alice_log_.reset();
    bob_log_.reset();
    alice_.Stop();
    bob_.Stop();
  }

  // One round of the four operations; `samples` null for warm-up rounds.
  void Round(int index, Samples* samples) {
    const std::string text = "roundtrip " + std::to_string(index);
    auto request = timd::test::TextTo("bob", text);
    request.set_need_read_receipt(true);
    tim::v1::SendMessageResponse sent;
    std::string msg_id;
    Step([&](grpc::ClientContext* ctx) { return alice_stub_->messages->SendMessage(ctx, request, &sent); },
         "SendMessage", *bob_log_, bob_next_, [&](const Entry& e) { return IsNewMessage(e, msg_id); },
         samples ? &samples->message : nullptr, [&] { msg_id = sent.message().msg_id(); });

    const auto read = About<tim::v1::ReportReadRequest>("alice", msg_id);
    tim::v1::ReportReadResponse read_done;
    Step([&](grpc::ClientContext* ctx) { return bob_stub_->messages->ReportRead(ctx, read, &read_done); },
         "ReportRead", *alice_log_, alice_next_, [](const Entry& e) { return e.event.has_msg_read_receipts(); },
         samples ? &samples->receipt : nullptr);

    auto modify = About<tim::v1::ModifyMessageRequest>("bob", msg_id);
    *modify.mutable_elems() = timd::test::TextTo("bob", text + " (edited)").elems();
    tim::v1::ModifyMessageResponse modified;
    Step([&](grpc::ClientContext* ctx) { return alice_stub_->messages->ModifyMessage(ctx, modify, &modified); },
         "ModifyMessage", *bob_log_, bob_next_, [&](const Entry& e) { return IsUpdateOf(e, msg_id); },
         samples ? &samples->modify : nullptr);

    const auto revoke = About<tim::v1::RevokeMessageRequest>("bob", msg_id);
    tim::v1::RevokeMessageResponse revoked;
    Step([&](grpc::ClientContext* ctx) { return alice_stub_->messages->RevokeMessage(ctx, revoke, &revoked); },
         "RevokeMessage", *bob_log_, bob_next_, [](const Entry& e) { return e.event.has_msg_revoked(); },
         samples ? &samples->revoke : nullptr);
  }

 private:
  // Calls `call`, runs `after_call` (which may fill what `pred` needs), then
  // waits for the peer's event from `next` on and records the latency from
  // just before the call; `next` moves past that event.
  template <typename Call>
  void Step(Call call, const char* what, EventLog& peer_log, size_t& next, const EventLog::Predicate& pred,
            std::vector<int64_t>* samples, const std::function<void()>& after_call = [] {}) {
    const int64_t called_ns = RealtimeNs();
    Check(call(CallContext().get()), what);
    after_call();
    auto index = peer_log.WaitFor(pred, next, std::chrono::seconds(20));
    if (!index) throw std::runtime_error(std::string("the peer saw no event of ") + what + " within 20 s");
    if (samples) samples->push_back(peer_log.At(*index).received_ns - called_ns);
    next = *index + 1;
  }

  TimdLauncher alice_;
  TimdLauncher bob_;
  std::unique_ptr<timd::ApiStubs> alice_stub_;
  std::unique_ptr<timd::ApiStubs> bob_stub_;
  std::unique_ptr<EventLog> alice_log_;
  std::unique_ptr<EventLog> bob_log_;
  size_t alice_next_ = 0;
  size_t bob_next_ = 0;
};

void Report(const char* name, const char* event, const std::vector<int64_t>& ns, double baseline_p50) {
  const Percentiles p = ComputePercentiles(ns);
  const std::string note = baseline_p50 > 0 ? Format("%.2f x the message's p50", p.p50_ms / baseline_p50) : "baseline";
  Row(std::string(name) + " -> " + event + " (p50 / p99 / max)", FormatPercentiles(p), note);
}

int RunBench(const Settings& settings) {
  const std::string load_at_start = LoadAverage();
  timd::test::ProsodyServer prosody;
  StartProsody(prosody);
  Pair pair(settings, prosody);

  Progress("warm-up: " + std::to_string(settings.warmup_rounds) + " rounds");
  for (int i = 0; i < settings.warmup_rounds; ++i) pair.Round(i, nullptr);
  Progress("measuring: " + std::to_string(settings.rounds) + " rounds");
  Samples samples;
  for (int i = 0; i < settings.rounds; ++i) {
    CheckInterrupted();
    pair.Round(settings.warmup_rounds + i, &samples);
  }

  std::printf("\ntimd_roundtrip_bench: %d rounds, one operation in flight, call -> peer's event (ms)\n\n",
              settings.rounds);
  TableHeader();
  const double baseline = ComputePercentiles(samples.message).p50_ms;
  Report("SendMessage", "NEW_MESSAGES", samples.message, 0);
  Report("ReportRead", "MSG_READ_RECEIPTS", samples.receipt, baseline);
  Report("ModifyMessage", "MESSAGES_UPDATED", samples.modify, baseline);
  Report("RevokeMessage", "MSG_REVOKED", samples.revoke, baseline);
  PrintMachineNote(load_at_start);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"timd round trips: read receipt, modify and revoke, from the call to the peer's event"};
  app.add_option("--timd", settings.timd_binary, "timd binary")->capture_default_str();
  app.add_option("--rounds", settings.rounds, "measured rounds")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--warmup", settings.warmup_rounds, "rounds before measuring")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timd_roundtrip_bench", [&] { return RunBench(settings); });
}
