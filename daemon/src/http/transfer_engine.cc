#include "http/transfer_engine.h"

#include <mutex>
#include <stdexcept>

#include "http/transfer_job.h"

namespace timd::http {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl: global init failed");
  });
}

}  // namespace

TransferEngine::TransferEngine(uv_loop_t* loop, EngineOptions options)
    : loop_(loop),
      options_(std::move(options)),
      start_failure_timer_(loop),
      multi_((InitCurlOnce(), loop), [this](CURL* easy, CURLcode code) { OnCurlDone(easy, code); }) {}

TransferEngine::~TransferEngine() {
  for (auto& [id, job] : jobs_) Drop(*job);
  jobs_.clear();
}

TransferId TransferEngine::StartUpload(const UploadSpec& spec, TransferCallbacks callbacks) {
  auto job = std::make_unique<TransferJob>(next_id_++, std::move(callbacks), &callback_depth_);
  const bool prepared = job->PrepareUpload(spec, options_);
  return Launch(std::move(job), prepared);
}

TransferId TransferEngine::StartDownload(const DownloadSpec& spec, TransferCallbacks callbacks) {
  auto job = std::make_unique<TransferJob>(next_id_++, std::move(callbacks), &callback_depth_);
  const bool prepared = job->PrepareDownload(spec, options_);
  return Launch(std::move(job), prepared);
}

TransferId TransferEngine::Launch(std::unique_ptr<TransferJob> job, bool prepared) {
  const TransferId id = job->id();
  if (prepared && !multi_.Add(job->easy())) prepared = false;
  if (!prepared) {
    start_failures_.push_back(id);
    start_failure_timer_.Start(0, [this] { DeliverStartFailures(); });
  }
  jobs_.emplace(id, std::move(job));
  return id;
}

void TransferEngine::Drop(TransferJob& job) {
  // Never added when it failed to start; removing an unknown handle is harmless.
  if (job.easy() != nullptr) multi_.Remove(job.easy());
}

bool TransferEngine::Cancel(TransferId id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->cancelled()) return false;
  if (callback_depth_ > 0) {
    // Inside libcurl: it aborts the transfer at the job's next callback,
    // and OnCurlDone drops it quietly.
    it->second->MarkCancelled();
    return true;
  }
  Drop(*it->second);
  jobs_.erase(it);
  return true;
}

void TransferEngine::OnCurlDone(CURL* easy, CURLcode code) {
  TransferJob* finished = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &finished);
  auto it = finished != nullptr ? jobs_.find(finished->id()) : jobs_.end();
  multi_.Remove(easy);
  if (it == jobs_.end()) return;
  std::unique_ptr<TransferJob> job = std::move(it->second);
  jobs_.erase(it);
  if (job->cancelled()) return;
  std::shared_ptr<TransferJob> finishing = std::move(job);
  std::weak_ptr<bool> alive = alive_;
  finishing->Complete(code, loop_, [this, alive, finishing](const TransferResult& result) {
    if (!alive.expired()) Deliver(*finishing, result);
  });
}

void TransferEngine::Deliver(TransferJob& job, const TransferResult& result) {
  TransferCallbacks callbacks = std::move(job.callbacks());
  if (auto final_progress = job.FinalProgress(result); final_progress && callbacks.on_progress) {
    std::weak_ptr<bool> alive = alive_;
    callbacks.on_progress(*final_progress);
    if (alive.expired()) return;
  }
  if (callbacks.on_done) callbacks.on_done(result);
}

void TransferEngine::DeliverStartFailures() {
  std::weak_ptr<bool> alive = alive_;
  std::vector<TransferId> failures;
  failures.swap(start_failures_);
  for (TransferId id : failures) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;  // cancelled meanwhile
    std::unique_ptr<TransferJob> job = std::move(it->second);
    jobs_.erase(it);
    if (job->callbacks().on_done) job->callbacks().on_done(job->start_failure());
    if (alive.expired()) return;
  }
}

}  // namespace timd::http
