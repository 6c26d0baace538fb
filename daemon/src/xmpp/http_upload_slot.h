// XEP-0363 HTTP File Upload, the stanza side: the slot request, and reading
// the server's answer (a slot, or why there is none) into plain structs.
// Pure functions; HttpUpload (http_upload.h) sends and receives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "xmpp/disco_info.h"
#include "xmpp/element.h"

namespace timd::xmpp {

inline constexpr std::string_view kHttpUploadNs = "urn:xmpp:http:upload:0";

enum class UploadError {
  kNone,
  kNoService,           // the server offers no upload service
  kFileTooLarge,        // the service refuses the size; max_file_size when it said
  kNotAcceptable,       // refused for another reason (type, name, quota)
  kServiceUnavailable,  // the service is down or will not serve this account
  kRefused,             // any other stanza error
  kDisconnected,        // the stream ended before the answer
  kMalformedReply,      // an answer that is not a usable slot
};

const char* ToString(UploadError error);

// An upload service found by discovery.
struct UploadService {
  std::string jid;
  std::optional<uint64_t> max_file_size;  // from its disco#info form, when given
};

struct UploadRequest {
  std::string filename;      // no path: the last component only
  uint64_t size = 0;         // bytes
  std::string content_type;  // MIME type; empty = not sent
};

struct UploadSlot {
  std::string put_url;
  // Only Authorization, Cookie and Expires (XEP-0363 §4). Secrets: the
  // Authorization value is a bearer credential and must never be logged.
  std::vector<std::pair<std::string, std::string>> put_headers;
  std::string get_url;
};

struct SlotResult {
  UploadError error = UploadError::kNone;
  std::string message;                    // human-readable, never contains a header value
  std::optional<uint64_t> max_file_size;  // with kFileTooLarge, when the server said
  UploadSlot slot;                        // with kNone
};

// The service's entry when `info` (the disco#info of `jid`) describes an
// upload service: identity store/file and the upload feature.
std::optional<UploadService> UploadServiceFromInfo(const std::string& jid, const DiscoInfo& info);

// <iq type='get' to=service><request filename size content-type/></iq>.
Element BuildSlotRequest(const std::string& service_jid, const UploadRequest& request);

// Reads the reply to a slot request: a result with a <slot/>, or an error.
SlotResult ParseSlotReply(const Element& iq);

}  // namespace timd::xmpp
