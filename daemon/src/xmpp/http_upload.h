// XEP-0363 HTTP File Upload over a Client: finds the server's upload
// service (disco#items on the account's domain, then disco#info of each
// item) and asks it for slots. The HTTP PUT/GET itself is not done here
// (see daemon/src/http).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "xmpp/client.h"
#include "xmpp/http_upload_slot.h"

namespace timd::xmpp {

struct ServiceDiscovery {
  UploadError error = UploadError::kNone;  // kNoService, kDisconnected, kMalformedReply
  std::string message;
  UploadService service;  // with kNone
};

class HttpUpload {
 public:
  explicit HttpUpload(Client& client);
  ~HttpUpload();
  HttpUpload(const HttpUpload&) = delete;
  HttpUpload& operator=(const HttpUpload&) = delete;

  // Asks the bound account's domain for its items and each item for its
  // info; `done` gets the first upload service in item order, or
  // kNoService. Callbacks never run after this object is destroyed.
  void DiscoverService(std::function<void(const ServiceDiscovery& result)> done);

  // Requests a slot from `service`. A request larger than the service's
  // known max_file_size fails with kFileTooLarge without a round trip:
  // `done` then runs before RequestSlot returns.
  // Request a slot right before the PUT: Prosody's Authorization expires
  // after 300 s.
  void RequestSlot(const UploadService& service, const UploadRequest& request,
                   std::function<void(const SlotResult& result)> done);

 private:
  Client& client_;
  std::shared_ptr<bool> alive_;
};

}  // namespace timd::xmpp
