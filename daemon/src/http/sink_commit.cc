#include "http/sink_commit.h"

namespace timd::http {
namespace {

struct CommitWork {
  uv_work_t request;  // first member: the callbacks cast back
  std::shared_ptr<DownloadSink> sink;
  std::function<void(bool)> done;
  bool committed = false;
};

}  // namespace

void CommitOnThreadPool(uv_loop_t* loop, std::shared_ptr<DownloadSink> sink, std::function<void(bool committed)> done) {
  auto* work = new CommitWork{{}, std::move(sink), std::move(done)};
  // Only the pool thread touches the sink until the after-work callback.
  const int queued = uv_queue_work(
      loop, &work->request,
      [](uv_work_t* request) {
        auto* w = reinterpret_cast<CommitWork*>(request);
        w->committed = w->sink->Commit();
      },
      [](uv_work_t* request, int status) {
        std::unique_ptr<CommitWork> w(reinterpret_cast<CommitWork*>(request));
        w->done(status == 0 && w->committed);
      });
  if (queued != 0) {
    std::unique_ptr<CommitWork> w(work);
    w->done(w->sink->Commit());
  }
}

}  // namespace timd::http
