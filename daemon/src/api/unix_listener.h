// The API's listening Unix socket, accepted on the libuv loop.
//
// Start() adopts a socket handed over by systemd socket activation
// (LISTEN_PID == getpid(), LISTEN_FDS >= 1: fd 3, which must be a listening
// Unix stream socket), or else creates `socket_path` with mode 0660. A socket
// file already at that path is replaced only when nothing listens on it; if
// another process (another timd) serves it, Start() fails.
//
// Each accepted connection is non-blocking and close-on-exec (gRPC needs a
// non-blocking fd). Its SO_PEERCRED credentials, and when they do not suffice
// its supplementary groups (peer_groups.h), decide admission; admitted
// connections go to `on_accept`, which takes ownership of the fd. Refused
// ones are logged and closed.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>
#include <uv.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/peer_registry.h"
#include "common/status.h"

namespace timd::api {

// Who may connect: root, timd's own uid, `allow_uids`, or a member (primary
// or supplementary group) of the socket file's group or of `allow_gids`.
struct AdmissionPolicy {
  uid_t own_uid = 0;
  std::optional<gid_t> socket_gid;
  std::vector<uint32_t> allow_uids;
  std::vector<uint32_t> allow_gids;

  bool Admits(const PeerCredentials& peer, const std::vector<gid_t>& supplementary_groups) const;
};

struct ListenerOptions {
  std::string socket_path;
  std::vector<uint32_t> allow_uids;
  std::vector<uint32_t> allow_gids;
};

class UnixListener {
 public:
  using OnAccept = std::function<void(int fd, const PeerCredentials& peer)>;

  // Loop thread only, like every method.
  UnixListener(uv_loop_t* loop, ListenerOptions options, OnAccept on_accept);
  ~UnixListener();
  UnixListener(const UnixListener&) = delete;
  UnixListener& operator=(const UnixListener&) = delete;

  Status Start();
  // Stops accepting, closes the socket and unlinks the socket file if this
  // listener created it (and it is still ours). Idempotent.
  void Stop();

  const std::string& path() const { return path_; }
  bool socket_activated() const { return activated_; }

 private:
  Status AdoptActivatedSocket(int fd);
  Status CreateSocket();
  void StartPolling();
  void AcceptAll();
  void Admit(int fd);
  void PauseAccepting();
  static void OnPoll(uv_poll_t* handle, int status, int events);

  uv_loop_t* loop_;
  ListenerOptions options_;
  OnAccept on_accept_;
  AdmissionPolicy policy_;
  std::string path_;
  int fd_ = -1;
  bool activated_ = false;
  bool created_ = false;  // we created the socket file: unlink it on Stop
  dev_t file_dev_ = 0;
  ino_t file_ino_ = 0;
  uv_poll_t* poll_ = nullptr;    // heap-owned: uv_close completes later
  uv_timer_t* backoff_ = nullptr;  // resumes accepting after EMFILE
};

}  // namespace timd::api
