// Peers' verified XEP-0115 capabilities: for each ver (a hash naming one
// piece of software's feature set) the identities and features its
// disco#info listed. Rows are written only after the hash verified, and a
// ver's content never changes, so rows are never updated. Writes join the
// current loop turn's batch.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace timd::store {

struct CapsRecord {
  std::string ver;
  std::string node;
  std::vector<std::string> identities;  // "category/type/lang/name"
  std::vector<std::string> features;
  int64_t verified_ms = 0;
};

class CapsStore {
 public:
  explicit CapsStore(Database& db);

  bool Has(const std::string& ver);
  // Keeps the first record saved for a ver.
  void Save(const CapsRecord& record);
  bool HasFeature(const std::string& ver, const std::string& feature);
  std::vector<std::string> Features(const std::string& ver);

 private:
  Database& db_;
  std::unique_ptr<Statement> has_, insert_, insert_feature_, has_feature_, features_;
};

}  // namespace timd::store
