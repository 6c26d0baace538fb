// The retractions and corrections history fetches (ArchivePageFetch) find
// in the archive, applied to the rows those fetches store. Pages come
// newest first and an edit is newer than its message, so an edit waits for
// a later (older) page, or a later fetch of the conversation: waiting
// edits are kept in the store (store/archived_edit_store.h), so a restart
// between two fetches loses none. A row stored before (not by a fetch) is
// never changed by it: that row got its edits when they arrived as news,
// so it is not changed twice. Only the message's sender may edit it
// (FindReferencedMessage); a spoofed edit is logged and never applied.
// Applying publishes nothing: history is not news.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/archived_edit_store.h"
#include "store/message_store.h"
#include "xmpp/correction.h"
#include "xmpp/retraction.h"

namespace timd::domain {

class HistoryEdits {
 public:
  // The edits earlier fetches left waiting (all newer than this fetch's pages).
  void Load(const std::vector<store::ArchivedEdit>& stored);
  // A page of the fetch begins; its edits come in archive order.
  void BeginPage() { ++page_; }
  void Add(const xmpp::Retraction& retraction);
  // Of one sender's corrections of a message, the newest counts.
  void Add(const xmpp::Correction& correction);

  // `record` was just stored by this fetch: applies the waiting edits of
  // it by its sender, the correction first, then the retraction (a revoke
  // is final). Returns how many changed it. Throws store::StoreError.
  int ApplyTo(store::MessageStore& store, const std::string& own_jid, store::MessageRecord& record);

  // Writes the changes since Load or the last Save into the current batch:
  // new edits are added, applied and superseded ones removed. Throws
  // store::StoreError.
  void Save(store::ArchivedEditStore& store, const std::string& owner, const std::string& conv_id, int conv_type);
  // Their messages cannot come any more: drops every waiting edit of the
  // conversation, stored ones included. Throws store::StoreError.
  void Forget(store::ArchivedEditStore& store, const std::string& conv_id, int conv_type);

  // Edits still waiting for their message.
  size_t waiting() const { return retractions_.size() + corrections_.size(); }

  // At most this many wait per conversation; the ones found later (the
  // oldest, pages going backwards) are dropped (logged).
  static constexpr size_t kMaxWaiting = 1000;

 private:
  struct WaitingRetraction {
    int64_t stored_id = 0;  // 0: not stored yet
    xmpp::Retraction retraction;
  };
  struct PageCorrection {
    int page = 0;  // 0: found by an earlier fetch
    int64_t stored_id = 0;
    xmpp::Correction correction;
  };

  bool Full(const xmpp::MessageOrigin& origin, const std::string& raw_id) const;
  void Unstore(int64_t stored_id);

  int page_ = 0;
  std::multimap<std::string, WaitingRetraction> retractions_;  // by retracted id
  std::multimap<std::string, PageCorrection> corrections_;     // by replaced id
  std::vector<int64_t> unstored_;  // stored ids to remove at the next Save
};

}  // namespace timd::domain
