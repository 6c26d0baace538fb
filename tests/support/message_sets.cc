#include "support/message_sets.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

#include "support/requests.h"

namespace timd::test {
namespace {

using namespace std::chrono_literals;

constexpr int kSenderThreads = 3;

}  // namespace

std::string Body(const std::string& prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%04d", prefix.c_str(), i);
  return buf;
}

std::set<std::string> Bodies(const std::string& prefix, int count) {
  std::set<std::string> out;
  for (int i = 0; i < count; ++i) out.insert(Body(prefix, i));
  return out;
}

std::vector<std::string> ToVector(const std::set<std::string>& s) { return {s.begin(), s.end()}; }

grpc::Status SendKeyedText(timd::ApiStubs& stub, const std::string& peer, const std::string& body) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 40s);
  tim::v1::SendMessageResponse response;
  return stub.messages->SendMessage(&ctx, TextTo(peer, body, body), &response);
}

Burst::Burst(const TimdProcess& timd, std::string peer, std::vector<std::string> bodies)
    : peer_(std::move(peer)), bodies_(std::move(bodies)) {
  for (int t = 0; t < kSenderThreads; ++t) {
    threads_.emplace_back([this, t, channel = timd.Channel()] {
      auto stub = std::make_unique<timd::ApiStubs>(channel);
      for (size_t i = static_cast<size_t>(t); i < bodies_.size(); i += kSenderThreads) {
        const bool sent = SendKeyedText(*stub, peer_, bodies_[i]).ok();
        std::lock_guard lock(mu_);
        (sent ? ok_ : failed_).insert(bodies_[i]);
      }
    });
  }
}

void Burst::Join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

bool Burst::WaitSucceeded(size_t n, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu_);
      if (ok_.size() >= n) return true;
      if (ok_.size() + failed_.size() == bodies_.size()) return false;
    }
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

std::set<std::string> Burst::ok() {
  std::lock_guard lock(mu_);
  return ok_;
}

std::set<std::string> Burst::failed() {
  std::lock_guard lock(mu_);
  return failed_;
}

std::vector<tim::v1::Message> History(const TimdProcess& timd, const std::string& peer) {
  auto stub = timd.Stubs();
  std::vector<tim::v1::Message> all;
  tim::v1::GetMessagesRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_count(500);
  for (int page = 0; page < 100; ++page) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    tim::v1::GetMessagesResponse response;
    if (!stub->messages->GetMessages(&ctx, request, &response).ok()) return all;
    all.insert(all.end(), response.messages().begin(), response.messages().end());
    if (response.is_finished() || response.messages().empty()) break;
    request.set_before_seq(response.next_before_seq());
  }
  return all;
}

std::string TextOf(const tim::v1::Message& m) { return m.elems().empty() ? "" : m.elems(0).text().content(); }

std::optional<uint64_t> UnreadWith(const TimdProcess& timd, const std::string& peer) {
  grpc::ClientContext ctx;
  tim::v1::ListConversationsResponse response;
  if (!timd.Stubs()->conversations->ListConversations(&ctx, {}, &response).ok()) return std::nullopt;
  for (const auto& c : response.conversations()) {
    if (c.conv_id() == peer) return c.unread_num();
  }
  return std::nullopt;
}

std::vector<std::string> StoredBodies(const TimdProcess& timd, const std::string& peer, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& m : History(timd, peer)) {
    if (TextOf(m).rfind(prefix, 0) == 0) out.push_back(TextOf(m));
  }
  return out;
}

std::vector<std::string> EventBodies(const EventReader& reader, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : reader.Events()) {
    if (!e.has_new_messages()) continue;
    for (const auto& m : e.new_messages().messages()) {
      if (TextOf(m).rfind(prefix, 0) == 0) out.push_back(TextOf(m));
    }
  }
  return out;
}

CopyCount CountCopies(const std::vector<std::string>& seen, const std::set<std::string>& expected) {
  std::map<std::string, int> counts;
  for (const auto& s : seen) ++counts[s];
  CopyCount out;
  for (const auto& e : expected) {
    if (!counts.count(e)) out.missing.push_back(e);
  }
  for (const auto& [item, n] : counts) {
    if (n > 1) {
      out.doubled.push_back(item + " x" + std::to_string(n));
      out.extra_copies += static_cast<size_t>(n - 1);
    }
    if (!expected.count(item)) out.unexpected.push_back(item);
  }
  return out;
}

std::string CopyCount::Describe() const {
  if (exact()) return "";
  std::ostringstream out;
  auto list = [&](const char* what, const std::vector<std::string>& v) {
    out << what << " (" << v.size() << "):";
    for (size_t i = 0; i < v.size() && i < 10; ++i) out << ' ' << v[i];
    out << '\n';
  };
  list("missing", missing);
  list("doubled", doubled);
  list("unexpected", unexpected);
  return out.str();
}

bool WaitAllSeen(const std::function<std::vector<std::string>()>& seen, const std::set<std::string>& expected,
                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto got = seen();
    std::set<std::string> distinct(got.begin(), got.end());
    if (std::includes(distinct.begin(), distinct.end(), expected.begin(), expected.end())) return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

}  // namespace timd::test
