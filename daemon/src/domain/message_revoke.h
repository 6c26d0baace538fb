// Revoking messages (TIMMsgRevoke, mapping §4.4): the app's revoke of an
// own message as an XEP-0424 retraction, and the retractions peers and our
// other devices send, applied only when they come from the original's
// sender. A retraction that arrives before its message waits as a
// tombstone (store/retraction_tombstones.h) until the message is stored.
#pragma once

#include <cstdint>
#include <string>

#include "domain/ack_waiters.h"
#include "domain/done.h"
#include "domain/message_change_events.h"
#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "store/retraction_tombstones.h"
#include "tim/v1/messages.pb.h"
#include "xmpp/chat.h"
#include "xmpp/retraction.h"

namespace timd::domain {

class MessageRevoke {
 public:
  MessageRevoke(store::MessageStore& store, events::EventBus& bus, const UserIds& ids, MessageChangeEvents& changes,
                AckWaiters& acks, uint64_t time_limit_ms);

  void set_own_jid(std::string bare_jid) { own_jid_ = std::move(bare_jid); }

  // The app's call; `retraction` is null while no stream is ready.
  void Revoke(const tim::v1::RevokeMessageRequest& request, xmpp::MessageRetraction* retraction,
              Done<tim::v1::RevokeMessageResponse> done);
  // A retraction received live, as a carbon or from the archive.
  void OnRetraction(const xmpp::Retraction& retraction);
  // `chat` was stored (or was a copy of a stored message): applies a
  // retraction that arrived before it.
  void OnMessageStored(const xmpp::IncomingChat& chat);

 private:
  // Sets `record` REVOKED (unless it is already) and announces it.
  void Apply(store::MessageRecord& record, const std::string& revoker);
  void OnRevokeAcked(int64_t rowid, Done<tim::v1::RevokeMessageResponse> done);
  void AnswerAfterCommit(Done<tim::v1::RevokeMessageResponse> done, const store::MessageRecord& record);

  store::MessageStore& store_;
  events::EventBus& bus_;
  const UserIds& ids_;
  MessageChangeEvents& changes_;
  AckWaiters& acks_;
  store::RetractionTombstones tombstones_;
  uint64_t time_limit_ms_;
  std::string own_jid_;
};

}  // namespace timd::domain
