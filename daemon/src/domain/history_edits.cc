#include "domain/history_edits.h"

#include <spdlog/spdlog.h>

#include "domain/message_edit_store.h"
#include "domain/referenced_message.h"

namespace timd::domain {
namespace {

// Whether `origin`'s edit of `raw_id` may change `record`: the sender's own
// message (a spoofed edit is logged by FindReferencedMessage).
bool EditsRecord(store::MessageStore& store, const xmpp::MessageOrigin& origin, const std::string& own_jid,
                 const std::string& raw_id, const char* payload, const store::MessageRecord& record) {
  ReferencedMessage found = FindReferencedMessage(store, origin, own_jid, raw_id, payload);
  return !found.someone_elses && found.message && found.message->rowid == record.rowid;
}

xmpp::MessageOrigin OriginOf(const store::ArchivedEdit& e) {
  xmpp::MessageOrigin origin;
  origin.from = e.sender_full;
  origin.from_bare = e.sender;
  origin.to = e.to;
  origin.id = e.edit_id;
  origin.stanza_id = e.stanza_id;
  origin.delay_ms = e.delay_ms;
  origin.source = xmpp::MessageSource::kArchive;
  origin.is_own = e.is_own;
  return origin;
}

store::ArchivedEdit StoredEditOf(const xmpp::MessageOrigin& origin, const std::string& target_id) {
  store::ArchivedEdit e;
  e.target_id = target_id;
  e.sender = origin.from_bare;
  e.sender_full = origin.from;
  e.to = origin.to;
  e.edit_id = origin.id;
  e.stanza_id = origin.stanza_id;
  e.delay_ms = origin.delay_ms;
  e.is_own = origin.is_own;
  return e;
}

}  // namespace

void HistoryEdits::Load(const std::vector<store::ArchivedEdit>& stored) {
  for (const store::ArchivedEdit& e : stored) {
    if (e.is_correction) {
      xmpp::Correction correction{OriginOf(e), e.target_id, e.origin_id, e.body, e.payload};
      corrections_.emplace(e.target_id, PageCorrection{0, e.id, std::move(correction)});
    } else {
      xmpp::Retraction retraction{OriginOf(e), e.target_id, e.legacy};
      retractions_.emplace(e.target_id, WaitingRetraction{e.id, std::move(retraction)});
    }
  }
}

bool HistoryEdits::Full(const xmpp::MessageOrigin& origin, const std::string& raw_id) const {
  if (waiting() < kMaxWaiting) return false;
  spdlog::warn("dropping an archived edit by {} of message {}: {} edits wait for older messages already",
               origin.from_bare, raw_id, waiting());
  return true;
}

void HistoryEdits::Unstore(int64_t stored_id) {
  if (stored_id != 0) unstored_.push_back(stored_id);
}

void HistoryEdits::Add(const xmpp::Retraction& retraction) {
  if (Full(retraction.origin, retraction.retracted_id)) return;
  retractions_.emplace(retraction.retracted_id, WaitingRetraction{0, retraction});
}

void HistoryEdits::Add(const xmpp::Correction& correction) {
  auto [first, last] = corrections_.equal_range(correction.replaced_id);
  for (auto it = first; it != last; ++it) {
    if (it->second.correction.origin.from_bare != correction.origin.from_bare) continue;
    // Later on the same page is newer; an earlier page is newer still.
    if (it->second.page == page_) {
      Unstore(it->second.stored_id);
      it->second = PageCorrection{page_, 0, correction};
    }
    return;
  }
  if (Full(correction.origin, correction.replaced_id)) return;
  corrections_.emplace(correction.replaced_id, PageCorrection{page_, 0, correction});
}

int HistoryEdits::ApplyTo(store::MessageStore& store, const std::string& own_jid, store::MessageRecord& record) {
  int applied = 0;
  auto [first_correction, last_correction] = corrections_.equal_range(record.raw_id);
  for (auto it = first_correction; it != last_correction;) {
    const xmpp::Correction& correction = it->second.correction;
    if (!EditsRecord(store, correction.origin, own_jid, record.raw_id, "correction", record)) {
      ++it;  // another message with that id may still come
      continue;
    }
    if (StoreCorrection(store, record, correction)) ++applied;
    Unstore(it->second.stored_id);
    it = corrections_.erase(it);
  }
  auto [first_retraction, last_retraction] = retractions_.equal_range(record.raw_id);
  for (auto it = first_retraction; it != last_retraction;) {
    if (!EditsRecord(store, it->second.retraction.origin, own_jid, record.raw_id, "retraction", record)) {
      ++it;
      continue;
    }
    if (StoreRevoked(store, record)) ++applied;
    Unstore(it->second.stored_id);
    it = retractions_.erase(it);
  }
  if (applied > 0) spdlog::info("archived message {} in {}: {} archived edit(s) applied", record.msg_id,
                                record.conv_id, applied);
  return applied;
}

void HistoryEdits::Save(store::ArchivedEditStore& store, const std::string& owner, const std::string& conv_id,
                        int conv_type) {
  for (int64_t id : unstored_) store.Remove(id);
  unstored_.clear();
  for (auto& [target_id, waiting] : retractions_) {
    if (waiting.stored_id != 0) continue;
    store::ArchivedEdit e = StoredEditOf(waiting.retraction.origin, target_id);
    e.legacy = waiting.retraction.legacy;
    waiting.stored_id = store.Add(owner, conv_id, conv_type, e);
  }
  for (auto& [target_id, waiting] : corrections_) {
    if (waiting.stored_id != 0) continue;
    store::ArchivedEdit e = StoredEditOf(waiting.correction.origin, target_id);
    e.is_correction = true;
    e.origin_id = waiting.correction.origin_id;
    e.body = waiting.correction.body;
    e.payload = waiting.correction.payload;
    waiting.stored_id = store.Add(owner, conv_id, conv_type, e);
  }
}

void HistoryEdits::Forget(store::ArchivedEditStore& store, const std::string& conv_id, int conv_type) {
  store.Forget(conv_id, conv_type);
  retractions_.clear();
  corrections_.clear();
  unstored_.clear();
}

}  // namespace timd::domain
