#include "xmpp/thumbnail.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace timd::xmpp {
namespace {

uint32_t ParseDimension(std::string_view text) {
  uint32_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

bool IsHttpUri(std::string_view uri) { return uri.starts_with("https://") || uri.starts_with("http://"); }

}  // namespace

Element ThumbnailElement(const Thumbnail& thumbnail) {
  Element element("thumbnail", std::string(kThumbsNs));
  element.SetAttr("uri", thumbnail.uri);
  if (!thumbnail.media_type.empty()) element.SetAttr("media-type", thumbnail.media_type);
  if (thumbnail.width != 0) element.SetAttr("width", std::to_string(thumbnail.width));
  if (thumbnail.height != 0) element.SetAttr("height", std::to_string(thumbnail.height));
  return element;
}

std::optional<Thumbnail> ParseThumbnail(const Element& file_metadata, size_t max_uri_bytes) {
  for (const Element& child : file_metadata.children) {
    if (child.name != "thumbnail" || child.xmlns != kThumbsNs) continue;
    const std::string_view uri = child.Attr("uri");
    if (!IsHttpUri(uri) || uri.size() > max_uri_bytes) {
      // Most often cid: (XEP-0231 data the sender would have to serve).
      const std::string_view scheme = uri.substr(0, std::min<size_t>(uri.find(':'), 16));
      spdlog::debug("file metadata: thumbnail skipped: scheme '{}', {} bytes; timd fetches only http(s) URIs", scheme,
                    uri.size());
      continue;
    }
    Thumbnail thumbnail;
    thumbnail.uri = std::string(uri);
    thumbnail.media_type = std::string(child.Attr("media-type"));
    thumbnail.width = ParseDimension(child.Attr("width"));
    thumbnail.height = ParseDimension(child.Attr("height"));
    return thumbnail;
  }
  return std::nullopt;
}

}  // namespace timd::xmpp
