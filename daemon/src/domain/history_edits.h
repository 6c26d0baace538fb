// The retractions and corrections history fetches (ArchivePageFetch) find
// in the archive, applied to the rows those fetches store. Pages come
// newest first and an edit is newer than its message, so an edit waits for
// a later (older) page, or the next fetch of the conversation. A row
// stored before (not by a fetch) is never changed by it: that row got its
// edits when they arrived as news, so it is not changed twice. Only the
// message's sender may edit it (FindReferencedMessage); a spoofed edit is
// logged and never applied. Applying publishes nothing: history is not news.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "store/message_store.h"
#include "xmpp/correction.h"
#include "xmpp/retraction.h"

namespace timd::domain {

class HistoryEdits {
 public:
  // A page of the fetch begins; its edits come in archive order.
  void BeginPage() { ++page_; }
  void Add(const xmpp::Retraction& retraction);
  // Of one sender's corrections of a message, the newest counts.
  void Add(const xmpp::Correction& correction);

  // `record` was just stored by this fetch: applies the waiting edits of
  // it by its sender, the correction first, then the retraction (a revoke
  // is final). Returns how many changed it. Throws store::StoreError.
  int ApplyTo(store::MessageStore& store, const std::string& own_jid, store::MessageRecord& record);

  // Edits still waiting for their message.
  size_t waiting() const { return retractions_.size() + corrections_.size(); }

  // At most this many wait; more are dropped (logged): memory stays bounded.
  static constexpr size_t kMaxWaiting = 1000;

 private:
  struct PageCorrection {
    int page = 0;
    xmpp::Correction correction;
  };

  bool Full(const xmpp::MessageOrigin& origin, const std::string& raw_id) const;

  int page_ = 0;
  std::multimap<std::string, xmpp::Retraction> retractions_;  // by retracted id
  std::multimap<std::string, PageCorrection> corrections_;    // by replaced id
};

}  // namespace timd::domain
