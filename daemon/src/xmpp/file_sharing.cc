#include "xmpp/file_sharing.h"

#include <charconv>

namespace timd::xmpp {
namespace {

// Peers decide these strings; cap what a message may make us store.
constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxFilesPerMessage = 16;

bool UsableUrl(std::string_view url) {
  return url.size() <= kMaxUrlBytes && (url.starts_with("https://") || url.starts_with("http://"));
}

template <typename Number>
Number ParseNumber(std::string_view text) {
  Number value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

void AddNumberChild(Element& parent, const char* name, uint64_t value) {
  if (value != 0) parent.AddTextChild(name, std::string(kFileMetadataNs), std::to_string(value));
}

Element FileMetadata(const SharedFile& file) {
  Element meta("file", std::string(kFileMetadataNs));
  if (!file.media_type.empty()) meta.AddTextChild("media-type", std::string(kFileMetadataNs), file.media_type);
  if (!file.name.empty()) meta.AddTextChild("name", std::string(kFileMetadataNs), file.name);
  AddNumberChild(meta, "size", file.size);
  AddNumberChild(meta, "width", file.width);
  AddNumberChild(meta, "height", file.height);
  AddNumberChild(meta, "length", file.length_ms);
  if (!file.sha256_base64.empty()) {
    meta.AddTextChild("hash", std::string(kHashesNs), file.sha256_base64).SetAttr("algo", "sha-256");
  }
  if (!file.thumbnail.uri.empty()) meta.AddChild(ThumbnailElement(file.thumbnail));
  return meta;
}

std::string ChildText(const Element& parent, std::string_view name) {
  const Element* child = parent.Child(name, kFileMetadataNs);
  return child != nullptr ? child->text : "";
}

// A <file-sharing/> element as a SharedFile; an empty url when it has no
// usable URL source.
SharedFile FromFileSharing(const Element& sharing) {
  SharedFile file;
  if (const Element* sources = sharing.Child("sources", kSfsNs)) {
    for (const Element& source : sources->children) {
      if (source.name == "url-data" && source.xmlns == kUrlDataNs && UsableUrl(source.Attr("target"))) {
        file.url = source.Attr("target");
        break;
      }
    }
  }
  const Element* meta = sharing.Child("file", kFileMetadataNs);
  if (meta == nullptr) return file;
  file.name = ChildText(*meta, "name");
  file.media_type = ChildText(*meta, "media-type");
  file.size = ParseNumber<uint64_t>(ChildText(*meta, "size"));
  file.width = ParseNumber<uint32_t>(ChildText(*meta, "width"));
  file.height = ParseNumber<uint32_t>(ChildText(*meta, "height"));
  file.length_ms = ParseNumber<uint64_t>(ChildText(*meta, "length"));
  for (const Element& child : meta->children) {
    if (child.name == "hash" && child.xmlns == kHashesNs && child.Attr("algo") == "sha-256") {
      file.sha256_base64 = child.text;
    }
  }
  if (auto thumbnail = ParseThumbnail(*meta, kMaxUrlBytes)) file.thumbnail = std::move(*thumbnail);
  return file;
}

}  // namespace

void AddSharedFiles(Element& message, const std::vector<SharedFile>& files) {
  for (const SharedFile& file : files) {
    message.AddChild(Element("x", std::string(kOobNs))).AddTextChild("url", std::string(kOobNs), file.url);
  }
  for (const SharedFile& file : files) {
    Element sharing("file-sharing", std::string(kSfsNs));
    sharing.AddChild(FileMetadata(file));
    sharing.AddChild(Element("sources", std::string(kSfsNs)))
        .AddChild(Element("url-data", std::string(kUrlDataNs)))
        .SetAttr("target", file.url);
    message.AddChild(std::move(sharing));
  }
}

std::vector<SharedFile> ParseSharedFiles(const Element& message) {
  std::vector<SharedFile> files;
  auto known = [&files](std::string_view url) {
    for (const SharedFile& file : files) {
      if (file.url == url) return true;
    }
    return false;
  };
  for (const Element& child : message.children) {
    if (files.size() >= kMaxFilesPerMessage) break;
    if (child.name != "file-sharing" || child.xmlns != kSfsNs) continue;
    SharedFile file = FromFileSharing(child);
    if (!file.url.empty() && !known(file.url)) files.push_back(std::move(file));
  }
  for (const Element& child : message.children) {
    if (files.size() >= kMaxFilesPerMessage) break;
    if (child.name != "x" || child.xmlns != kOobNs) continue;
    const Element* url = child.Child("url", kOobNs);
    if (url == nullptr || !UsableUrl(url->text) || known(url->text)) continue;
    SharedFile file;
    file.url = url->text;
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace timd::xmpp
