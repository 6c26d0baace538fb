#include "domain/archive_page_fetch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "domain/archive_conversation_record.h"
#include "domain/incoming_record.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

// Archive results that are not messages (markers, receipts, retractions,
// corrections) fill pages too: a few pages at most per call.
constexpr int kMaxPages = 5;
constexpr int kMaxPageSize = 100;
// Servers cap pages (Prosody: 50 results), and receipts may be archived
// as often as messages: room for both, and some more.
constexpr int kMaxRangePages = 3 * ArchivePageFetch::kMaxRangeMessages / 50;

int64_t TimeOf(const store::MessageRecord& m) { return m.server_time_ms != 0 ? m.server_time_ms : m.client_time_ms; }

}  // namespace

ArchivePageFetch::ArchivePageFetch(store::MessageStore& store, events::EventBus& bus, const LoginState& login)
    : store_(store), history_(store), waiting_edits_(store.database()), bus_(bus), login_(login) {}

ArchivePageFetch::~ArchivePageFetch() {
  // No commit comes after this: answer at once.
  const Status stopping(Code::kUnavailable, tim_err::kNetDisconnect, "timd is stopping");
  for (auto& [id, fetch] : running_) fetch->done(stopping);
  for (auto& [peer, fetches] : queued_) {
    for (auto& fetch : fetches) fetch->done(stopping);
  }
}

void ArchivePageFetch::set_mam(xmpp::MamManager* mam) {
  mam_ = mam;
  if (mam != nullptr) return;
  // The stream's queries died with it: their callbacks never come.
  while (!running_.empty()) Finish(running_.begin()->first, "the connection ended");
}

void ArchivePageFetch::FetchOlder(const std::string& peer, int wanted, std::function<void(Status)> done) {
  auto fetch = std::make_shared<Fetch>();
  fetch->peer = peer;
  fetch->wanted = std::clamp(wanted, 1, kMaxPageSize);
  fetch->max_pages = kMaxPages;
  fetch->done = std::move(done);
  Enqueue(std::move(fetch));
}

void ArchivePageFetch::FetchRange(const std::string& peer, int64_t from_ms, std::function<void(Status)> done) {
  auto fetch = std::make_shared<Fetch>();
  fetch->peer = peer;
  fetch->wanted = kMaxRangeMessages;
  fetch->max_pages = kMaxRangePages;
  fetch->range_start_ms = std::max<int64_t>(from_ms, 0);
  fetch->done = std::move(done);
  Enqueue(std::move(fetch));
}

void ArchivePageFetch::Enqueue(std::shared_ptr<Fetch> fetch) {
  fetch->id = ++next_id_;
  // One at a time per conversation: each goes on from the oldest row the
  // one before stored, with the edits it left waiting.
  auto busy = std::find_if(running_.begin(), running_.end(),
                           [&](const auto& running) { return running.second->peer == fetch->peer; });
  if (busy != running_.end()) return queued_[fetch->peer].push_back(std::move(fetch));
  Begin(fetch);
}

void ArchivePageFetch::BeginNext(const std::string& peer) {
  auto queue = queued_.find(peer);
  while (queue != queued_.end() && !queue->second.empty()) {
    std::shared_ptr<Fetch> next = std::move(queue->second.front());
    queue->second.pop_front();
    if (queue->second.empty()) queued_.erase(queue);
    if (Begin(next)) return;
    queue = queued_.find(peer);
  }
}

bool ArchivePageFetch::Begin(const std::shared_ptr<Fetch>& fetch) {
  if (mam_ == nullptr || !login_.store_failure().empty()) {
    spdlog::info("history of {}: {}, the local store answers alone", fetch->peer,
                 mam_ == nullptr ? "not connected" : "the store takes no writes");
    fetch->done(Status::Ok());
    return false;
  }
  std::string before_id;
  try {
    const auto conversation = store_.FindConversation(fetch->peer, tim::v1::CONV_C2C);
    const int64_t deleted_up_to = conversation ? conversation->attrs.deleted_up_to_ms : 0;
    const int64_t cleared = history_.ClearedAtMs(fetch->peer, tim::v1::CONV_C2C);
    const int64_t forgotten = std::max(deleted_up_to, cleared);
    fetch->start_ms = forgotten > 0 ? forgotten + 1 : 0;
    if (fetch->range_start_ms > fetch->start_ms) {
      fetch->start_ms = fetch->range_start_ms;
      fetch->to_archive_start = false;
    }
    if (auto oldest = store_.Oldest(fetch->peer, tim::v1::CONV_C2C)) {
      if (fetch->range_start_ms != 0 && TimeOf(*oldest) < fetch->range_start_ms) {
        fetch->done(Status::Ok());  // the range begins among stored rows
        return false;
      }
      before_id = oldest->sid_own;
      fetch->anchor_ms = TimeOf(*oldest);
    }
    fetch->edits.Load(waiting_edits_.List(own_jid_, fetch->peer, tim::v1::CONV_C2C));
  } catch (const store::StoreError& e) {
    fetch->done(StoreFailureStatus(e));
    return false;
  }
  running_[fetch->id] = fetch;
  // Own messages not yet synced have no archive id: page by their time.
  RequestPage(fetch, before_id, before_id.empty() ? fetch->anchor_ms : 0);
  return true;
}

void ArchivePageFetch::RequestPage(const std::shared_ptr<Fetch>& fetch, std::string before_id, int64_t end_ms) {
  ++fetch->pages;
  fetch->page.clear();
  fetch->next_before.clear();
  fetch->edits.BeginPage();
  const uint64_t id = fetch->id;
  std::weak_ptr<Fetch> weak = fetch;
  xmpp::MamCallbacks callbacks;
  callbacks.on_message = [weak](const xmpp::IncomingChat& chat) {
    if (auto f = weak.lock()) f->page.push_back(chat);
  };
  callbacks.on_retraction = [weak](const xmpp::Retraction& retraction) {
    if (auto f = weak.lock()) f->edits.Add(retraction);
  };
  callbacks.on_correction = [weak](const xmpp::Correction& correction) {
    if (auto f = weak.lock()) f->edits.Add(correction);
  };
  callbacks.on_page = [weak](const std::string& first_id, uint32_t) {
    if (auto f = weak.lock()) f->next_before = first_id;
  };
  callbacks.on_done = [this, weak, id](bool complete) {
    auto f = weak.lock();
    if (!f || running_.count(id) == 0) return;
    if (!StorePage(*f, complete)) return;
    if (complete) return Finish(id, f->to_archive_start ? "reached the archive's start" : "reached the range's start");
    if (f->stored >= f->wanted || f->pages >= f->max_pages || f->next_before.empty() || mam_ == nullptr) {
      return Finish(id, "");
    }
    RequestPage(f, f->next_before, 0);
  };
  callbacks.on_error = [this, weak, id, before_id](const std::string& condition) {
    auto f = weak.lock();
    if (!f || running_.count(id) == 0) return;
    if (condition == "item-not-found" && !before_id.empty() && f->anchor_ms != 0 && mam_ != nullptr) {
      // The archive no longer holds that id: page by time instead (mapping 4.6).
      return RequestPage(f, "", f->anchor_ms);
    }
    Finish(id, "the archive query failed: " + condition);
  };
  const uint32_t max = static_cast<uint32_t>(std::min(kMaxPageSize, fetch->wanted - fetch->stored + 1));
  mam_->QueryPageBefore(before_id, fetch->peer, fetch->start_ms, end_ms, max, std::move(callbacks));
}

bool ArchivePageFetch::Wanted(const xmpp::IncomingChat& chat, const Fetch& fetch, store::MessageRecord& record) {
  auto incoming = IncomingRecord(chat, own_jid_);
  if (!incoming || incoming->conv_id != fetch.peer) return false;
  record = std::move(*incoming);
  // Older than a clear or a deletion of the conversation: it stays forgotten.
  if (fetch.start_ms != 0 && TimeOf(record) < fetch.start_ms) return false;
  return !store_.IsDeleted(record);
}

bool ArchivePageFetch::StorePage(Fetch& fetch, bool complete) {
  try {
    std::optional<store::MessageRecord> newest;
    for (auto it = fetch.page.rbegin(); it != fetch.page.rend(); ++it) {
      store::MessageRecord record;
      if (!Wanted(*it, fetch, record)) continue;
      record.is_read = true;  // history: never unread
      if (!store_.InsertOlder(record)) continue;  // a copy of a stored row stays as it is
      ++fetch.stored;
      if (fetch.edits.ApplyTo(store_, own_jid_, record) > 0) ++fetch.edited;
      if (!newest) newest = record;
    }
    fetch.page.clear();
    if (newest) RecordArchivedConversation(store_, bus_, login_.ids(), *newest);
    // Nothing older comes any more: the edits still waiting never apply.
    if (complete && fetch.to_archive_start) {
      fetch.edits.Forget(waiting_edits_, fetch.peer, tim::v1::CONV_C2C);
    } else {
      fetch.edits.Save(waiting_edits_, own_jid_, fetch.peer, tim::v1::CONV_C2C);
    }
    return true;
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store archived history: ") + e.what());
    auto done = std::move(fetch.done);
    const std::string peer = fetch.peer;
    running_.erase(fetch.id);
    done(StoreFailureStatus(e));
    BeginNext(peer);
    return false;
  }
}

void ArchivePageFetch::Finish(uint64_t id, const std::string& why) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  std::shared_ptr<Fetch> fetch = std::move(it->second);
  running_.erase(it);
  spdlog::info("history of {}: {} older messages from the archive, {} of them edited ({} edits wait for older "
               "messages){}{}",
               fetch->peer, fetch->stored, fetch->edited, fetch->edits.waiting(), why.empty() ? "" : "; ", why);
  if (fetch->stored == 0) {
    fetch->done(Status::Ok());
  } else {
    bus_.RequestFlush();
    bus_.AfterPromptCommit([done = std::move(fetch->done)](bool committed) {
      if (committed) return done(Status::Ok());
      done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the archived history could not be stored"));
    });
  }
  BeginNext(fetch->peer);
}

}  // namespace timd::domain
