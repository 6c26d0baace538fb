#include "domain/file_downloads.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>

#include "domain/file_elems.h"

namespace timd::domain {
namespace {

Status DownloadFailure(const http::TransferResult& result) {
  std::string why = std::string("download failed: ") + http::ToString(result.error);
  if (result.http_status != 0) why += " (HTTP " + std::to_string(result.http_status) + ")";
  if (!result.message.empty()) why += ": " + result.message;
  return Status(Code::kUnavailable, tim_err::kFileTransDownloadFailed, why);
}

}  // namespace

void FileDownloads::Download(const tim::v1::DownloadElemToPathRequest& request,
                             Done<tim::v1::DownloadElemToPathResponse> done) {
  const std::string& url = request.url();
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "url must be an http(s) URL"));
  }
  if (!request.path().starts_with("/")) {
    return done(Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                       "path must be absolute (timd's working directory is not the caller's)"));
  }
  http::TransferCallbacks callbacks;
  if (!request.download_id().empty()) {
    callbacks.on_progress = [this, id = request.download_id()](const http::TransferProgress& progress) {
      tim::v1::Event event;
      auto& p = *event.mutable_download_progress();
      p.set_download_id(id);
      p.set_cur_size(progress.done);
      p.set_total_size(progress.total);
      bus_.Publish(std::move(event));
    };
  }
  callbacks.on_done = [done = std::move(done), path = request.path(),
                       expected = request.sha256()](const http::TransferResult& result) {
    if (result.error != http::TransferError::kNone) return done(DownloadFailure(result));
    tim::v1::DownloadElemToPathResponse response;
    response.set_size(result.bytes);
    response.set_sha256(HexOf(result.sha256.data(), result.sha256.size()));
    if (!expected.empty() && expected != response.sha256()) {
      // The bytes are not the element's: do not leave them where the app
      // expects the file.
      if (unlink(path.c_str()) != 0) spdlog::warn("could not remove a mismatching download");
      return done(Status(Code::kDataLoss, tim_err::kFileTransDownloadFailed,
                         "downloaded bytes do not match the element's sha256 (got " + response.sha256() + ")"));
    }
    done(std::move(response));
  };
  engine_.StartDownload(http::DownloadSpec{url, request.path(), 0}, std::move(callbacks));
}

}  // namespace timd::domain
