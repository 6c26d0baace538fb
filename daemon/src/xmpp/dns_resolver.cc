#include "xmpp/dns_resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

#include "common/timer.h"

namespace timd::xmpp {
namespace {

// With explicit servers timd sets its own patience (the system's is read
// from resolv.conf): a dead server costs at most 2 x 2 s per query.
constexpr int kExplicitTimeoutMs = 2000;
constexpr int kExplicitTries = 2;

std::string AresError(int status) { return ares_strerror(status); }

std::string NumericAddress(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
  } else {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  }
  return text;
}

// RFC 8305-style: alternate the families, starting with the one c-ares
// sorted first, so a broken IPv6 (or IPv4) path costs one attempt.
std::vector<std::string> Interleave(const ares_addrinfo* info) {
  std::vector<std::string> first;
  std::vector<std::string> second;
  int first_family = AF_UNSPEC;
  for (const ares_addrinfo_node* node = info->nodes; node != nullptr; node = node->ai_next) {
    if (node->ai_family != AF_INET && node->ai_family != AF_INET6) continue;
    if (first_family == AF_UNSPEC) first_family = node->ai_family;
    std::string address = NumericAddress(node->ai_addr);
    auto& list = node->ai_family == first_family ? first : second;
    if (std::find(list.begin(), list.end(), address) == list.end()) list.push_back(std::move(address));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < first.size() || i < second.size(); ++i) {
    if (i < first.size()) out.push_back(first[i]);
    if (i < second.size()) out.push_back(second[i]);
  }
  return out;
}

}  // namespace

struct DnsResolver::Impl {
  // A socket c-ares watches; closes asynchronously and frees itself.
  struct Poll {
    uv_poll_t handle;  // first member: the close callback casts back
    Impl* owner;
    ares_socket_t fd;
  };

  explicit Impl(uv_loop_t* loop) : loop(loop), retry_timer(loop), deliver_timer(loop) {}

  ~Impl() {
    *alive = false;
    destroying = true;
    if (channel != nullptr) ares_destroy(channel);  // pending queries end with ARES_EDESTRUCTION
    for (auto& [fd, poll] : polls) ClosePoll(poll);
  }

  Status Init(const std::vector<std::string>& servers) {
    static std::once_flag library;
    std::call_once(library, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    ares_options options{};
    int mask = ARES_OPT_SOCK_STATE_CB;
    options.sock_state_cb = &Impl::OnSocketState;
    options.sock_state_cb_data = this;
    if (!servers.empty()) {
      mask |= ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
      options.timeout = kExplicitTimeoutMs;
      options.tries = kExplicitTries;
    }
    if (int rc = ares_init_options(&channel, &options, mask); rc != ARES_SUCCESS) {
      channel = nullptr;
      return Status(Code::kInternal, tim_err::kSdkInternalError, "cannot set up DNS: " + AresError(rc));
    }
    if (servers.empty()) return Status::Ok();
    std::string csv;
    for (const std::string& server : servers) csv += (csv.empty() ? "" : ",") + server;
    if (int rc = ares_set_servers_ports_csv(channel, csv.c_str()); rc != ARES_SUCCESS) {
      return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                    "invalid DNS servers \"" + csv + "\": " + AresError(rc));
    }
    return Status::Ok();
  }

  // --- driving c-ares from the loop -----------------------------------------

  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Impl*>(data);
    auto it = self->polls.find(fd);
    if (!readable && !writable) {
      if (it != self->polls.end()) {
        ClosePoll(it->second);
        self->polls.erase(it);
      }
      return;
    }
    if (self->destroying) return;
    Poll* poll = it != self->polls.end() ? it->second : nullptr;
    if (poll == nullptr) {
      poll = new Poll{};
      poll->owner = self;
      poll->fd = fd;
      if (uv_poll_init_socket(self->loop, &poll->handle, fd) != 0) {
        delete poll;
        return;  // c-ares times the query out
      }
      self->polls[fd] = poll;
    }
    uv_poll_start(&poll->handle, (readable ? UV_READABLE : 0) | (writable ? UV_WRITABLE : 0), &Impl::OnPoll);
  }

  static void ClosePoll(Poll* poll) {
    poll->owner = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&poll->handle),
             [](uv_handle_t* handle) { delete reinterpret_cast<Poll*>(handle); });
  }

  static void OnPoll(uv_poll_t* handle, int status, int events) {
    auto* poll = reinterpret_cast<Poll*>(handle);
    Impl* self = poll->owner;
    if (self == nullptr) return;
    // On a poll error let c-ares read and write, so it sees the error itself.
    const ares_socket_t fd = poll->fd;
    ares_process_fd(self->channel, status < 0 || (events & UV_READABLE) ? fd : ARES_SOCKET_BAD,
                    status < 0 || (events & UV_WRITABLE) ? fd : ARES_SOCKET_BAD);
    self->ArmRetryTimer();
  }

  void ArmRetryTimer() {
    timeval next{};
    if (ares_timeout(channel, nullptr, &next) == nullptr) return retry_timer.Stop();  // nothing pending
    // Rounded up and at least 1 ms: a 0 ms timer re-armed from its own
    // callback would run again in the same loop turn, forever.
    const uint64_t ms = static_cast<uint64_t>(next.tv_sec) * 1000 + (static_cast<uint64_t>(next.tv_usec) + 999) / 1000;
    retry_timer.Start(std::max<uint64_t>(ms, 1), [this] {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      ArmRetryTimer();
    });
  }

  // --- answers ----------------------------------------------------------------

  // Answers are handed over on the next loop turn: the caller may destroy
  // the resolver in its callback, which c-ares does not allow inside its own.
  void Deliver(std::function<void()> answer) {
    ready.push_back(std::move(answer));
    if (!deliver_timer.active()) deliver_timer.Start(0, [this] { DeliverReady(); });
  }

  void DeliverReady() {
    auto batch = std::exchange(ready, {});
    auto alive_now = alive;
    for (auto& answer : batch) {
      answer();
      if (!*alive_now) return;
    }
  }

  template <typename Answer>
  struct Request {
    Impl* owner;
    std::function<void(Answer)> done;
  };

  static void OnSrv(void* arg, int status, int, unsigned char* buffer, int length) {
    std::unique_ptr<Request<SrvAnswer>> request(static_cast<Request<SrvAnswer>*>(arg));
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) return;
    SrvAnswer answer;
    ares_srv_reply* replies = nullptr;
    if (status == ARES_SUCCESS) status = ares_parse_srv_reply(buffer, length, &replies);
    if (status == ARES_SUCCESS) {
      answer.kind = SrvAnswer::Kind::kRecords;
      for (const ares_srv_reply* reply = replies; reply != nullptr; reply = reply->next) {
        answer.records.push_back({reply->host != nullptr ? reply->host : "", reply->port, reply->priority,
                                  reply->weight});
      }
      ares_free_data(replies);
    } else if (status == ARES_ENODATA || status == ARES_ENOTFOUND) {
      answer.kind = SrvAnswer::Kind::kNoRecords;
    } else {
      answer.error = AresError(status);
    }
    request->owner->Deliver([done = std::move(request->done), answer = std::move(answer)]() mutable {
      done(std::move(answer));
    });
  }

  static void OnAddresses(void* arg, int status, int, ares_addrinfo* info) {
    std::unique_ptr<Request<AddressAnswer>> request(static_cast<Request<AddressAnswer>*>(arg));
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
      if (info != nullptr) ares_freeaddrinfo(info);
      return;
    }
    AddressAnswer answer;
    if (status == ARES_SUCCESS && info != nullptr) answer.addresses = Interleave(info);
    if (info != nullptr) ares_freeaddrinfo(info);
    if (answer.addresses.empty()) answer.error = status == ARES_SUCCESS ? "no address" : AresError(status);
    request->owner->Deliver([done = std::move(request->done), answer = std::move(answer)]() mutable {
      done(std::move(answer));
    });
  }

  uv_loop_t* loop;
  ares_channel channel = nullptr;
  std::map<ares_socket_t, Poll*> polls;
  Timer retry_timer;
  Timer deliver_timer;
  std::deque<std::function<void()>> ready;
  bool destroying = false;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

Result<std::unique_ptr<DnsResolver>> DnsResolver::Create(uv_loop_t* loop, const std::vector<std::string>& servers) {
  auto impl = std::make_unique<Impl>(loop);
  if (Status s = impl->Init(servers); !s.ok()) return s;
  return std::unique_ptr<DnsResolver>(new DnsResolver(std::move(impl)));
}

DnsResolver::DnsResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DnsResolver::~DnsResolver() = default;

void DnsResolver::QuerySrv(const std::string& name, std::function<void(SrvAnswer)> done) {
  auto* request = new Impl::Request<SrvAnswer>{impl_.get(), std::move(done)};
  ares_query(impl_->channel, name.c_str(), ns_c_in, ns_t_srv, &Impl::OnSrv, request);
  impl_->ArmRetryTimer();
}

void DnsResolver::ResolveHost(const std::string& host, std::function<void(AddressAnswer)> done) {
  auto* request = new Impl::Request<AddressAnswer>{impl_.get(), std::move(done)};
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  ares_getaddrinfo(impl_->channel, host.c_str(), nullptr, &hints, &Impl::OnAddresses, request);
  impl_->ArmRetryTimer();
}

}  // namespace timd::xmpp
