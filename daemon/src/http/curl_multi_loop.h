// Drives a libcurl multi handle from a libuv loop: a uv_poll_t per socket
// libcurl wants watched, one timer for libcurl's timeouts, and
// curl_multi_socket_action from their callbacks. No thread of its own; every
// libcurl callback runs on the loop thread, inside this object's calls.
#pragma once

#include <curl/curl.h>
#include <uv.h>

#include <functional>
#include <memory>
#include <unordered_set>

#include "common/timer.h"

namespace timd::http {

class CurlMultiLoop {
 public:
  // `on_done`: an easy handle finished with `code`; the owner removes it
  // (Remove) inside or after the call. Never called inside Add or Remove.
  using OnDone = std::function<void(CURL* easy, CURLcode code)>;

  CurlMultiLoop(uv_loop_t* loop, OnDone on_done);
  // The owner removes its easy handles first.
  ~CurlMultiLoop();
  CurlMultiLoop(const CurlMultiLoop&) = delete;
  CurlMultiLoop& operator=(const CurlMultiLoop&) = delete;

  bool Add(CURL* easy);
  void Remove(CURL* easy);

 private:
  struct SocketPoll;

  static int OnSocket(CURL* easy, curl_socket_t fd, int what, void* self, void* socket_poll);
  static int OnTimer(CURLM* multi, long timeout_ms, void* self);
  static void OnPoll(uv_poll_t* handle, int status, int events);
  void Watch(curl_socket_t fd, int what, SocketPoll* poll);
  void Unwatch(curl_socket_t fd, SocketPoll* poll);
  void Action(curl_socket_t fd, int events);

  uv_loop_t* loop_;
  OnDone on_done_;
  CURLM* multi_;
  Timer timer_;
  std::unordered_set<SocketPoll*> polls_;
  // Expires with this object: a done callback may destroy it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::http
