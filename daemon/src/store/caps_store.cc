#include "store/caps_store.h"

namespace timd::store {

CapsStore::CapsStore(Database& db)
    : db_(db),
      has_(std::make_unique<Statement>(db.handle(), "SELECT 1 FROM caps WHERE ver = ?")),
      insert_(std::make_unique<Statement>(
          db.handle(), "INSERT OR IGNORE INTO caps(ver, node, identities, verified_ms) VALUES(?, ?, ?, ?)")),
      insert_feature_(std::make_unique<Statement>(
          db.handle(), "INSERT OR IGNORE INTO caps_features(ver, feature) VALUES(?, ?)")),
      has_feature_(std::make_unique<Statement>(db.handle(),
                                               "SELECT 1 FROM caps_features WHERE ver = ? AND feature = ?")),
      features_(std::make_unique<Statement>(db.handle(),
                                            "SELECT feature FROM caps_features WHERE ver = ? ORDER BY feature")) {}

bool CapsStore::Has(const std::string& ver) {
  Statement& s = has_->Bind(1, ver);
  const bool found = s.Step();
  s.Reset();
  return found;
}

void CapsStore::Save(const CapsRecord& record) {
  if (Has(record.ver)) return;
  db_.Touch();
  std::string identities;
  for (const auto& identity : record.identities) identities += identity + "\n";
  insert_->Bind(1, record.ver).Bind(2, record.node).Bind(3, identities).Bind(4, record.verified_ms).Run();
  for (const auto& feature : record.features) insert_feature_->Bind(1, record.ver).Bind(2, feature).Run();
}

bool CapsStore::HasFeature(const std::string& ver, const std::string& feature) {
  Statement& s = has_feature_->Bind(1, ver).Bind(2, feature);
  const bool found = s.Step();
  s.Reset();
  return found;
}

std::vector<std::string> CapsStore::Features(const std::string& ver) {
  std::vector<std::string> features;
  Statement& s = features_->Bind(1, ver);
  while (s.Step()) features.push_back(s.Text(0));
  s.Reset();
  return features;
}

}  // namespace timd::store
