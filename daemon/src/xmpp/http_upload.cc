#include "xmpp/http_upload.h"

#include <optional>
#include <utility>
#include <vector>

#include "xmpp/disco.h"
#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {
namespace {

// More items than this are not asked: a server lists a handful of services.
constexpr size_t kMaxItemsAsked = 32;

// One discovery in flight: the items' answers, kept in item order.
struct Discovery {
  std::vector<std::string> items;
  std::vector<std::optional<UploadService>> found;
  size_t pending = 0;
  std::function<void(const ServiceDiscovery&)> done;

  void Finish() {
    ServiceDiscovery result;
    for (const auto& service : found) {
      if (service) {
        result.service = *service;
        done(result);
        return;
      }
    }
    result.error = UploadError::kNoService;
    result.message = "the server offers no HTTP upload service (" + std::string(kHttpUploadNs) + ")";
    done(result);
  }
};

ServiceDiscovery DiscoveryFailure(UploadError error, std::string message) {
  ServiceDiscovery result;
  result.error = error;
  result.message = std::move(message);
  return result;
}

std::vector<std::string> ItemJids(const Element& query) {
  std::vector<std::string> jids;
  for (const Element& item : query.children) {
    if (item.name != "item" || item.xmlns != kDiscoItemsNs || !item.HasAttr("jid")) continue;
    if (jids.size() == kMaxItemsAsked) break;
    jids.emplace_back(item.Attr("jid"));
  }
  return jids;
}

}  // namespace

HttpUpload::HttpUpload(Client& client) : client_(client), alive_(std::make_shared<bool>(true)) {}

HttpUpload::~HttpUpload() { *alive_ = false; }

void HttpUpload::DiscoverService(std::function<void(const ServiceDiscovery& result)> done) {
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "get");
  iq.SetAttr("to", client_.bound_jid().domain);
  iq.AddChild(Element("query", std::string(kDiscoItemsNs)));
  std::weak_ptr<bool> alive = alive_;
  client_.SendIq(std::move(iq), [this, alive, done = std::move(done)](const Element* reply) mutable {
    auto still_here = alive.lock();
    if (!still_here || !*still_here) return;
    if (reply == nullptr) return done(DiscoveryFailure(UploadError::kDisconnected, "disconnected during discovery"));
    const Element* query = reply->Child("query", kDiscoItemsNs);
    if (reply->Attr("type") != "result" || query == nullptr) {
      return done(DiscoveryFailure(UploadError::kNoService,
                                   "the server lists no services (disco#items: " + ErrorCondition(*reply) + ")"));
    }
    auto discovery = std::make_shared<Discovery>();
    discovery->items = ItemJids(*query);
    discovery->found.resize(discovery->items.size());
    discovery->pending = discovery->items.size();
    discovery->done = std::move(done);
    if (discovery->items.empty()) return discovery->Finish();
    for (size_t i = 0; i < discovery->items.size(); ++i) {
      QueryDiscoInfo(client_, discovery->items[i], "", alive, [discovery, i](const DiscoReply& info) {
        if (info.info) discovery->found[i] = UploadServiceFromInfo(discovery->items[i], *info.info);
        if (--discovery->pending == 0) discovery->Finish();
      });
    }
  });
}

void HttpUpload::RequestSlot(const UploadService& service, const UploadRequest& request,
                             std::function<void(const SlotResult& result)> done) {
  if (service.max_file_size && request.size > *service.max_file_size) {
    SlotResult result;
    result.error = UploadError::kFileTooLarge;
    result.max_file_size = service.max_file_size;
    result.message = "the file (" + std::to_string(request.size) + " bytes) is larger than the upload service's limit of " +
                     std::to_string(*service.max_file_size) + " bytes";
    return done(result);
  }
  std::weak_ptr<bool> alive = alive_;
  client_.SendIq(BuildSlotRequest(service.jid, request), [alive, done = std::move(done)](const Element* reply) {
    auto still_here = alive.lock();
    if (!still_here || !*still_here) return;
    if (reply == nullptr) {
      SlotResult result;
      result.error = UploadError::kDisconnected;
      result.message = "disconnected before the slot answer";
      return done(result);
    }
    done(ParseSlotReply(*reply));
  });
}

}  // namespace timd::xmpp
