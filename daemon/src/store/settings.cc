#include "store/settings.h"

namespace timd::store {

Settings::Settings(Database& db)
    : db_(db),
      get_(std::make_unique<Statement>(db.handle(), "SELECT value FROM settings WHERE key = ?")),
      set_(std::make_unique<Statement>(
          db.handle(), "INSERT INTO settings(key, value) VALUES(?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value")),
      erase_(std::make_unique<Statement>(db.handle(), "DELETE FROM settings WHERE key = ?")) {}

std::optional<std::string> Settings::Get(const std::string& key) {
  Statement& s = get_->Bind(1, key);
  if (!s.Step()) return std::nullopt;
  std::string value = s.Text(0);
  s.Reset();
  return value;
}

void Settings::Set(const std::string& key, const std::string& value) {
  db_.Touch();
  set_->Bind(1, key).Bind(2, value).Run();
}

void Settings::Erase(const std::string& key) {
  db_.Touch();
  erase_->Bind(1, key).Run();
}

}  // namespace timd::store
