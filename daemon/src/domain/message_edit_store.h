// Storing a received revoke or correction in a message row: the part the
// live path (MessageRevoke, MessageModify) and fetched history
// (ArchivePageFetch via HistoryEdits) share. Announcing the change is the
// caller's choice: news is announced, history is not.
#pragma once

#include <string>

#include "store/message_store.h"
#include "xmpp/correction.h"

namespace timd::domain {

// Sets `record` REVOKED; false when it is already, or deleted here (it
// stays deleted). Throws store::StoreError.
bool StoreRevoked(store::MessageStore& store, store::MessageRecord& record);
// Stores `body` and `elems` as `record`'s content; false when that is its
// content already (another copy of the same change). Throws store::StoreError.
bool StoreContent(store::MessageStore& store, store::MessageRecord& record, const std::string& body,
                  const std::string& elems);
// Stores the content `correction` carries (timd's payload, or another
// client's new body as a text element) as `record`'s; false when `record`
// is revoked or deleted (a revoke is final) or has that content already.
// Who may correct `record` is the caller's check. Throws store::StoreError.
bool StoreCorrection(store::MessageStore& store, store::MessageRecord& record, const xmpp::Correction& correction);

}  // namespace timd::domain
