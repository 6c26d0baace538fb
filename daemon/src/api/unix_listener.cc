#include "api/unix_listener.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <utility>

#include "api/peer_groups.h"

namespace timd::api {
namespace {

constexpr int kActivationFd = 3;  // SD_LISTEN_FDS_START
constexpr int kBacklog = 128;
constexpr uint64_t kAcceptBackoffMs = 100;

Status IoError(std::string message) {
  return Status(Code::kFailedPrecondition, tim_err::kIoOperationFailed, std::move(message));
}

std::string Errno() { return std::strerror(errno); }

bool Contains(const std::vector<uint32_t>& ids, uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::optional<sockaddr_un> UnixAddress(const std::string& path) {
  sockaddr_un addr{};
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) return std::nullopt;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

// True when a process accepts connections on the socket file at `path`.
Result<bool> SomeoneListens(const sockaddr_un& addr) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError("socket: " + Errno());
  int rc = connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  int err = errno;
  close(fd);
  if (rc == 0 || err == EAGAIN || err == EINPROGRESS) return true;  // EAGAIN: backlog full
  if (err == ECONNREFUSED) return false;
  return IoError(std::string("probing ") + addr.sun_path + ": " + std::strerror(err));
}

std::optional<int> EnvInt(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  char* end = nullptr;
  long n = std::strtol(value, &end, 10);
  if (*end != '\0') return std::nullopt;
  return static_cast<int>(n);
}

}  // namespace

bool AdmissionPolicy::Admits(const PeerCredentials& peer,
                             const std::vector<gid_t>& supplementary_groups) const {
  if (peer.uid == 0 || peer.uid == own_uid || Contains(allow_uids, peer.uid)) return true;
  auto group_allowed = [&](gid_t gid) {
    return (socket_gid && gid == *socket_gid) || Contains(allow_gids, gid);
  };
  return group_allowed(peer.gid) ||
         std::any_of(supplementary_groups.begin(), supplementary_groups.end(), group_allowed);
}

UnixListener::UnixListener(uv_loop_t* loop, ListenerOptions options, OnAccept on_accept)
    : loop_(loop), options_(std::move(options)), on_accept_(std::move(on_accept)) {
  policy_.own_uid = geteuid();
  policy_.allow_uids = options_.allow_uids;
  policy_.allow_gids = options_.allow_gids;
}

UnixListener::~UnixListener() { Stop(); }

Status UnixListener::Start() {
  auto listen_pid = EnvInt("LISTEN_PID");
  auto listen_fds = EnvInt("LISTEN_FDS");
  Status status = (listen_pid && *listen_pid == getpid() && listen_fds && *listen_fds >= 1)
                      ? AdoptActivatedSocket(kActivationFd)
                      : CreateSocket();
  if (!status.ok()) return status;

  struct stat st{};
  if (!path_.empty() && stat(path_.c_str(), &st) == 0) policy_.socket_gid = st.st_gid;
  StartPolling();
  spdlog::info("api: listening on {}{}", path_.empty() ? "(unnamed socket)" : path_,
               activated_ ? " (socket activation)" : "");
  return Status::Ok();
}

Status UnixListener::AdoptActivatedSocket(int fd) {
  int type = 0, listening = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) {
    return IoError("socket activation: fd 3 is not a stream socket");
  }
  len = sizeof(listening);
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) {
    return IoError("socket activation: fd 3 is not listening");
  }
  sockaddr_un addr{};
  len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || addr.sun_family != AF_UNIX) {
    return IoError("socket activation: fd 3 is not a Unix socket");
  }
  if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
    return IoError("socket activation: fcntl: " + Errno());
  }
  if (len > offsetof(sockaddr_un, sun_path) && addr.sun_path[0] != '\0') {
    path_.assign(addr.sun_path, strnlen(addr.sun_path, sizeof(addr.sun_path)));
  }
  if (!options_.socket_path.empty() && options_.socket_path != path_) {
    spdlog::info("api: socket activation overrides configured socket {}", options_.socket_path);
  }
  fd_ = fd;
  activated_ = true;
  return Status::Ok();
}

Status UnixListener::CreateSocket() {
  const std::string& path = options_.socket_path;
  auto addr = UnixAddress(path);
  if (!addr) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "invalid socket path (empty or too long): " + path);
  }
  struct stat st{};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return IoError(path + " exists and is not a socket");
    auto listens = SomeoneListens(*addr);
    if (!listens.ok()) return listens.status();
    if (listens.value()) return IoError("another process (timd?) is already serving " + path);
    spdlog::info("api: removing stale socket {}", path);
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("unlink " + path + ": " + Errno());
  }

  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return IoError("socket: " + Errno());
  // Nobody can connect between bind and chmod: the socket listens only after.
  if (bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) != 0) {
    Status status = IoError("bind " + path + ": " + Errno());
    close(fd);
    return status;
  }
  created_ = true;
  path_ = path;
  fd_ = fd;
  if (lstat(path.c_str(), &st) == 0) {
    file_dev_ = st.st_dev;
    file_ino_ = st.st_ino;
  }
  if (chmod(path.c_str(), 0660) != 0) return IoError("chmod " + path + ": " + Errno());
  if (listen(fd, kBacklog) != 0) return IoError("listen " + path + ": " + Errno());
  return Status::Ok();
}

void UnixListener::StartPolling() {
  poll_ = new uv_poll_t;
  uv_poll_init(loop_, poll_, fd_);
  poll_->data = this;
  uv_poll_start(poll_, UV_READABLE, &UnixListener::OnPoll);
}

void UnixListener::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  auto* self = static_cast<UnixListener*>(handle->data);
  if (status < 0) {
    spdlog::warn("api: polling the listening socket failed: {}", uv_strerror(status));
    return;
  }
  self->AcceptAll();
}

void UnixListener::AcceptAll() {
  while (fd_ >= 0) {
    int fd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      Admit(fd);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    spdlog::warn("api: accept failed: {}", Errno());
    // The poll is level-triggered: without a pause, EMFILE would spin.
    PauseAccepting();
    return;
  }
}

void UnixListener::PauseAccepting() {
  if (!poll_) return;
  uv_poll_stop(poll_);
  if (!backoff_) {
    backoff_ = new uv_timer_t;
    uv_timer_init(loop_, backoff_);
    backoff_->data = this;
  }
  uv_timer_start(
      backoff_,
      [](uv_timer_t* timer) {
        auto* self = static_cast<UnixListener*>(timer->data);
        if (self->poll_) uv_poll_start(self->poll_, UV_READABLE, &UnixListener::OnPoll);
      },
      kAcceptBackoffMs, 0);
}

void UnixListener::Admit(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    spdlog::warn("api: SO_PEERCRED failed ({}); closing connection", Errno());
    close(fd);
    return;
  }
  PeerCredentials peer{cred.pid, cred.uid, cred.gid, std::chrono::system_clock::now()};
  if (!policy_.Admits(peer, {}) && !policy_.Admits(peer, PeerSupplementaryGroups(fd, peer.pid))) {
    spdlog::warn("api: refused connection from uid={} gid={} pid={}", peer.uid, peer.gid, peer.pid);
    close(fd);
    return;
  }
  spdlog::debug("api: accepted connection fd={} uid={} gid={} pid={}", fd, peer.uid, peer.gid, peer.pid);
  on_accept_(fd, peer);
}

void UnixListener::Stop() {
  auto close_handle = [](auto*& handle) {
    if (!handle) return;
    uv_close(reinterpret_cast<uv_handle_t*>(handle), [](uv_handle_t* h) {
      delete reinterpret_cast<std::remove_reference_t<decltype(handle)>>(h);
    });
    handle = nullptr;
  };
  close_handle(poll_);
  close_handle(backoff_);
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  if (created_) {
    // Unlink only our own file: a successor may already have replaced it.
    struct stat st{};
    if (lstat(path_.c_str(), &st) == 0 && st.st_dev == file_dev_ && st.st_ino == file_ino_) {
      unlink(path_.c_str());
    }
    created_ = false;
  }
}

}  // namespace timd::api
