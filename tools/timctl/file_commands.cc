#include "file_commands.h"

#include <openssl/rand.h>

#include <filesystem>
#include <memory>
#include <string>

#include "exit_codes.h"
#include "progress_watch.h"

namespace timctl {
namespace {

struct DownloadArgs {
  std::string url;
  std::string path;
  std::string sha256;
};

// Names a call so that its progress events can be told from others'.
std::string RandomId(const char* prefix) {
  unsigned char bytes[12];
  RAND_bytes(bytes, sizeof bytes);
  std::string id = prefix;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned char b : bytes) {
    id += kDigits[b >> 4];
    id += kDigits[b & 0xf];
  }
  return id;
}

int LastFileIndex(const tim::v1::Message& message) {
  int last = -1;
  for (int i = 0; i < message.elems_size(); ++i) {
    if (message.elems(i).has_file()) last = i;
  }
  return last;
}

std::string ProgressText(const std::string& what, uint64_t done, uint64_t total) {
  std::string text = what + ": " + std::to_string(done);
  if (total == 0) return text + " bytes";
  return text + "/" + std::to_string(total) + " bytes (" + std::to_string(done * 100 / total) + "%)";
}

// Runs one Messages call while a ProgressWatch shows its `kind` events
// (those `match` picks); the result is printed once the last of them is out.
template <typename Request, typename Response>
int CallWatched(TimdClient& client, UnaryMethod<tim::v1::Messages::Stub, Request, Response> method,
                const Request& request, tim::v1::EventKind kind, ProgressWatch::Match match,
                const std::function<std::string(const Response&)>& human) {
  grpc::ClientContext ctx;
  client.PrepareUnary(ctx);
  Response response;
  grpc::Status status;
  {
    ProgressWatch watch(client, kind, std::move(match));
    status = ((*client.stubs().messages).*method)(&ctx, request, &response);
    if (!status.ok()) watch.MarkComplete();  // no final event is coming
  }
  if (!status.ok()) return ReportCallError(client.options(), client.target(), ctx, status);
  PrintLine(client.options().json ? ToJson(response) : human(response));
  return kExitOk;
}

int RunDownload(const CommonOptions& common, const DownloadArgs& args) {
  tim::v1::DownloadElemToPathRequest request;
  request.set_url(args.url);
  request.set_path(std::filesystem::absolute(args.path).lexically_normal().string());
  request.set_sha256(args.sha256);
  request.set_download_id(RandomId("timctl-"));
  TimdClient client(common);
  return CallWatched<tim::v1::DownloadElemToPathRequest, tim::v1::DownloadElemToPathResponse>(
      client, &tim::v1::Messages::Stub::DownloadElemToPath, request, tim::v1::EVENT_KIND_DOWNLOAD_PROGRESS,
      [&common, id = request.download_id()](const tim::v1::Event& event) {
        const auto& p = event.download_progress();
        if (p.download_id() != id) return false;
        PrintProgress(common, event, ProgressText("downloading", p.cur_size(), p.total_size()));
        return p.total_size() != 0 && p.cur_size() == p.total_size();
      },
      [path = request.path()](const tim::v1::DownloadElemToPathResponse& r) {
        return "downloaded " + std::to_string(r.size()) + " bytes to " + path + " (sha256 " + r.sha256() + ")";
      });
}

}  // namespace

int RunSendFile(TimdClient& client, tim::v1::SendMessageRequest request) {
  if (request.client_msg_id().empty()) request.set_client_msg_id(RandomId(""));
  const CommonOptions& common = client.options();
  return CallWatched<tim::v1::SendMessageRequest, tim::v1::SendMessageResponse>(
      client, &tim::v1::Messages::Stub::SendMessage, request, tim::v1::EVENT_KIND_MSG_UPLOAD_PROGRESS,
      [&common, id = request.client_msg_id()](const tim::v1::Event& event) {
        const auto& p = event.msg_upload_progress();
        if (p.message().msg_id() != id) return false;
        PrintProgress(common, event,
                      ProgressText("uploading element " + std::to_string(p.index()), p.cur_size(), p.total_size()));
        // The last element's 100 %: a message of several files reports each.
        return p.cur_size() == p.total_size() && static_cast<int>(p.index()) == LastFileIndex(p.message());
      },
      [](const tim::v1::SendMessageResponse& r) {
        std::string text = "sent " + r.message().msg_id() + " (seq " + std::to_string(r.message().seq()) + ")";
        for (const auto& elem : r.message().elems()) {
          if (!elem.has_file()) continue;
          text += "\n" + elem.file().url();
          if (elem.file().has_snapshot()) text += "\nsnapshot " + elem.file().snapshot().url();
        }
        return text;
      });
}

void AddFileCommands(CLI::App& app, CommonOptions& common, std::vector<Command>& commands) {
  auto args = std::make_shared<DownloadArgs>();
  auto* download = app.add_subcommand(
      "download", "Download a file element's URL to a local path (DownloadElemToPath), showing progress");
  AddCommonOptions(*download, common);
  download->add_option("URL", args->url, "the element's url (a video's snapshot: its snapshot's url)")->required();
  download->add_option("PATH", args->path, "where to write the file (replaced only once complete)")->required();
  download->add_option("--sha256", args->sha256, "the element's sha256 (hex): the bytes must match it");
  commands.push_back({download, [&common, args] { return RunDownload(common, *args); }});
}

}  // namespace timctl
