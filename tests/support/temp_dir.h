#pragma once

#include <string>

namespace timd::test {

// A fresh directory made with mkdtemp under `base` (default: $TMPDIR, else
// /tmp), removed recursively on destruction unless TIMD_KEEP_TEST_DIRS=1.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "timd-test", const std::string& base = "");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

// A directory for temp dirs whose files must reach a real disk (fsync and
// crash behaviour as in production): $TMPDIR or /tmp unless it is a tmpfs,
// else /var/tmp unless it is one, else the build dir.
std::string RealDiskTempBase();
// The file system type of `path` ("ext2/3/4", "tmpfs", ...; "0x<magic>" when unknown).
std::string FileSystemType(const std::string& path);

// Writes `contents` to `path` (truncating); throws on failure.
void WriteFile(const std::string& path, const std::string& contents);
// Reads the whole file; empty when it does not exist.
std::string ReadFile(const std::string& path);
// The last `max_bytes` of a file, for failure messages.
std::string FileTail(const std::string& path, size_t max_bytes = 4000);

}  // namespace timd::test
