// XEP-0264 thumbnails (urn:xmpp:thumbs:1) inside XEP-0446 file metadata:
// how XEP-0447 stateless file sharing carries a preview of a file, e.g. a
// video's snapshot (<thumbnail uri='https://…' media-type='image/jpeg'
// width='640' height='360'/>). Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "xmpp/element.h"

namespace timd::xmpp {

inline constexpr std::string_view kThumbsNs = "urn:xmpp:thumbs:1";

// A preview image of a shared file. Zero / empty: not known.
struct Thumbnail {
  std::string uri;  // where to GET it: always http(s) here
  std::string media_type;
  uint32_t width = 0;
  uint32_t height = 0;

  bool operator==(const Thumbnail&) const = default;
};

// <thumbnail xmlns='urn:xmpp:thumbs:1' uri=…/> with the known attributes.
Element ThumbnailElement(const Thumbnail& thumbnail);

// The first thumbnail of a <file xmlns='urn:xmpp:file:metadata:0'> whose
// uri is http(s) (at most `max_uri_bytes` long). Others (XEP-0264's cid:
// URIs for XEP-0231 bits of binary, anything else) are skipped with a
// debug log: timd fetches previews only over HTTP.
std::optional<Thumbnail> ParseThumbnail(const Element& file_metadata, size_t max_uri_bytes);

}  // namespace timd::xmpp
