// Files in messages, the stanza side: XEP-0066 out-of-band data
// (<x xmlns='jabber:x:oob'><url/></x>, what most clients read) and
// XEP-0447 stateless file sharing with XEP-0446 file metadata (name,
// media type, size, SHA-256, dimensions, length, and an XEP-0264 thumbnail:
// thumbnail.h). Pure functions; the upload itself is XEP-0363 (http_upload.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/element.h"
#include "xmpp/thumbnail.h"

namespace timd::xmpp {

inline constexpr std::string_view kOobNs = "jabber:x:oob";
inline constexpr std::string_view kSfsNs = "urn:xmpp:sfs:0";
inline constexpr std::string_view kFileMetadataNs = "urn:xmpp:file:metadata:0";
inline constexpr std::string_view kHashesNs = "urn:xmpp:hashes:2";
inline constexpr std::string_view kUrlDataNs = "http://jabber.org/protocol/url-data";

// One file a message points to. Zero / empty: not known.
struct SharedFile {
  std::string url;  // where to GET it (the XEP-0363 slot's GET URL)
  std::string name;
  std::string media_type;
  uint64_t size = 0;
  std::string sha256_base64;  // XEP-0300 form of the SHA-256 of the bytes
  uint32_t width = 0;
  uint32_t height = 0;
  uint64_t length_ms = 0;  // audio or video length
  Thumbnail thumbnail;     // a preview (e.g. a video's snapshot); empty uri: none

  bool operator==(const SharedFile&) const = default;
};

// Appends one OOB element and one XEP-0447 <file-sharing/> per file.
void AddSharedFiles(Element& message, const std::vector<SharedFile>& files);

// The files a received message points to: its <file-sharing/> elements
// with a URL source first, then OOB URLs not already among them. Elements
// without a usable http(s) URL are skipped.
std::vector<SharedFile> ParseSharedFiles(const Element& message);

}  // namespace timd::xmpp
