#include "api/api_token.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace timd::api {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kMaxTokenFileBytes = 4096;

Status TokenError(const std::string& path, const std::string& why) {
  return Status(Code::kFailedPrecondition, tim_err::kIoOperationFailed, "api token " + path + ": " + why);
}

std::string Errno() { return std::strerror(errno); }

Result<std::string> NewToken() {
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return Status(Code::kInternal, tim_err::kSdkInternalError, "api token: no random bytes from OpenSSL");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token.push_back(kHex[b >> 4]);
    token.push_back(kHex[b & 0xf]);
  }
  OPENSSL_cleanse(bytes, sizeof(bytes));
  return token;
}

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Writes a new token to a temporary file and links it to `path`. EEXIST
// from link() means another process won the race: its token counts.
Status CreateTokenFile(const std::string& path) {
  auto token = NewToken();
  if (!token.ok()) return token.status();
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  unlink(tmp.c_str());  // a leftover of a crashed start with the same pid
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return TokenError(path, "cannot create " + tmp + ": " + Errno());
  bool written = WriteAll(fd, token.value() + "\n") && fsync(fd) == 0;
  int write_errno = errno;
  close(fd);
  if (!written) {
    unlink(tmp.c_str());
    return TokenError(path, std::string("cannot write ") + tmp + ": " + std::strerror(write_errno));
  }
  int linked = link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return TokenError(path, std::string("cannot create: ") + std::strerror(link_errno));
  }
  return Status::Ok();
}

Result<std::string> ReadTokenFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return TokenError(path, "cannot open: " + Errno());
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return TokenError(path, "not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    close(fd);
    return TokenError(path, "group or others may access it; chmod 600 it (or delete it for a new token)");
  }
  std::string content(kMaxTokenFileBytes, '\0');
  ssize_t n = read(fd, content.data(), content.size());
  close(fd);
  if (n < 0) return TokenError(path, "cannot read: " + Errno());
  content.resize(static_cast<size_t>(n));
  std::string token = content.substr(0, content.find_first_of("\r\n"));
  OPENSSL_cleanse(content.data(), content.size());
  if (token.size() < 16 || token.find_first_of(" \t") != std::string::npos) {
    return TokenError(path, "does not hold a token (one line of at least 16 characters, no blanks)");
  }
  return token;
}

}  // namespace

Result<std::string> LoadOrCreateApiToken(const std::string& path) {
  struct stat st{};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return TokenError(path, Errno());
    if (Status created = CreateTokenFile(path); !created.ok()) return created;
  }
  return ReadTokenFile(path);
}

}  // namespace timd::api
