// Small durable key/value settings of the daemon (sync cursors, login
// state). Writes join the current loop turn's batch like every other write.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "store/database.h"

namespace timd::store {

class Settings {
 public:
  explicit Settings(Database& db);

  std::optional<std::string> Get(const std::string& key);
  void Set(const std::string& key, const std::string& value);
  void Erase(const std::string& key);

 private:
  Database& db_;
  std::unique_ptr<Statement> get_, set_, erase_;
};

}  // namespace timd::store
