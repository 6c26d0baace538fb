// Files through the message path: alice's timd sends a message with a file
// element of --megabytes (slot request, PUT streamed from disk, the
// message, the server's ack) and bob's timd fetches it with
// DownloadElemToPath (GET to a temp file, fsync, rename); the curl command
// line moves the same size through a fresh slot of the same Prosody in the
// same run as the baseline. Prints MB/s, the timd/curl ratios (goal >=
// 0.9x) and each timd's peak RSS over its transfer against its RSS before
// (goal: independent of the file size, <= +8 MB).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

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

int RunBench(uint64_t megabytes) {
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

  Progress("timd: SendMessage with the file (upload + message + ack)");
  const long alice_before_kb = ResidentKb(alice.pid());
  auto started = Clock::now();
  tim::v1::SendMessageResponse sent;
  auto status = timd::test::SendWithin(*alice.Stubs(), timd::test::FileTo("bob", source), &sent, 600s);
  const double send_s = MsSince(started) / 1000;
  if (!status.ok()) throw std::runtime_error("SendMessage failed: " + status.error_message());
  const long alice_peak_kb = PeakResidentKb(alice.pid());
  const std::string url = sent.message().elems(0).file().url();

  Progress("timd: DownloadElemToPath of its URL");
  const long bob_before_kb = ResidentKb(bob.pid());
  tim::v1::DownloadElemToPathRequest request;
  request.set_url(url);
  request.set_path(dir.File("timd-copy.bin"));
  request.set_sha256(sent.message().elems(0).file().sha256());
  tim::v1::DownloadElemToPathResponse downloaded;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 600s);
  started = Clock::now();
  status = bob.Stubs()->messages->DownloadElemToPath(&ctx, request, &downloaded);
  const double download_s = MsSince(started) / 1000;
  if (!status.ok()) throw std::runtime_error("DownloadElemToPath failed: " + status.error_message());
  const long bob_peak_kb = PeakResidentKb(bob.pid());

  Progress("curl: PUT to a fresh slot, GET of the same URL");
  timd::test::UploadSession session(prosody, "carol");
  auto service = session.Discover().service;
  auto slot = session.RequestSlot(service, {"curl.bin", size, "application/octet-stream"});
  std::string headers;
  for (const auto& [name, value] : slot.slot.put_headers) headers += name + ": " + value + "\n";
  timd::test::WriteFile(dir.File("headers"), headers);
  const double curl_up_s = CurlSeconds({"--cacert", prosody.ca_file(), "-H", "@" + dir.File("headers"), "-T", source,
                                        "-o", "/dev/null", slot.slot.put_url},
                                       dir.File("curl.out"));
  const double curl_down_s =
      CurlSeconds({"--cacert", prosody.ca_file(), "-o", dir.File("curl-copy.bin"), url}, dir.File("curl.out"));

  std::printf("\n%llu MB file, one run each, same Prosody\n", static_cast<unsigned long long>(megabytes));
  const double tu = MegabytesPerSecond(size, send_s), cu = MegabytesPerSecond(size, curl_up_s);
  const double td = MegabytesPerSecond(size, download_s), cd = MegabytesPerSecond(size, curl_down_s);
  Row("upload: timd SendMessage", Format("%.1f MB/s", tu), "slot + PUT + message + ack");
  Row("upload: curl command line (baseline)", Format("%.1f MB/s", cu), "PUT to a fresh slot");
  Row("upload: timd / curl", Format("%.2fx", tu / cu), "goal >= 0.90x");
  Row("download: timd DownloadElemToPath", Format("%.1f MB/s", td), "GET, fsync, rename, sha256 checked");
  Row("download: curl command line (baseline)", Format("%.1f MB/s", cd), "same URL, -o file (no fsync)");
  Row("download: timd / curl", Format("%.2fx", td / cd), "goal >= 0.90x");
  Row("alice's timd: peak RSS over the upload", Format("%+.1f MB", (alice_peak_kb - alice_before_kb) / 1024.0),
      "VmHWM minus VmRSS before; goal <= +8 MB");
  Row("bob's timd: peak RSS over the download", Format("%+.1f MB", (bob_peak_kb - bob_before_kb) / 1024.0),
      "VmHWM minus VmRSS before; goal <= +8 MB");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t megabytes = 100;
  CLI::App app{"Files through timd's message path vs the curl command line"};
  app.add_option("--megabytes", megabytes, "file size (MB, 10^6 bytes)");
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timd_file_message_bench", [&] { return RunBench(megabytes); });
}
