// History older than anything stored, fetched from the login's own archive
// (XEP-0313) for TIMMsgGetMsgList with is_ramble (tim-xmpp-mapping.md 4.6):
// pages backwards from the conversation's oldest stored row, with the peer
// as `with`. What comes back is history, not news: it is stored read,
// below the conversation's lowest seq (MessageStore::InsertOlder), copies
// of stored rows and tombstones stay as they are, nothing older than a
// clear or a conversation deletion is fetched or stored, no message event
// is published, the conversation's unread count and last message stay
// (but for a conversation known from the archive only, which gets one:
// see archive_conversation_record.h), and the catch-up cursor
// (ArchiveSync) does not move. The retractions and corrections the fetched
// pages hold are applied to the rows this fetch stores, in the same batch
// and as silently (see HistoryEdits); an edit whose message is older than
// a fetch reached waits in the store for a later fetch of that
// conversation, and is dropped once a fetch reaches the archive's start.
// One fetch per conversation runs at a time; later ones wait for it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "domain/done.h"
#include "domain/history_edits.h"
#include "domain/login_state.h"
#include "events/event_bus.h"
#include "store/archived_edit_store.h"
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

  void set_own_jid(std::string bare_jid) { own_jid_ = std::move(bare_jid); }
  // The current stream's archive module; null while there is none (running
  // fetches then end with what they stored).
  void set_mam(xmpp::MamManager* mam);

  // Stores up to `wanted` messages of the C2C conversation with `peer` (a
  // bare JID) older than its oldest stored row, then calls `done` once they
  // are committed. Without a stream, or when the server refuses or the
  // stream ends, it stops with what it stored (logged) and still answers
  // OK: the store answers the page. A store failure: UNAVAILABLE and 7010.
  void FetchOlder(const std::string& peer, int wanted, std::function<void(Status)> done);
  // As FetchOlder, for a forward page from `from_ms` (0: the beginning):
  // stores the archived messages from `from_ms` up to the oldest stored
  // row, until the archive holds none older in that range or
  // kMaxRangeMessages are stored (a later call goes on from there). When
  // the oldest stored row is older than `from_ms`, nothing is missing: no
  // query.
  void FetchRange(const std::string& peer, int64_t from_ms, std::function<void(Status)> done);

  static constexpr int kMaxRangeMessages = 1000;

 private:
  struct Fetch {
    uint64_t id = 0;
    std::string peer;
    int wanted = 0;
    int max_pages = 0;
    int64_t range_start_ms = 0;  // FetchRange's from_ms; 0 for FetchOlder
    int stored = 0;
    int pages = 0;
    int64_t start_ms = 0;     // nothing at or before a clear or deletion, nor before the range
    bool to_archive_start = true;  // start_ms bounds the archive, not a range of it
    int64_t anchor_ms = 0;    // the oldest row's time, for a retry by time
    std::string next_before;  // archive id the next older page ends at
    std::vector<xmpp::IncomingChat> page;
    HistoryEdits edits;  // waiting for their message: from the store and this fetch's pages
    int edited = 0;      // stored rows an edit changed
    std::function<void(Status)> done;
  };

  // Begins `fetch`, or queues it behind the conversation's running one.
  void Enqueue(std::shared_ptr<Fetch> fetch);
  // Starts `fetch`; false when it was answered at once (nothing to fetch).
  bool Begin(const std::shared_ptr<Fetch>& fetch);
  // Begins the next fetch queued for `peer`, if any.
  void BeginNext(const std::string& peer);
  // By value: the next page's before_id is read from `fetch`, which this clears.
  void RequestPage(const std::shared_ptr<Fetch>& fetch, std::string before_id, int64_t end_ms);
  // Stores the page just received, newest first (so seqs count down), and
  // the waiting edits; `complete`: the page was the query's oldest.
  bool StorePage(Fetch& fetch, bool complete);
  bool Wanted(const xmpp::IncomingChat& chat, const Fetch& fetch, store::MessageRecord& record);
  // Answers `fetch` once what it stored is committed.
  void Finish(uint64_t id, const std::string& why);

  store::MessageStore& store_;
  store::HistoryStore history_;
  store::ArchivedEditStore waiting_edits_;
  events::EventBus& bus_;
  const LoginState& login_;
  std::string own_jid_;
  xmpp::MamManager* mam_ = nullptr;
  uint64_t next_id_ = 0;
  std::map<uint64_t, std::shared_ptr<Fetch>> running_;
  std::map<std::string, std::deque<std::shared_ptr<Fetch>>> queued_;  // by peer
};

}  // namespace timd::domain
