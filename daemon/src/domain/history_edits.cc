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

}  // namespace

bool HistoryEdits::Full(const xmpp::MessageOrigin& origin, const std::string& raw_id) const {
  if (waiting() < kMaxWaiting) return false;
  spdlog::warn("dropping an archived edit by {} of message {}: {} edits wait for older messages already",
               origin.from_bare, raw_id, waiting());
  return true;
}

void HistoryEdits::Add(const xmpp::Retraction& retraction) {
  if (Full(retraction.origin, retraction.retracted_id)) return;
  retractions_.emplace(retraction.retracted_id, retraction);
}

void HistoryEdits::Add(const xmpp::Correction& correction) {
  auto [first, last] = corrections_.equal_range(correction.replaced_id);
  for (auto it = first; it != last; ++it) {
    if (it->second.correction.origin.from_bare != correction.origin.from_bare) continue;
    // Later on the same page is newer; an earlier page is newer still.
    if (it->second.page == page_) it->second.correction = correction;
    return;
  }
  if (Full(correction.origin, correction.replaced_id)) return;
  corrections_.emplace(correction.replaced_id, PageCorrection{page_, correction});
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
    it = corrections_.erase(it);
  }
  auto [first_retraction, last_retraction] = retractions_.equal_range(record.raw_id);
  for (auto it = first_retraction; it != last_retraction;) {
    if (!EditsRecord(store, it->second.origin, own_jid, record.raw_id, "retraction", record)) {
      ++it;
      continue;
    }
    if (StoreRevoked(store, record)) ++applied;
    it = retractions_.erase(it);
  }
  if (applied > 0) spdlog::info("archived message {} in {}: {} archived edit(s) applied", record.msg_id,
                                record.conv_id, applied);
  return applied;
}

}  // namespace timd::domain
