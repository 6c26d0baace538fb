#include "domain/archive_page_fetch.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "domain/incoming_record.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

// Archive results that are not messages (markers, receipts, retractions,
// corrections) fill pages too: a few pages at most per call.
constexpr int kMaxPages = 5;
constexpr int kMaxPageSize = 100;

int64_t TimeOf(const store::MessageRecord& m) { return m.server_time_ms != 0 ? m.server_time_ms : m.client_time_ms; }

}  // namespace

ArchivePageFetch::ArchivePageFetch(store::MessageStore& store, events::EventBus& bus, const LoginState& login)
    : store_(store), history_(store), bus_(bus), login_(login) {}

ArchivePageFetch::~ArchivePageFetch() {
  // No commit comes after this: answer at once.
  for (auto& [id, fetch] : running_) {
    fetch->done(Status(Code::kUnavailable, tim_err::kNetDisconnect, "timd is stopping"));
  }
}

void ArchivePageFetch::set_own_jid(std::string bare_jid) {
  if (bare_jid != own_jid_) waiting_edits_.clear();  // another login's archive
  own_jid_ = std::move(bare_jid);
}

void ArchivePageFetch::set_mam(xmpp::MamManager* mam) {
  mam_ = mam;
  if (mam != nullptr) return;
  // The stream's queries died with it: their callbacks never come.
  while (!running_.empty()) Finish(running_.begin()->first, "the connection ended");
}

void ArchivePageFetch::FetchOlder(const std::string& peer, int wanted, std::function<void(Status)> done) {
  if (mam_ == nullptr || !login_.store_failure().empty()) {
    spdlog::info("history of {}: {}, the local store answers alone", peer,
                 mam_ == nullptr ? "not connected" : "the store takes no writes");
    return done(Status::Ok());
  }
  auto fetch = std::make_shared<Fetch>();
  fetch->id = ++next_id_;
  fetch->peer = peer;
  fetch->wanted = std::clamp(wanted, 1, kMaxPageSize);
  fetch->done = std::move(done);
  std::string before_id;
  try {
    const auto conversation = store_.FindConversation(peer, tim::v1::CONV_C2C);
    const int64_t deleted_up_to = conversation ? conversation->attrs.deleted_up_to_ms : 0;
    const int64_t cleared = history_.ClearedAtMs(peer, tim::v1::CONV_C2C);
    const int64_t forgotten = std::max(deleted_up_to, cleared);
    fetch->start_ms = forgotten > 0 ? forgotten + 1 : 0;
    if (auto oldest = store_.Oldest(peer, tim::v1::CONV_C2C)) {
      before_id = oldest->sid_own;
      fetch->anchor_ms = TimeOf(*oldest);
    }
  } catch (const store::StoreError& e) {
    return fetch->done(StoreFailureStatus(e));
  }
  if (auto waiting = waiting_edits_.find(peer); waiting != waiting_edits_.end()) {
    fetch->edits = std::move(waiting->second);
    waiting_edits_.erase(waiting);
  }
  running_[fetch->id] = fetch;
  // Own messages not yet synced have no archive id: page by their time.
  RequestPage(fetch, before_id, before_id.empty() ? fetch->anchor_ms : 0);
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
    if (!StorePage(*f)) return;
    if (complete || f->stored >= f->wanted || f->pages >= kMaxPages || f->next_before.empty() || mam_ == nullptr) {
      return Finish(id, complete ? "reached the archive's start" : "");
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

bool ArchivePageFetch::StorePage(Fetch& fetch) {
  try {
    for (auto it = fetch.page.rbegin(); it != fetch.page.rend(); ++it) {
      store::MessageRecord record;
      if (!Wanted(*it, fetch, record)) continue;
      record.is_read = true;  // history: never unread
      if (!store_.InsertOlder(record)) continue;  // a copy of a stored row stays as it is
      ++fetch.stored;
      if (fetch.edits.ApplyTo(store_, own_jid_, record) > 0) ++fetch.edited;
    }
    fetch.page.clear();
    return true;
  } catch (const store::StoreError& e) {
    bus_.AbortBatch(std::string("could not store archived history: ") + e.what());
    auto done = std::move(fetch.done);
    running_.erase(fetch.id);
    done(StoreFailureStatus(e));
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
  // The first fetch to finish keeps its edits for the next one.
  if (fetch->edits.waiting() > 0) waiting_edits_.try_emplace(fetch->peer, std::move(fetch->edits));
  if (fetch->stored == 0) return fetch->done(Status::Ok());
  bus_.RequestFlush();
  bus_.AfterPromptCommit([done = std::move(fetch->done)](bool committed) {
    if (committed) return done(Status::Ok());
    done(Status(Code::kUnavailable, tim_err::kDatabaseFailure, "the archived history could not be stored"));
  });
}

}  // namespace timd::domain
