#include "support/message_sets.h"

#include <chrono>
#include <map>
#include <sstream>

#include "support/timd_process.h"

namespace timd::test {

std::string TextOf(const tim::v1::Message& message) {
  return message.elems().empty() ? "" : message.elems(0).text().content();
}

std::vector<tim::v1::Message> History(const TimdProcess& timd, const std::string& peer) {
  auto stub = timd.Stub();
  std::vector<tim::v1::Message> all;
  tim::v1::GetMessagesRequest request;
  request.set_conv_id(peer);
  request.set_conv_type(tim::v1::CONV_C2C);
  request.set_count(500);
  for (int page = 0; page < 100; ++page) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    tim::v1::GetMessagesResponse response;
    if (!stub->GetMessages(&ctx, request, &response).ok()) return all;
    all.insert(all.end(), response.messages().begin(), response.messages().end());
    if (response.is_finished() || response.messages().empty()) break;
    request.set_before_seq(response.next_before_seq());
  }
  return all;
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

}  // namespace timd::test
