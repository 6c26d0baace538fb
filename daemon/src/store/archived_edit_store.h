// Retractions and corrections a history fetch (domain/archive_page_fetch.h)
// found in the archive for messages older than it reached: they wait here
// for the fetch that stores their message, across restarts. Rows belong to
// one login's view (owner: its bare JID) of one conversation; the domain
// (domain/history_edits.h) decides what the fields mean. Writes join the
// current batch, like every other store write.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace timd::store {

struct ArchivedEdit {
  int64_t id = 0;            // assigned by Add
  bool is_correction = false;  // else a retraction
  std::string target_id;     // the edited message's id attribute
  std::string sender;        // bare JID of who edits
  std::string sender_full;   // as archived (a full JID)
  std::string to;
  std::string edit_id;       // the edit's own id attribute
  std::string stanza_id;     // the archive's id of the edit
  int64_t delay_ms = 0;      // the archive's timestamp of the edit
  bool is_own = false;       // sent by the login's own account
  bool legacy = false;       // retraction: the message-retract:0 form
  std::string origin_id;     // correction: its XEP-0359 origin-id
  std::string body;          // correction: the new text
  std::string payload;       // correction: timd's payload, as sent
};

class ArchivedEditStore {
 public:
  explicit ArchivedEditStore(Database& db);
  ~ArchivedEditStore();
  ArchivedEditStore(const ArchivedEditStore&) = delete;
  ArchivedEditStore& operator=(const ArchivedEditStore&) = delete;

  // Stores `edit` for `owner`'s conversation; returns its id.
  int64_t Add(const std::string& owner, const std::string& conv_id, int conv_type, const ArchivedEdit& edit);
  void Remove(int64_t id);
  // The edits waiting in `owner`'s conversation, in the order they were added.
  std::vector<ArchivedEdit> List(const std::string& owner, const std::string& conv_id, int conv_type);
  // Drops every edit waiting in the conversation (any owner's).
  void Forget(const std::string& conv_id, int conv_type);

 private:
  Database& db_;
  std::unique_ptr<Statement> add_, remove_, list_, forget_;
};

}  // namespace timd::store
