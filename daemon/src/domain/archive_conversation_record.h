// The conversation record for history a fetch (ArchivePageFetch) stored
// in a C2C conversation that has no last message: on a fresh device the
// archive is the only place the conversation is known from, and the app
// must be able to list it. Its last message becomes the newest fetched row
// (active time from it, unread count unchanged: 0, history is read), in
// the fetch's batch, with a ConvEvent ADD (UPDATE when TIMConvCreate had
// listed it already). A conversation that has a last message keeps it
// (history is not news); a deleted one stays deleted.
#pragma once

#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/message_store.h"

namespace timd::domain {

// `newest`: the newest row the fetch stored in its conversation. Throws
// store::StoreError.
void RecordArchivedConversation(store::MessageStore& store, events::EventBus& bus, const UserIds& ids,
                                const store::MessageRecord& newest);

}  // namespace timd::domain
