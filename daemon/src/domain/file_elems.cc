#include "domain/file_elems.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <map>

namespace timd::domain {
namespace {

std::string MediaTypeOfPath(const std::string& path) {
  static const std::map<std::string, std::string> kByExtension = {
      {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},   {"gif", "image/gif"},
      {"bmp", "image/bmp"},  {"webp", "image/webp"}, {"mp3", "audio/mpeg"},  {"ogg", "audio/ogg"},
      {"opus", "audio/ogg"}, {"m4a", "audio/mp4"},   {"wav", "audio/wav"},   {"aac", "audio/aac"},
      {"mp4", "video/mp4"},  {"webm", "video/webm"}, {"mov", "video/quicktime"}, {"pdf", "application/pdf"},
      {"txt", "text/plain"}, {"zip", "application/zip"}};
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return "application/octet-stream";
  std::string extension = path.substr(dot + 1);
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = kByExtension.find(extension);
  return it != kByExtension.end() ? it->second : "application/octet-stream";
}

std::string Base64Of(const std::string& hex) {
  if (hex.size() != 64) return "";
  auto nibble = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  unsigned char bytes[32];
  for (size_t i = 0; i < 32; ++i) {
    const int high = nibble(hex[2 * i]), low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return "";  // a peer's payload may say anything
    bytes[i] = static_cast<unsigned char>(high << 4 | low);
  }
  unsigned char out[45];
  const int n = EVP_EncodeBlock(out, bytes, 32);
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

std::string HexOfBase64(const std::string& base64) {
  if (base64.size() != 44) return "";
  unsigned char bytes[33];
  if (EVP_DecodeBlock(bytes, reinterpret_cast<const unsigned char*>(base64.data()), 44) != 33) return "";
  return HexOf(bytes, 32);  // 32 bytes and one padding byte
}

// Checks one local file still to be uploaded and fills in what it tells.
Status AdmitLocalFile(tim::v1::FileElem& file, const std::string& which) {
  if (!file.url().empty()) return Status::Ok();
  if (file.local_path().empty()) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, which + " has neither a local path nor a URL");
  }
  struct stat st {};
  if (stat(file.local_path().c_str(), &st) != 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return Status(Code::kNotFound, tim_err::kFileNotFound, which + ": no such file: " + file.local_path());
    }
    return Status(Code::kPermissionDenied, tim_err::kIoOperationFailed,
                  which + ": cannot read " + file.local_path() + ": " + std::strerror(error));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status(Code::kInvalidArgument, tim_err::kIoOperationFailed, which + ": not a regular file: " + file.local_path());
  }
  // stat() succeeds on files we may not read; opening tells.
  const int fd = open(file.local_path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status(Code::kPermissionDenied, tim_err::kIoOperationFailed,
                  which + ": cannot read " + file.local_path() + ": " + std::strerror(errno));
  }
  close(fd);
  if (st.st_size == 0) {
    return Status(Code::kInvalidArgument, tim_err::kFileSizeEmpty, which + ": empty file: " + file.local_path());
  }
  file.set_file_size(static_cast<uint64_t>(st.st_size));
  if (file.file_name().empty()) {
    const auto slash = file.local_path().rfind('/');
    file.set_file_name(slash == std::string::npos ? file.local_path() : file.local_path().substr(slash + 1));
  }
  if (file.media_type().empty()) file.set_media_type(MediaTypeOfPath(file.local_path()));
  return Status::Ok();
}

// A video's uploaded snapshot as the XEP-0264 thumbnail other clients show.
xmpp::Thumbnail ThumbnailOf(const tim::v1::FileElem& snapshot) {
  return xmpp::Thumbnail{snapshot.url(), snapshot.media_type(), snapshot.width(), snapshot.height()};
}

// A received thumbnail as a video's snapshot. XEP-0264 gives no size or
// hash: those stay unknown (0, "").
tim::v1::FileElem SnapshotOf(const xmpp::Thumbnail& thumbnail) {
  tim::v1::FileElem snapshot;
  snapshot.set_url(thumbnail.uri);
  snapshot.set_id(FileIdOfUrl(thumbnail.uri));
  snapshot.set_media_type(thumbnail.media_type);
  snapshot.set_width(thumbnail.width);
  snapshot.set_height(thumbnail.height);
  return snapshot;
}

}  // namespace

bool IsFileType(tim::v1::ElemType type) {
  return type == tim::v1::ELEM_IMAGE || type == tim::v1::ELEM_SOUND || type == tim::v1::ELEM_FILE ||
         type == tim::v1::ELEM_VIDEO;
}

bool HasFileElems(const Elems& elems) {
  for (const auto& elem : elems) {
    if (IsFileType(elem.type())) return true;
  }
  return false;
}

bool NeedsUpload(const tim::v1::FileElem& file) { return file.url().empty(); }

bool NeedsUpload(const tim::v1::Elem& elem) {
  if (!IsFileType(elem.type()) || !elem.has_file()) return false;
  return NeedsUpload(elem.file()) || (elem.file().has_snapshot() && NeedsUpload(elem.file().snapshot()));
}

bool NeedsUpload(const tim::v1::Message& content) {
  for (const auto& elem : content.elems()) {
    if (NeedsUpload(elem)) return true;
  }
  return false;
}

Status AdmitLocalFiles(tim::v1::Message& content) {
  for (int i = 0; i < content.elems_size(); ++i) {
    tim::v1::Elem& elem = *content.mutable_elems(i);
    if (!NeedsUpload(elem)) continue;
    tim::v1::FileElem& file = *elem.mutable_file();
    const std::string which = "element " + std::to_string(i);
    if (Status admitted = AdmitLocalFile(file, which); !admitted.ok()) return admitted;
    if (!file.has_snapshot()) continue;
    if (Status admitted = AdmitLocalFile(*file.mutable_snapshot(), which + "'s snapshot"); !admitted.ok()) {
      return admitted;
    }
  }
  return Status::Ok();
}

std::vector<xmpp::SharedFile> SharedFilesOf(const tim::v1::Message& content) {
  std::vector<xmpp::SharedFile> files;
  for (const auto& elem : content.elems()) {
    if (!IsFileType(elem.type()) || !elem.has_file() || elem.file().url().empty()) continue;
    const tim::v1::FileElem& f = elem.file();
    xmpp::SharedFile shared;
    shared.url = f.url();
    shared.name = f.file_name();
    shared.media_type = f.media_type();
    shared.size = f.file_size();
    shared.sha256_base64 = Base64Of(f.sha256());
    shared.width = f.width();
    shared.height = f.height();
    shared.length_ms = uint64_t{f.duration_s()} * 1000;
    if (elem.type() == tim::v1::ELEM_VIDEO && f.has_snapshot() && !f.snapshot().url().empty()) {
      shared.thumbnail = ThumbnailOf(f.snapshot());
    }
    files.push_back(std::move(shared));
  }
  return files;
}

tim::v1::Elem ElemFromSharedFile(const xmpp::SharedFile& shared) {
  tim::v1::Elem elem;
  const std::string& type = shared.media_type;
  elem.set_type(type.starts_with("image/")   ? tim::v1::ELEM_IMAGE
                : type.starts_with("audio/") ? tim::v1::ELEM_SOUND
                : type.starts_with("video/") ? tim::v1::ELEM_VIDEO
                                             : tim::v1::ELEM_FILE);
  tim::v1::FileElem& f = *elem.mutable_file();
  f.set_url(shared.url);
  f.set_id(FileIdOfUrl(shared.url));
  f.set_file_name(shared.name);
  f.set_media_type(shared.media_type);
  f.set_file_size(shared.size);
  f.set_sha256(HexOfBase64(shared.sha256_base64));
  f.set_width(shared.width);
  f.set_height(shared.height);
  f.set_duration_s(static_cast<uint32_t>(shared.length_ms / 1000));
  if (elem.type() == tim::v1::ELEM_VIDEO && !shared.thumbnail.uri.empty()) {
    *f.mutable_snapshot() = SnapshotOf(shared.thumbnail);
  }
  return elem;
}

tim::v1::Message ContentOfSharedFiles(const std::string& body, const std::vector<xmpp::SharedFile>& files) {
  tim::v1::Message content;
  bool only_urls = true;
  size_t start = 0;
  while (start <= body.size() && only_urls) {
    const size_t end = std::min(body.find('\n', start), body.size());
    const std::string line = body.substr(start, end - start);
    bool is_url = line.empty();
    for (const auto& file : files) is_url = is_url || line == file.url;
    only_urls = is_url;
    start = end + 1;
  }
  if (!only_urls) {
    auto* text = content.add_elems();
    text->set_type(tim::v1::ELEM_TEXT);
    text->mutable_text()->set_content(body);
  }
  for (const auto& file : files) *content.add_elems() = ElemFromSharedFile(file);
  return content;
}

std::string FileIdOfUrl(const std::string& url) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(url.data()), url.size(), digest);
  return HexOf(digest, sizeof digest);
}

std::string HexOf(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

}  // namespace timd::domain
