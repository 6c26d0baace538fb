// Read state in the messages table (tim-xmpp-mapping.md 4.3): the local
// read pointer is the newest received message with is_read set, the peer's
// is the newest own message with is_peer_read set. Both only move forward:
// a move marks every message at or before the pointer. Writes join the
// current batch.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace timd::store {

// A message a read pointer passed, as read-state callers need it.
struct ReadMessage {
  std::string msg_id;
  std::string raw_id;
  std::string body;
  std::string elems;
  int64_t conv_seq = 0;
  int64_t server_time_ms = 0;
  bool is_from_self = false;
};

class ReadStateStore {
 public:
  explicit ReadStateStore(Database& db);
  ~ReadStateStore();

  // Marks the peer's messages up to `up_to_seq` read; returns how many of
  // them counted as unread (not MessageRecord::no_unread).
  int64_t MarkRead(const std::string& conv_id, int conv_type, int64_t up_to_seq);
  // Marks own messages up to `up_to_seq` read by the peer; returns those that were not.
  std::vector<ReadMessage> MarkPeerRead(const std::string& conv_id, int conv_type, int64_t up_to_seq);
  // The newest received message at or before `up_to_seq` that asked for markers.
  std::optional<ReadMessage> NewestMarkable(const std::string& conv_id, int conv_type, int64_t up_to_seq);
  // The XEP-0359 stanza-id our server gave the newest received message at or
  // before `up_to_seq`; empty when none has one.
  std::string NewestReceivedStanzaId(const std::string& conv_id, int conv_type, int64_t up_to_seq);
  // The message of the conversation our server gave this stanza-id.
  std::optional<ReadMessage> FindByOwnStanzaId(const std::string& conv_id, int conv_type, const std::string& stanza_id);
  // The message of the conversation whose id attribute, origin-id or msg_id is `id`.
  std::optional<ReadMessage> FindReferenced(const std::string& conv_id, int conv_type, const std::string& id);
  // The seq of the newest message with a server time at or before `time_ms`; 0 if none.
  int64_t SeqAtOrBefore(const std::string& conv_id, int conv_type, int64_t time_ms);

 private:
  Database& db_;
  std::unique_ptr<Statement> mark_read_, mark_read_uncounted_, unread_own_, mark_peer_read_, markable_, referenced_,
      seq_at_, newest_stanza_id_, by_stanza_id_;
};

}  // namespace timd::store
