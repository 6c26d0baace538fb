// Finishing a download off the loop: fsync of a large file can take long
// (all its dirty pages go to disk), so DownloadSink::Commit runs on libuv's
// thread pool and the result comes back on the loop thread.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>

#include "http/download_sink.h"

namespace timd::http {

// `done(committed)` runs on the loop thread; false when Commit failed (see
// the sink's error()) or the loop shut the pool down first.
void CommitOnThreadPool(uv_loop_t* loop, std::shared_ptr<DownloadSink> sink, std::function<void(bool committed)> done);

}  // namespace timd::http
