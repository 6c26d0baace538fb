// Files through the message path: alice's timd sends a message with a file
// element of --megabytes (slot request, PUT streamed from disk, the
// message, the server's ack) and bob's timd fetches it with
// DownloadElemToPath (GET to a temp file, fsync, rename); the curl command
// line moves the same size through a fresh slot of the same Prosody in the
// same run as the baseline. Rounds alternate which side goes first; prints
// the median MB/s of each, the timd/curl ratios (goal >= 0.9x) and each
// timd's peak RSS over its transfers against its RSS before (goal:
// independent of the file size, <= +8 MB).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_support.h"
#include "support/file_messages.h"
#include "support/upload_session.h"

namespace {

using namespace timd::bench;
using namespace std::chrono_literals;
using timd::test::ProsodyServer;
using timd::test::TempDir;
using timd::test::TimdProcess;

double MegabytesPerSecond(uint64_t bytes, double seconds) { return bytes / 1e6 / seconds; }

int RunBench(uint64_t megabytes, int rounds) {
  const std::string load_at_start = LoadAverage();
  setenv("TIMD_BINARY", TIMD_BINARY_PATH, 1);
  const uint64_t size = megabytes * 1000 * 1000;
  ProsodyServer prosody;
  prosody.EnableHttpUpload(size + 1);
  Progress("starting Prosody with http_file_share, alice's and bob's timd");
  prosody.Start();
  TimdProcess alice, bob;
  for (auto [timd, user] : {std::pair{&alice, "alice"}, std::pair{&bob, "bob"}}) {
    prosody.AddUser(user, std::string(user) + "-secret");
    timd->UseProsody(prosody);
    timd->LoginAs(user, std::string(user) + "-secret");
    timd->Start();
    if (!timd->WaitLoggedIn()) throw std::runtime_error(std::string(user) + "'s timd did not log in: " + timd->log());
  }
  TempDir dir("timd-file-message-bench", timd::test::RealDiskTempBase());
  const std::string source = dir.File("source.bin");
  Progress("writing the " + std::to_string(megabytes) + " MB source file");
  timd::test::WriteRandomFile(source, size);

  const long alice_before_kb = ResidentKb(alice.pid());
  const long bob_before_kb = ResidentKb(bob.pid());
  timd::test::UploadSession session(prosody, "carol");
  const auto service = session.Discover().service;
  std::vector<double> send_s, download_s, curl_up_s, curl_down_s;
  for (int round = 0; round < rounds; ++round) {
    CheckInterrupted();
    Progress("round " + std::to_string(round + 1) + " of " + std::to_string(rounds));
    std::string url, sha256;
    auto timd_upload = [&] {  // slot + PUT + message + the server's ack
      const auto started = Clock::now();
      tim::v1::SendMessageResponse sent;
      const auto status = timd::test::SendWithin(*alice.Stubs(), timd::test::FileTo("bob", source), &sent, 600s);
      if (!status.ok()) throw std::runtime_error("SendMessage failed: " + status.error_message());
      send_s.push_back(MsSince(started) / 1000);
      url = sent.message().elems(0).file().url();
      sha256 = sent.message().elems(0).file().sha256();
    };
    auto curl_upload = [&] {
      const auto slot = session.RequestSlot(service, {"curl-" + std::to_string(round) + ".bin", size,
                                                      "application/octet-stream"});
      std::string headers;
      for (const auto& [name, value] : slot.slot.put_headers) headers += name + ": " + value + "\n";
      timd::test::WriteFile(dir.File("headers"), headers);
      curl_up_s.push_back(CurlSeconds({"--cacert", prosody.ca_file(), "-H", "@" + dir.File("headers"), "-T", source,
                                       "-o", "/dev/null", slot.slot.put_url},
                                      dir.File("curl.out")));
    };
    auto timd_download = [&] {  // GET to a temp file, fsync, rename, sha256 checked
      tim::v1::DownloadElemToPathRequest request;
      request.set_url(url);
      request.set_path(dir.File("timd-copy.bin"));
      request.set_sha256(sha256);
      tim::v1::DownloadElemToPathResponse downloaded;
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + 600s);
      const auto started = Clock::now();
      const auto status = bob.Stubs()->messages->DownloadElemToPath(&ctx, request, &downloaded);
      if (!status.ok()) throw std::runtime_error("DownloadElemToPath failed: " + status.error_message());
      download_s.push_back(MsSince(started) / 1000);
    };
    auto curl_download = [&] {
      curl_down_s.push_back(
          CurlSeconds({"--cacert", prosody.ca_file(), "-o", dir.File("curl-copy.bin"), url}, dir.File("curl.out")));
    };
    // Alternating who goes first spreads the machine's drifting load over
    // both sides; the download needs the URL of this round's upload.
    if (round % 2 == 0) {
      timd_upload(), curl_upload(), timd_download(), curl_download();
    } else {
      curl_upload(), timd_upload(), curl_download(), timd_download();
    }
  }
  const long alice_peak_kb = PeakResidentKb(alice.pid());
  const long bob_peak_kb = PeakResidentKb(bob.pid());

  std::printf("\n%llu MB file, medians of %d rounds, same Prosody; load average (1 min) at start %s, at end %s\n",
              static_cast<unsigned long long>(megabytes), rounds, load_at_start.c_str(), LoadAverage().c_str());
  const double tu = MegabytesPerSecond(size, Median(send_s)), cu = MegabytesPerSecond(size, Median(curl_up_s));
  const double td = MegabytesPerSecond(size, Median(download_s)), cd = MegabytesPerSecond(size, Median(curl_down_s));
  Row("upload: timd SendMessage", Format("%.1f MB/s", tu), "slot + PUT + message + ack");
  Row("upload: curl command line (baseline)", Format("%.1f MB/s", cu), "PUT to a fresh slot");
  Row("upload: timd / curl", Format("%.2fx", tu / cu), "goal >= 0.90x");
  Row("download: timd DownloadElemToPath", Format("%.1f MB/s", td), "GET, fsync, rename, sha256 checked");
  Row("download: curl command line (baseline)", Format("%.1f MB/s", cd), "same URL, -o file (no fsync)");
  Row("download: timd / curl", Format("%.2fx", td / cd), "goal >= 0.90x");
  Row("alice's timd: peak RSS over the uploads", Format("%+.1f MB", (alice_peak_kb - alice_before_kb) / 1024.0),
      "VmHWM minus VmRSS before; goal <= +8 MB");
  Row("bob's timd: peak RSS over the downloads", Format("%+.1f MB", (bob_peak_kb - bob_before_kb) / 1024.0),
      "VmHWM minus VmRSS before; goal <= +8 MB");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t megabytes = 100;
  CLI::App app{"Files through timd's message path vs the curl command line"};
  int rounds = 3;
  app.add_option("--megabytes", megabytes, "file size (MB, 10^6 bytes)");
  app.add_option("--rounds", rounds, "rounds (each: 2 uploads, 2 downloads)")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timd_file_message_bench", [&] { return RunBench(megabytes, rounds); });
}
