// The server features timd uses, as the server advertised them on the
// current login: stream features (XEP-0198 stream management, XEP-0352
// client state indication) and, from disco#info, message carbons (XEP-0280,
// on the server's domain) and the message archive (XEP-0313, on the
// account). GetLoginStatus reports them.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "xmpp/client.h"

namespace timd::domain {

class ServerFeatures {
 public:
  ServerFeatures() = default;
  ~ServerFeatures() { *alive_ = false; }
  ServerFeatures(const ServerFeatures&) = delete;
  ServerFeatures& operator=(const ServerFeatures&) = delete;

  // A fresh session: forgets everything, reads the stream features, and
  // asks the server's domain and the account (`account_jid`, bare) by
  // disco#info.
  void Discover(xmpp::Client& client, const std::string& account_jid);
  // A resumed session: the stream features are the new stream's; what
  // disco#info said still holds.
  void OnResumed(const xmpp::Client& client);
  void Clear() {
    stream_.clear();
    discovered_.clear();
  }

  // The namespaces advertised, sorted, e.g. "urn:xmpp:sm:3".
  std::vector<std::string> List() const;

 private:
  void ReadStreamFeatures(const xmpp::Client& client);

  std::set<std::string> stream_;
  std::set<std::string> discovered_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::domain
