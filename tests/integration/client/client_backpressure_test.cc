// libtimclient under pressure, against a real Prosody and timd: an app whose
// callback stalls while a peer floods it keeps bounded memory and then gets
// every message once, in order; an app whose durable cursor fell below
// timd's journal floor resumes at the floor and reports the gap through its
// Log callback.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "alice_fixture.h"
#include "support/app_process.h"
#include "support/peer_process.h"
#include "support/process_memory.h"
#include "support/prosody_fixture.h"
#include "support/requests.h"
#include "support/temp_dir.h"
#include "support/timd_process.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

class ClientBackpressureTest : public AliceFixture {
 protected:
  // tests/integration/client/slow_app for alice as `consumer`, recording to out_.
  std::unique_ptr<AppProcess> SlowApp(const std::string& consumer, std::vector<std::string> extra = {}) const {
    auto args = AliceArgs(consumer);
    args.insert(args.end(), {"--out", out_});
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<AppProcess>("tests/integration/client/slow_app", args);
  }

  // The recorded lines (texts cut to 40 bytes) that start with `prefix`.
  std::vector<std::string> Recorded(const std::string& prefix) const {
    std::vector<std::string> texts;
    for (const auto& line : Lines(ReadFile(out_))) {
      if (line.rfind(prefix, 0) == 0) texts.push_back(line);
    }
    return texts;
  }

  // A new consumer starts live once its subscription is in place, which the
  // app cannot show: ask bob for one message at a time until one arrives.
  void WarmUp() {
    for (int i = 0; i < 10; ++i) {
      Send("burst 1 0 warm-" + std::to_string(i) + "-");
      if (Eventually([&] { return !Recorded("warm-").empty(); }, 3s)) return;
    }
    FAIL() << "the app never received a warm-up message\n" << alice_.log();
  }

  // The text of the newest message with bob in alice's store ("" if none).
  std::string NewestWithBob() const {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    tim::v1::GetMessagesRequest request;
    request.set_conv_id("bob");
    request.set_conv_type(tim::v1::CONV_C2C);
    request.set_count(1);
    tim::v1::GetMessagesResponse response;
    if (!alice_.Stubs()->messages->GetMessages(&ctx, request, &response).ok() || response.messages().empty()) return "";
    const auto& message = response.messages(0);
    return message.elems().empty() ? "" : message.elems(0).text().content();
  }

  // Subscribes from `since_seq`; the ErrorDetail when timd answers
  // OUT_OF_RANGE, nullopt when it starts streaming.
  std::optional<tim::v1::ErrorDetail> ReplayRefused(uint64_t since_seq) const {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 2s);
    tim::v1::SubscribeRequest request;
    request.set_since_seq(since_seq);
    auto reader = alice_.Stubs()->events->Subscribe(&ctx, request);
    tim::v1::Event event;
    if (reader->Read(&event)) {
      ctx.TryCancel();
      while (reader->Read(&event)) {
      }
      reader->Finish();
      return std::nullopt;
    }
    grpc::Status status = reader->Finish();
    tim::v1::ErrorDetail detail;
    if (status.error_code() != grpc::StatusCode::OUT_OF_RANGE || !detail.ParseFromString(status.error_details())) {
      return std::nullopt;
    }
    return detail;
  }

  // The consumer's stored cursor (an AckEvents of seq 0 never moves it).
  uint64_t StoredCursor(const std::string& consumer) const {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    tim::v1::AckEventsRequest request;
    request.set_consumer(consumer);
    tim::v1::AckEventsResponse response;
    EXPECT_TRUE(alice_.Stubs()->events->AckEvents(&ctx, request, &response).ok());
    return response.seq();
  }

  const std::string out_ = work_.File("recorded.txt");
};

TEST_F(ClientBackpressureTest, StalledCallbackKeepsMemoryBoundedAndThenGetsEveryMessageOnceInOrder) {
  constexpr int kMessages = 20000;
  constexpr int kPad = 1024;  // bytes of padding per message: 20 MB in all
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  const std::string resume = work_.File("resume");
  // A small queue (64 events, 512 KiB) next to 20 MB of messages.
  auto app = SlowApp("stalling", {"--stall-on", "stall-1", "--until", resume, "--queue-events", "64",
                                  "--queue-bytes", "524288"});
  app->Start();
  ASSERT_TRUE(app->WaitOutput("ready")) << app->output();
  WarmUp();

  // The callback that gets "stall-1" blocks until the resume file exists.
  Send("burst 1 0 stall-");
  ASSERT_TRUE(Eventually([&] { return !Recorded("stall-1").empty(); })) << app->output();
  const long rss_stalled_kb = ProcessStatusKb(app->pid(), "VmRSS");
  Send("burst " + std::to_string(kMessages) + " " + std::to_string(kPad) + " m-");
  ASSERT_TRUE(Eventually([&] { return NewestWithBob().rfind("m-" + std::to_string(kMessages) + " ", 0) == 0; },
                         300s))
      << "timd did not store the burst; newest: " << NewestWithBob().substr(0, 20) << "\n"
      << alice_.log() << "\n---BOB\n"
      << bob.output();
  std::this_thread::sleep_for(1s);  // the library has read all it is going to read
  const long peak_stalled_kb = ProcessStatusKb(app->pid(), "VmHWM");
  EXPECT_TRUE(Recorded("m-").empty()) << "the callback was meant to stall";

  WriteFile(resume, "");
  EXPECT_TRUE(Eventually([&] { return Recorded("m-").size() >= static_cast<size_t>(kMessages); }, 300s))
      << Recorded("m-").size() << " recorded\n"
      << app->output();
  std::this_thread::sleep_for(500ms);  // a duplicate would show up now
  const long peak_kb = ProcessStatusKb(app->pid(), "VmHWM");
  std::printf("slow_app RSS: %ld kB when the callback stalled, peak %ld kB while %d messages (%ld kB) arrived, "
              "peak %ld kB after delivering them\n",
              rss_stalled_kb, peak_stalled_kb, kMessages, static_cast<long>(kMessages) * kPad / 1024, peak_kb);
  // An unbounded queue would hold every message's padding, 20 MB, while the
  // callback stalls. Delivering them afterwards takes some memory too (JSON
  // of 100 messages per callback, allocator caches), but less than that.
  EXPECT_LT(peak_stalled_kb, rss_stalled_kb + 8 * 1024);
  // Not under AddressSanitizer: its quarantine keeps what delivery frees
  // resident, while the stalled phase above frees little.
  if (!kUnderAddressSanitizer) {
    const long payload_kb = static_cast<long>(kMessages) * kPad / 1024;
    EXPECT_LT(peak_kb, rss_stalled_kb + payload_kb);
  }

  const auto recorded = Recorded("m-");
  ASSERT_EQ(recorded.size(), static_cast<size_t>(kMessages));
  for (int i = 1; i <= kMessages; ++i) {
    const std::string expected = "m-" + std::to_string(i) + " ";
    ASSERT_EQ(recorded[i - 1].substr(0, expected.size()), expected) << "message " << i;
  }
  EXPECT_EQ(app->Stop(), std::optional<int>(0)) << app->output();
  const std::string output = app->output();
  const size_t done = output.find("done after");
  if (done != std::string::npos) std::printf("slow_app: %s", output.substr(done).c_str());
}

TEST_F(ClientBackpressureTest, CursorBelowTheJournalFloorResumesThereAndLogsTheGap) {
  alice_.AddArgs({"--journal-retention", "50"});
  PeerProcess bob(prosody_, "bob", "bob-secret");
  bob.Start();
  alice_.Start();
  ASSERT_TRUE(alice_.WaitLoggedIn()) << alice_.log();
  auto app = SlowApp("away");
  app->Start();
  ASSERT_TRUE(app->WaitOutput("ready")) << app->output();
  WarmUp();
  ASSERT_EQ(app->Stop(), std::optional<int>(0)) << app->output();  // records its cursor
  const uint64_t cursor = StoredCursor("away");
  ASSERT_GT(cursor, 0u);

  // While it is away, timd trims its journal past the app's cursor (a trim
  // runs every 1000 events).
  int sent = 0;
  std::optional<tim::v1::ErrorDetail> refused;
  while (sent < 3000 && !(refused = ReplayRefused(cursor))) {
    for (int i = 0; i < 100; ++i) Send("m-" + std::to_string(++sent));
  }
  ASSERT_TRUE(refused.has_value()) << "the journal was never trimmed past " << cursor;
  EXPECT_EQ(refused->tim_code(), 7011);
  EXPECT_EQ(refused->requested_since_seq(), cursor);
  ASSERT_TRUE(Eventually([&] { return NewestWithBob() == "echo: m-" + std::to_string(sent); }))
      << alice_.log();

  std::ofstream(out_, std::ios::trunc).close();
  app = SlowApp("away");
  app->Start();
  // 5 = kTIMLog_Warn.
  const std::string gap = "log 5 events lost: timd's journal dropped seqs " + std::to_string(cursor + 1) + "..";
  ASSERT_TRUE(app->WaitOutput(gap)) << app->output();
  const std::string output = app->output();
  const size_t reported = output.find(gap);
  std::printf("slow_app reported: %s\n", output.substr(reported, output.find('\n', reported) - reported).c_str());
  const size_t at = output.find("resuming at seq ", reported);
  ASSERT_NE(at, std::string::npos) << output;
  EXPECT_GE(std::stoull(output.substr(at + 16)), refused->oldest_available_seq()) << output;

  // It got the later events: the newest echoes, in order, none twice, and
  // then live ones.
  ASSERT_TRUE(app->WaitOutput("ready")) << app->output();
  ASSERT_TRUE(Eventually([&] {
    const auto got = Recorded("echo: m-");
    return !got.empty() && got.back() == "echo: m-" + std::to_string(sent);
  })) << app->output();
  const auto got = Recorded("echo: m-");
  const int first = std::stoi(got.front().substr(8));
  EXPECT_GT(first, 1) << "nothing was lost: the test did not reach the floor";
  ASSERT_EQ(got.size(), static_cast<size_t>(sent - first + 1));
  for (int i = first; i <= sent; ++i) EXPECT_EQ(got[i - first], "echo: m-" + std::to_string(i));
  Send("after");
  EXPECT_TRUE(Eventually([&] { return !Recorded("echo: after").empty(); })) << app->output();
  EXPECT_EQ(app->Stop(), std::optional<int>(0)) << app->output();
}

}  // namespace
}  // namespace timd::test
