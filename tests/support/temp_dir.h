#pragma once

#include <string>

namespace timd::test {

// A fresh directory made with mkdtemp under $TMPDIR (or /tmp), removed
// recursively on destruction unless TIMD_KEEP_TEST_DIRS=1.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "timd-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

// Writes `contents` to `path` (truncating); throws on failure.
void WriteFile(const std::string& path, const std::string& contents);
// Reads the whole file; empty when it does not exist.
std::string ReadFile(const std::string& path);
// The last `max_bytes` of a file, for failure messages.
std::string FileTail(const std::string& path, size_t max_bytes = 4000);

}  // namespace timd::test
