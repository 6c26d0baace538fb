// History older than anything stored, fetched from the login's own archive
// (XEP-0313) for TIMMsgGetMsgList with is_ramble (tim-xmpp-mapping.md 4.6):
// pages backwards from the conversation's oldest stored row, with the peer
// as `with`. What comes back is history, not news: it is stored read,
// below the conversation's lowest seq (MessageStore::InsertOlder), copies
// of stored rows and tombstones stay as they are, nothing older than a
// clear or a conversation deletion is fetched or stored, no event is
// published, the conversation's unread count and last message stay, and
// the catch-up cursor (ArchiveSync) does not move. The retractions and
// corrections the fetched pages hold are applied to the rows this fetch
// stores, in the same batch and as silently (see HistoryEdits); an edit
// whose message is older than a fetch reached waits, in memory, for the
// next fetch of that conversation while this login runs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/done.h"
#include "domain/history_edits.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/history_store.h"
#include "xmpp/chat.h"
#include "xmpp/mam.h"

namespace timd::domain {

class ArchivePageFetch {
 public:
  ArchivePageFetch(store::MessageStore& store, events::EventBus& bus, const LoginState& login);
  ~ArchivePageFetch();  // unanswered fetches end UNAVAILABLE, 9508
  ArchivePageFetch(const ArchivePageFetch&) = delete;
  ArchivePageFetch& operator=(const ArchivePageFetch&) = delete;

  void set_own_jid(std::string bare_jid);
  // The current stream's archive module; null while there is none (running
  // fetches then end with what they stored).
  void set_mam(xmpp::MamManager* mam);

  // Stores up to `wanted` messages of the C2C conversation with `peer` (a
  // bare JID) older than its oldest stored row, then calls `done` once they
  // are committed. Without a stream, or when the server refuses or the
  // stream ends, it stops with what it stored (logged) and still answers
  // OK: the store answers the page. A store failure: UNAVAILABLE and 7010.
  void FetchOlder(const std::string& peer, int wanted, std::function<void(Status)> done);

 private:
  struct Fetch {
    uint64_t id = 0;
    std::string peer;
    int wanted = 0;
    int stored = 0;
    int pages = 0;
    int64_t start_ms = 0;     // nothing at or before a clear or deletion
    int64_t anchor_ms = 0;    // the oldest row's time, for a retry by time
    std::string next_before;  // archive id the next older page ends at
    std::vector<xmpp::IncomingChat> page;
    HistoryEdits edits;  // found on this fetch's pages, waiting for their message
    int edited = 0;      // stored rows an edit changed
    std::function<void(Status)> done;
  };

  // By value: the next page's before_id is read from `fetch`, which this clears.
  void RequestPage(const std::shared_ptr<Fetch>& fetch, std::string before_id, int64_t end_ms);
  // Stores the page just received, newest first (so seqs count down).
  bool StorePage(Fetch& fetch);
  bool Wanted(const xmpp::IncomingChat& chat, const Fetch& fetch, store::MessageRecord& record);
  // Answers `fetch` once what it stored is committed.
  void Finish(uint64_t id, const std::string& why);

  store::MessageStore& store_;
  store::HistoryStore history_;
  events::EventBus& bus_;
  const LoginState& login_;
  std::string own_jid_;
  xmpp::MamManager* mam_ = nullptr;
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::shared_ptr<Fetch>> running_;
  // By peer: edits a finished fetch found for messages older than it reached.
  std::map<std::string, HistoryEdits> waiting_edits_;
};

}  // namespace timd::domain
