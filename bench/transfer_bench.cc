// timd_transfer_bench: XEP-0363 file transfer throughput and memory (issue
// 15 part 5).
//
// Starts a private Prosody with http_file_share over HTTPS, logs an
// in-process xmpp::Client in, and moves one file (100 MB by default) through
// Prosody: uploads to a fresh slot with timd's http::TransferEngine and with
// the `curl` command line, then downloads the same GET URL with both. Rounds
// alternate which tool goes first. Prints MB/s for each, the engine/curl
// ratio (goal >= 0.9x) and the engine's peak RSS over the transfer (this
// process is the timd side; goal <= +8 MB, independent of the file size).
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bench_support.h"
#include "http/sha256_stream.h"
#include "support/upload_session.h"

namespace {

using namespace timd::bench;
using timd::test::ProsodyServer;
using timd::test::TempDir;
using timd::test::UploadSession;

struct Settings {
  uint64_t megabytes = 100;
  int rounds = 3;
};

struct Run {
  double seconds = 0;
  long rss_delta_kb = 0;  // engine runs only
};

double MegabytesPerSecond(uint64_t bytes, double seconds) { return bytes / 1e6 / seconds; }

// One engine transfer, timed, sampling this process's RSS at every progress report.
Run EngineTransfer(UploadSession& session, const std::function<void(timd::http::TransferCallbacks)>& start) {
  const long before_kb = ResidentKb(getpid());
  long peak_kb = before_kb;
  std::optional<timd::http::TransferResult> result;
  timd::http::TransferCallbacks callbacks;
  callbacks.on_progress = [&](const timd::http::TransferProgress&) {
    peak_kb = std::max(peak_kb, ResidentKb(getpid()));
  };
  callbacks.on_done = [&](const timd::http::TransferResult& r) { result = r; };
  const auto started = Clock::now();
  start(std::move(callbacks));
  session.RunUntil([&] { return result.has_value(); }, std::chrono::seconds(600));
  const double seconds = MsSince(started) / 1000;
  if (result->error != timd::http::TransferError::kNone) {
    throw std::runtime_error(std::string("engine transfer failed: ") + result->message);
  }
  return {seconds, peak_kb - before_kb};
}

// The curl command line with the same TLS trust; headers come from a file so
// the slot's Authorization is not on a command line.
Run CurlTransfer(const std::vector<std::string>& args, const TempDir& dir) {
  return {CurlSeconds(args, dir.File("curl.out")), 0};
}

// How long making `path` durable takes (the engine fsyncs every download).
double FsyncSeconds(const std::string& path) {
  const auto started = Clock::now();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) throw std::runtime_error("cannot fsync " + path);
  ::close(fd);
  return MsSince(started) / 1000;
}

timd::xmpp::UploadSlot FreshSlot(UploadSession& session, const timd::xmpp::UploadService& service,
                                 const std::string& name, uint64_t size) {
  timd::xmpp::SlotResult slot = session.RequestSlot(service, {name, size, "application/octet-stream"});
  if (slot.error != timd::xmpp::UploadError::kNone) throw std::runtime_error("no slot: " + slot.message);
  return slot.slot;
}

std::string HeaderFile(const TempDir& dir, const timd::xmpp::UploadSlot& slot) {
  std::string lines = "Content-Type: application/octet-stream\nExpect:\n";
  for (const auto& [name, value] : slot.put_headers) lines += name + ": " + value + "\n";
  const std::string path = dir.File("put-headers");
  timd::test::WriteFile(path, lines);
  ::chmod(path.c_str(), 0600);
  return path;
}

std::string Sha256Of(const std::string& path) {
  timd::http::Sha256Stream sha;
  FILE* in = std::fopen(path.c_str(), "rb");
  std::vector<char> buffer(1 << 20);
  size_t n;
  while (in != nullptr && (n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) sha.Update(buffer.data(), n);
  if (in != nullptr) std::fclose(in);
  return timd::http::ToHex(sha.Finish());
}

double Median(std::vector<Run> runs, double Run::*field) {
  std::vector<double> values;
  for (const Run& run : runs) values.push_back(run.*field);
  return timd::bench::Median(values);
}

int RunBench(const Settings& settings) {
  const std::string load_at_start = LoadAverage();
  const uint64_t size = settings.megabytes * 1000 * 1000;
  ProsodyServer prosody;
  prosody.EnableHttpUpload(size + 1);
  Progress("starting Prosody with http_file_share");
  prosody.Start();
  TempDir dir("timd-transfer-bench", timd::test::RealDiskTempBase());
  const std::string source = dir.File("source.bin");
  Progress("writing the " + std::to_string(settings.megabytes) + " MB source file");
  timd::test::WriteRandomFile(source, size);
  const std::string source_sha = Sha256Of(source);
  UploadSession session(prosody, "alice");
  timd::xmpp::ServiceDiscovery found = session.Discover();
  if (found.error != timd::xmpp::UploadError::kNone) throw std::runtime_error(found.message);

  std::vector<Run> engine_up, curl_up, engine_down, curl_down, curl_down_durable;
  for (int round = 0; round < settings.rounds; ++round) {
    CheckInterrupted();
    Progress("round " + std::to_string(round + 1) + " of " + std::to_string(settings.rounds));
    const auto engine_slot = FreshSlot(session, found.service, "e" + std::to_string(round) + ".bin", size);
    const auto curl_slot = FreshSlot(session, found.service, "c" + std::to_string(round) + ".bin", size);
    auto engine_upload = [&] {
      engine_up.push_back(EngineTransfer(session, [&](timd::http::TransferCallbacks cb) {
        session.engine().StartUpload({engine_slot.put_url, source, engine_slot.put_headers, ""}, std::move(cb));
      }));
    };
    auto curl_upload = [&] {
      curl_up.push_back(CurlTransfer({"--cacert", prosody.ca_file(), "-H", "@" + HeaderFile(dir, curl_slot), "-T",
                                      source, "-o", "/dev/null", curl_slot.put_url},
                                     dir));
    };
    const std::string engine_copy = dir.File("engine-copy.bin");
    const std::string curl_copy = dir.File("curl-copy.bin");
    auto engine_download = [&] {
      engine_down.push_back(EngineTransfer(session, [&](timd::http::TransferCallbacks cb) {
        session.engine().StartDownload({engine_slot.get_url, engine_copy, 0}, std::move(cb));
      }));
    };
    auto curl_download = [&] {
      Run run = CurlTransfer({"--cacert", prosody.ca_file(), "-o", curl_copy, engine_slot.get_url}, dir);
      curl_down.push_back(run);
      run.seconds += FsyncSeconds(curl_copy);
      curl_down_durable.push_back(run);
    };
    if (round % 2 == 0) {
      engine_upload(), curl_upload(), engine_download(), curl_download();
    } else {
      curl_upload(), engine_upload(), curl_download(), engine_download();
    }
    if (Sha256Of(engine_copy) != source_sha || Sha256Of(curl_copy) != source_sha) {
      throw std::runtime_error("a downloaded copy differs from the source");
    }
  }

  std::printf("\ntimd_transfer_bench: %llu MB through Prosody 0.12 http_file_share (HTTPS, loopback), "
              "medians of %d rounds\n\n",
              static_cast<unsigned long long>(settings.megabytes), settings.rounds);
  TableHeader();
  const double eu = MegabytesPerSecond(size, Median(engine_up, &Run::seconds));
  const double cu = MegabytesPerSecond(size, Median(curl_up, &Run::seconds));
  const double ed = MegabytesPerSecond(size, Median(engine_down, &Run::seconds));
  const double cd = MegabytesPerSecond(size, Median(curl_down, &Run::seconds));
  Row("upload: engine", Format("%.1f MB/s", eu), "PUT to a fresh slot");
  Row("upload: curl command line (baseline)", Format("%.1f MB/s", cu), "same file, its own fresh slot");
  Row("upload: engine / curl", Format("%.2fx", eu / cu), "goal >= 0.90x");
  Row("download: engine", Format("%.1f MB/s", ed), "GET to a temp file, fsync, rename");
  Row("download: curl command line (baseline)", Format("%.1f MB/s", cd), "same URL, -o file (no fsync)");
  const double cdd = MegabytesPerSecond(size, Median(curl_down_durable, &Run::seconds));
  Row("download: curl + fsync of its file", Format("%.1f MB/s", cdd), "the engine's durability");
  Row("download: engine / curl", Format("%.2fx", ed / cd), "goal >= 0.90x");
  Row("download: engine / (curl + fsync)", Format("%.2fx", ed / cdd), "like for like");
  std::vector<Run> engine_runs = engine_up;
  engine_runs.insert(engine_runs.end(), engine_down.begin(), engine_down.end());
  long peak_delta_kb = 0;
  for (const Run& run : engine_runs) peak_delta_kb = std::max(peak_delta_kb, run.rss_delta_kb);
  Row("engine: peak RSS over a transfer", Format("%+.1f MB", peak_delta_kb / 1024.0),
      "max over all engine runs; goal <= +8 MB");
  std::printf("\nRSS: VmRSS of this process, sampled at each progress report, minus its value at the start. "
              "Load average (1 min) at start %s, at end %s.\n",
              load_at_start.c_str(), LoadAverage().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  CLI::App app{"XEP-0363 transfer throughput: timd's HTTP engine vs the curl command line"};
  app.add_option("--megabytes", settings.megabytes, "file size (MB, 10^6 bytes)");
  app.add_option("--rounds", settings.rounds, "rounds (each: 2 uploads, 2 downloads)");
  CLI11_PARSE(app, argc, argv);
  return RunGuarded("timd_transfer_bench", [&] { return RunBench(settings); });
}
