#include "http/curl_multi_loop.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace timd::http {

struct CurlMultiLoop::SocketPoll {
  uv_poll_t handle;  // first member: the close callback casts back
  CurlMultiLoop* owner;
  curl_socket_t fd;
};

CurlMultiLoop::CurlMultiLoop(uv_loop_t* loop, OnDone on_done)
    : loop_(loop), on_done_(std::move(on_done)), multi_(curl_multi_init()), timer_(loop) {
  if (multi_ == nullptr) throw std::runtime_error("libcurl: curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMultiLoop::OnSocket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMultiLoop::OnTimer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMultiLoop::~CurlMultiLoop() {
  *alive_ = false;
  // Closing cached connections may still call OnSocket, which is fine here.
  curl_multi_cleanup(multi_);
  for (SocketPoll* poll : std::unordered_set<SocketPoll*>(polls_)) Unwatch(CURL_SOCKET_BAD, poll);
}

bool CurlMultiLoop::Add(CURL* easy) {
  // libcurl asks for a 0 ms timeout here; the timer starts the transfer.
  return curl_multi_add_handle(multi_, easy) == CURLM_OK;
}

void CurlMultiLoop::Remove(CURL* easy) { curl_multi_remove_handle(multi_, easy); }

int CurlMultiLoop::OnSocket(CURL*, curl_socket_t fd, int what, void* self, void* socket_poll) {
  auto* loop = static_cast<CurlMultiLoop*>(self);
  auto* poll = static_cast<SocketPoll*>(socket_poll);
  if (what == CURL_POLL_REMOVE) {
    if (poll != nullptr) loop->Unwatch(fd, poll);
  } else {
    loop->Watch(fd, what, poll);
  }
  return 0;
}

void CurlMultiLoop::Watch(curl_socket_t fd, int what, SocketPoll* poll) {
  if (poll == nullptr) {
    poll = new SocketPoll{};
    poll->owner = this;
    poll->fd = fd;
    if (uv_poll_init_socket(loop_, &poll->handle, fd) != 0) {
      // libcurl then times the transfer out; nothing else to do.
      spdlog::warn("http: cannot watch socket {}", fd);
      delete poll;
      return;
    }
    polls_.insert(poll);
    curl_multi_assign(multi_, fd, poll);
  }
  const int events = (what & CURL_POLL_IN ? UV_READABLE : 0) | (what & CURL_POLL_OUT ? UV_WRITABLE : 0);
  uv_poll_start(&poll->handle, events, &CurlMultiLoop::OnPoll);
}

void CurlMultiLoop::Unwatch(curl_socket_t fd, SocketPoll* poll) {
  if (fd != CURL_SOCKET_BAD) curl_multi_assign(multi_, fd, nullptr);
  polls_.erase(poll);
  poll->owner = nullptr;
  // Stopped now, freed when libuv is done with the handle.
  uv_poll_stop(&poll->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&poll->handle),
           [](uv_handle_t* handle) { delete reinterpret_cast<SocketPoll*>(handle); });
}

int CurlMultiLoop::OnTimer(CURLM*, long timeout_ms, void* self) {
  auto* loop = static_cast<CurlMultiLoop*>(self);
  if (timeout_ms < 0) {
    loop->timer_.Stop();
  } else {
    // Never act inside this callback (libcurl forbids it): the timer does.
    loop->timer_.Start(static_cast<uint64_t>(timeout_ms), [loop] { loop->Action(CURL_SOCKET_TIMEOUT, 0); });
  }
  return 0;
}

void CurlMultiLoop::OnPoll(uv_poll_t* handle, int status, int events) {
  auto* poll = reinterpret_cast<SocketPoll*>(handle);
  if (poll->owner == nullptr) return;
  int flags = 0;
  if (status < 0) flags |= CURL_CSELECT_ERR;
  if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  poll->owner->Action(poll->fd, flags);
}

void CurlMultiLoop::Action(curl_socket_t fd, int events) {
  int running = 0;
  curl_multi_socket_action(multi_, fd, events, &running);
  std::weak_ptr<bool> alive = alive_;
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    // The message dies with the handle's removal: copy it first.
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;
    on_done_(easy, code);
    if (alive.expired()) return;
  }
}

}  // namespace timd::http
