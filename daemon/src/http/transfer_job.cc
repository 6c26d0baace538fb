#include "http/transfer_job.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>

#include "http/sink_commit.h"
#include "http/transfer_error.h"

namespace timd::http {
namespace {

// Larger than libcurl's 16 KiB: fewer write callbacks and write(2) calls per
// megabyte, still a fixed cost per transfer. (Uploads keep libcurl's 64 KiB:
// 512 KiB measured no faster against Prosody.)
constexpr long kDownloadBufferBytes = 256 * 1024;
constexpr long kMaxRedirects = 5;

uint64_t NowMs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

bool OneLine(const std::string& text) { return text.find_first_of("\r\n") == std::string::npos; }

}  // namespace

TransferJob::TransferJob(TransferId id, TransferCallbacks callbacks, int* callback_depth)
    : id_(id), callbacks_(std::move(callbacks)), callback_depth_(callback_depth), easy_(curl_easy_init()) {}

TransferJob::~TransferJob() {
  if (easy_ != nullptr) curl_easy_cleanup(easy_);
  curl_slist_free_all(headers_);
}

bool TransferJob::Fail(TransferError error, std::string message) {
  start_failure_.error = error;
  start_failure_.message = std::move(message);
  return false;
}

bool TransferJob::AddHeader(const std::string& line) {
  curl_slist* grown = curl_slist_append(headers_, line.c_str());
  if (grown == nullptr) return false;
  headers_ = grown;
  return true;
}

bool TransferJob::ApplyCommonOptions(const std::string& url, const EngineOptions& options) {
  if (easy_ == nullptr) return Fail(TransferError::kInternal, "libcurl: curl_easy_init failed");
  const char* protocols = options.allow_plain_http ? "http,https" : "https";
  extra_ca_file_ = options.extra_ca_file;
  bool ok = curl_easy_setopt(easy_, CURLOPT_URL, url.c_str()) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy_, CURLOPT_PROTOCOLS_STR, protocols) == CURLE_OK;
  ok = ok && curl_easy_setopt(easy_, CURLOPT_REDIR_PROTOCOLS_STR, protocols) == CURLE_OK;
  if (!ok) return Fail(TransferError::kBadRequest, "the URL is not usable (only " + std::string(protocols) + ")");
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(easy_, CURLOPT_FAILONERROR, 1L);  // an error status ends the transfer, no body kept
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  curl_easy_setopt(easy_, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(easy_, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_s);
  curl_easy_setopt(easy_, CURLOPT_USERAGENT, "timd");
  curl_easy_setopt(easy_, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy_, CURLOPT_XFERINFOFUNCTION, &TransferJob::OnProgress);
  curl_easy_setopt(easy_, CURLOPT_XFERINFODATA, this);
  if (!extra_ca_file_.empty()) {
    curl_easy_setopt(easy_, CURLOPT_SSL_CTX_FUNCTION, &TransferJob::OnSslContext);
    curl_easy_setopt(easy_, CURLOPT_SSL_CTX_DATA, this);
  }
  return true;
}

bool TransferJob::PrepareUpload(const UploadSpec& spec, const EngineOptions& options) {
  if (!ApplyCommonOptions(spec.url, options)) return false;
  for (const auto& [name, value] : spec.headers) {
    if (!OneLine(name) || !OneLine(value) || name.empty() || name.find(':') != std::string::npos) {
      return Fail(TransferError::kBadRequest, "a PUT header is not a single 'name: value' line");
    }
    if (!AddHeader(name + ": " + value)) return Fail(TransferError::kInternal, "out of memory");
  }
  const std::string type = spec.content_type.empty() ? "application/octet-stream" : spec.content_type;
  // No "Expect: 100-continue": the slot already vouches for the size, and
  // the wait for a 100 costs a round trip (or a second) per upload.
  if (!OneLine(type) || !AddHeader("Content-Type: " + type) || !AddHeader("Expect:")) {
    return Fail(TransferError::kBadRequest, "the content type is not one line");
  }
  source_ = std::make_unique<UploadSource>();
  std::string why;
  if (!source_->Open(spec.file_path, &why)) return Fail(TransferError::kFileUnreadable, why);
  curl_easy_setopt(easy_, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(easy_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(source_->size()));
  curl_easy_setopt(easy_, CURLOPT_READFUNCTION, &TransferJob::OnRead);
  curl_easy_setopt(easy_, CURLOPT_READDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
  return true;
}

bool TransferJob::PrepareDownload(const DownloadSpec& spec, const EngineOptions& options) {
  if (!ApplyCommonOptions(spec.url, options)) return false;
  sink_ = std::make_shared<DownloadSink>();
  std::string why;
  if (!sink_->Open(spec.path, spec.max_bytes, &why)) return Fail(TransferError::kFileWrite, why);
  curl_easy_setopt(easy_, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(easy_, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &TransferJob::OnWrite);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_BUFFERSIZE, kDownloadBufferBytes);
  if (spec.max_bytes != 0) curl_easy_setopt(easy_, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(spec.max_bytes));
  return true;
}

void TransferJob::Complete(CURLcode code, uv_loop_t* loop,
                           std::function<void(const TransferResult& result)> finished) {
  long http_status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &http_status);
  if (code != CURLE_OK || http_status < 200 || http_status >= 300) return finished(Failure(code, http_status));
  TransferResult result;
  result.http_status = http_status;
  if (source_) {
    result.bytes = source_->sent();
    result.sha256 = source_->Digest();
    return finished(result);
  }
  result.bytes = sink_->written();
  result.sha256 = sink_->Digest();
  CommitOnThreadPool(loop, sink_, [this, result, finished = std::move(finished)](bool committed) mutable {
    if (!committed) {
      result.error = sink_->error();
      result.message = sink_->error_message();
    }
    finished(result);
  });
}

TransferResult TransferJob::Failure(CURLcode code, long http_status) {
  TransferResult result;
  result.http_status = http_status;
  if (sink_) sink_->Discard();
  // Our own side's reason first: libcurl only sees that a callback refused.
  if (source_ && !source_->error().empty()) {
    result.error = TransferError::kFileUnreadable;
    result.message = source_->error();
  } else if (sink_ && sink_->error() != TransferError::kNone) {
    result.error = sink_->error();
    result.message = sink_->error_message();
  } else if (code == CURLE_OK) {
    result.error = TransferError::kHttpStatus;
    result.message = "the server answered HTTP " + std::to_string(http_status);
  } else {
    result.error = ErrorFromCurl(code, http_status);
    result.message = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(code);
    if (result.error == TransferError::kHttpStatus) {
      result.message = "the server answered HTTP " + std::to_string(http_status);
    }
  }
  return result;
}

std::optional<TransferProgress> TransferJob::FinalProgress(const TransferResult& result) const {
  if (result.error != TransferError::kNone) return std::nullopt;
  const TransferProgress final_progress{result.bytes, result.bytes};
  if (!throttle_.NeedsFinal(final_progress)) return std::nullopt;
  return final_progress;
}

size_t TransferJob::OnRead(char* buffer, size_t size, size_t count, void* job) {
  auto* self = static_cast<TransferJob*>(job);
  if (self->cancelled_) return CURL_READFUNC_ABORT;
  const size_t got = self->source_->Read(buffer, size * count);
  return got == UploadSource::kFailed ? CURL_READFUNC_ABORT : got;
}

size_t TransferJob::OnWrite(char* data, size_t size, size_t count, void* job) {
  auto* self = static_cast<TransferJob*>(job);
  if (self->cancelled_) return 0;
  return self->sink_->Write(data, size * count) ? size * count : 0;
}

int TransferJob::OnProgress(void* job, curl_off_t dl_total, curl_off_t dl_now, curl_off_t ul_total, curl_off_t ul_now) {
  auto* self = static_cast<TransferJob*>(job);
  if (self->cancelled_) return 1;
  TransferProgress progress;
  if (self->source_) {
    progress = {static_cast<uint64_t>(ul_now), static_cast<uint64_t>(ul_total)};
  } else {
    progress = {static_cast<uint64_t>(dl_now), static_cast<uint64_t>(dl_total)};
  }
  if (self->callbacks_.on_progress && self->throttle_.ShouldReport(NowMs(), progress)) {
    ++*self->callback_depth_;
    self->callbacks_.on_progress(progress);
    --*self->callback_depth_;
  }
  return self->cancelled_ ? 1 : 0;
}

CURLcode TransferJob::OnSslContext(CURL*, void* ssl_ctx, void* job) {
  auto* self = static_cast<TransferJob*>(job);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  if (X509_STORE_load_locations(store, self->extra_ca_file_.c_str(), nullptr) != 1) {
    return CURLE_SSL_CACERT_BADFILE;
  }
  return CURLE_OK;
}

}  // namespace timd::http
