// Modifying messages (TIMMsgModifyMessage, mapping §4.5): the app's
// modification of an own message as an XEP-0308 correction carrying the
// whole new element array, and the corrections peers and our other
// devices send, applied in place only when they come from the original's
// sender.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "domain/ack_waiters.h"
#include "domain/done.h"
#include "domain/message_change_events.h"
#include "domain/user_ids.h"
#include "events/event_bus.h"
#include "store/message_store.h"
#include "tim/v1/messages.pb.h"
#include "xmpp/correction.h"

namespace timd::domain {

class MessageModify {
 public:
  MessageModify(store::MessageStore& store, events::EventBus& bus, const UserIds& ids, MessageChangeEvents& changes,
                AckWaiters& acks, size_t max_body_bytes);

  void set_own_jid(std::string bare_jid) { own_jid_ = std::move(bare_jid); }

  // The app's call; `correction` is null while no stream is ready.
  void Modify(const tim::v1::ModifyMessageRequest& request, xmpp::MessageCorrection* correction,
              Done<tim::v1::ModifyMessageResponse> done);
  // A correction received live, as a carbon or from the archive.
  void OnCorrection(const xmpp::Correction& correction);

 private:
  void OnModifyAcked(int64_t rowid, const std::string& body, const std::string& elems,
                     Done<tim::v1::ModifyMessageResponse> done);
  // Stores the new content of `record` and announces it; false when it is
  // the content already stored (another copy of the same correction).
  bool Apply(store::MessageRecord& record, const std::string& body, const std::string& elems);

  store::MessageStore& store_;
  events::EventBus& bus_;
  const UserIds& ids_;
  MessageChangeEvents& changes_;
  AckWaiters& acks_;
  size_t max_body_bytes_;
  std::string own_jid_;
  std::set<int64_t> modifying_;  // rowids whose correction waits for the server
};

}  // namespace timd::domain
