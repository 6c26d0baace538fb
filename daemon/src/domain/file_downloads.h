// Messages.DownloadElemToPath (TIMMsgDownloadElemToPath, mapping §5): a
// file element's URL fetched to a local path by the shared
// http::TransferEngine (temp file, fsync, rename), with DOWNLOAD_PROGRESS
// events and the SHA-256 checked when the caller knows it. Every failure
// is TIM's 6009.
#pragma once

#include "domain/done.h"
#include "events/event_bus.h"
#include "http/transfer_engine.h"
#include "tim/v1/messages.pb.h"

namespace timd::domain {

class FileDownloads {
 public:
  // `engine` must outlive this.
  FileDownloads(http::TransferEngine& engine, events::EventBus& bus) : engine_(engine), bus_(bus) {}

  void Download(const tim::v1::DownloadElemToPathRequest& request, Done<tim::v1::DownloadElemToPathResponse> done);

 private:
  http::TransferEngine& engine_;
  events::EventBus& bus_;
};

}  // namespace timd::domain
