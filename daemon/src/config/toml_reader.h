// Reads timd's TOML config strictly: every value is type- and range-checked,
// and keys or sections nobody asked for are errors (a typo must not silently
// fall back to a default). Errors read "FILE: key [section.key]: reason".
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace timd {

struct IntRange {
  int64_t min;
  int64_t max;
};

class TomlReader {
 public:
  TomlReader(std::string path, toml::table table);

  // Each reads [section] key if present, checks it and stores it in `out`;
  // an absent key leaves `out` alone. The first error is kept for Finish().
  void String(const char* section, const char* key, std::string& out);
  void Bool(const char* section, const char* key, bool& out);
  void Choice(const char* section, const char* key, std::initializer_list<const char*> choices, std::string& out);
  void IdList(const char* section, const char* key, std::vector<uint32_t>& out);  // uids/gids
  void StringList(const char* section, const char* key, std::vector<std::string>& out);
  template <typename T>
  void Integer(const char* section, const char* key, IntRange range, T& out) {
    if (auto v = IntegerValue(section, key, range)) out = static_cast<T>(*v);
  }

  // The first error seen, else an error for the first unknown section or
  // key, else OK.
  Status Finish() const;

 private:
  const toml::node* Find(const char* section, const char* key);  // also marks the key as known
  std::optional<int64_t> IntegerValue(const char* section, const char* key, IntRange range);
  void Fail(const std::string& where, const std::string& reason);

  std::string path_;
  toml::table table_;
  std::set<std::string> known_;  // "section" and "section.key"
  Status error_;
};

// "integer", "string", ... for error messages.
std::string TomlTypeName(const toml::node& node);

}  // namespace timd
