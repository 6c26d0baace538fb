#include "progress_watch.h"

#include <chrono>
#include <cstdio>

#include "output.h"

namespace timctl {

ProgressWatch::ProgressWatch(TimdClient& client, tim::v1::EventKind kind, Match match)
    : match_(std::move(match)), thread_([this, &client, kind] { Run(client, kind); }) {}

ProgressWatch::~ProgressWatch() {
  // The call's answer can overtake its last event on the other stream.
  for (int i = 0; i < 40 && !complete_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (ctx_) ctx_->TryCancel();
  }
  thread_.join();
}

grpc::Status ProgressWatch::Follow(TimdClient& client, tim::v1::SubscribeRequest request) {
  grpc::ClientContext* ctx = nullptr;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return grpc::Status::CANCELLED;
    ctx_ = std::make_unique<grpc::ClientContext>();
    ctx = ctx_.get();
  }
  client.Authorize(*ctx);
  auto reader = client.stubs().events->Subscribe(ctx, request);
  tim::v1::Event event;
  while (reader->Read(&event)) {
    if (match_(event)) complete_ = true;
  }
  return reader->Finish();
}

void ProgressWatch::Run(TimdClient& client, tim::v1::EventKind kind) {
  tim::v1::SubscribeRequest request;
  request.set_since_seq(0);
  request.add_kinds(kind);
  grpc::Status status = Follow(client, request);
  if (status.error_code() != grpc::StatusCode::OUT_OF_RANGE) return;
  // The journal no longer starts at 0: follow from its oldest event.
  tim::v1::ErrorDetail detail;
  if (!detail.ParseFromString(status.error_details()) || detail.oldest_available_seq() == 0) return;
  request.set_since_seq(detail.oldest_available_seq() - 1);
  Follow(client, request);
}

void PrintProgress(const CommonOptions& options, const tim::v1::Event& event, const std::string& text) {
  if (options.json) {
    PrintLine(ToJson(event));
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
}

}  // namespace timctl
