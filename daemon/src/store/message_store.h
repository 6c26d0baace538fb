// Messages and conversations.
//
// Copies of one message (live, carbon, offline, archive) collapse into one
// row. Two records are copies when they carry the same archive stanza-id,
// else the same sender and origin-id, else (neither having either) the same
// sender and stanza id attribute. msg_id is the only unique index the
// check needs: a received message is proposed under NaturalMsgId(), which
// every copy shares, so a copy always meets its stored twin there, or, when
// a different message holds that id, at the id derived from their shared
// identity. One random-keyed index instead of one per id kind matters: each
// random index insert dirties its own page, and every dirty page is written
// to the WAL at commit (MsgIdIndex batches those inserts).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/msg_id_index.h"

namespace timd::store {

struct MessageRecord {
  int64_t rowid = 0;
  std::string msg_id;        // TIM message_msg_id
  std::string conv_id;       // canonical conversation key (bare JID for C2C)
  int conv_type = 1;         // TIMConvType
  std::string sender;        // bare JID
  bool is_from_self = false;
  std::string body;          // plain text (search, previews)
  std::string elems;         // opaque serialized element array (domain-owned; "" = body alone)
  int64_t server_time_ms = 0;
  int64_t client_time_ms = 0;
  int status = 0;            // TIMMsgStatus
  bool is_read = false;
  std::string sid_own;       // XEP-0359 stanza-id by our archive ("" = none)
  std::string origin_id;     // XEP-0359 origin-id ("" = none)
  std::string raw_id;        // stanza id attribute ("" = none)
  int64_t conv_seq = 0;      // per-conversation ordinal (assigned on insert)
  bool markable = false;     // asked for XEP-0333 markers (<markable/>)
  bool is_peer_read = false; // own message the peer has displayed (read_state_store.h)
  int64_t delivered_ms = 0;  // own message's XEP-0184 receipt time (delivery_store.h); 0 = none
  // Never counts as unread (message_is_excluded_from_unread_count, or an
  // online-only message); written on insert, read by the unread queries.
  bool no_unread = false;
  int64_t custom_int = 0;    // local custom data (history_store.h), never sent
  std::string custom_str;
};

// Whether a message timed `time_ms` was certainly sent at or before
// `watermark_ms` (a conversation's deletion, a history clear). Archive and
// offline copies carry XEP-0203 stamps that servers (Prosody among them)
// give in whole seconds, so such a time stands for any instant of its
// second: the message predates the watermark only if that whole second
// does. A message sent just after the watermark, whose archive copy comes
// first, is kept; the copies of messages the store had stay gone through
// their deleted rows (tombstones), not through this test.
bool PredatesWatermark(int64_t time_ms, int64_t watermark_ms);

// The start of the statement that turns stored messages into deleted rows
// (TIMMsgStatus 4): no content, read, no local data; the ids stay.
inline constexpr const char* kMakeDeletedRows =
    "UPDATE messages SET status = 4, body = '', elems = NULL, is_read = 1, custom_int = 0, custom_str = '' ";

// What the app sets on a conversation, local to this daemon
// (tim-xmpp-mapping.md 6, open decision 10).
struct ConversationAttributes {
  // A deleted conversation stays deleted for messages at or before this
  // time (see MessageStore::DeleteConversation); 0 = never deleted.
  int64_t deleted_up_to_ms = 0;
  bool is_pinned = false;
  std::string draft;           // opaque serialized draft (domain-owned; "" = none)
  uint64_t marks = 0;          // TIMConversationMarkType bits
  std::string custom_data;
  // When TIMConvCreate made the conversation exist without a message
  // (ConversationCreate); 0 = it did not. Cleared by a delete.
  int64_t created_ms = 0;

  bool operator==(const ConversationAttributes&) const = default;
};

struct ConversationRecord {
  std::string conv_id;
  int conv_type = 1;
  int64_t last_msg_rowid = 0;  // 0 = none (never had one, or deleted)
  int64_t unread = 0;
  int64_t active_time_ms = 0;
  int64_t next_seq = 0;        // next conv_seq to assign
  ConversationAttributes attrs;

  // Whether the conversation exists for the app (is listed): it has a last
  // message, or the app created it (TIMConvCreate) and has not deleted it.
  bool Listed() const { return last_msg_rowid != 0 || attrs.created_ms != 0; }
};

// The msg_id under which a received message is stored: its origin-id, else
// its stanza id attribute, else "s:" + the archive stanza-id; "" when it
// carries none of them (the caller invents one; no copy can be matched).
std::string NaturalMsgId(const MessageRecord& m);

// Conversations are kept in memory while messages arrive and written once
// per commit (Database::BatchListener), not once per message.
class MessageStore {
 public:
  explicit MessageStore(Database& db);
  ~MessageStore();  // writes pending conversation changes into the batch
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Inserts `m` (assigning rowid and conv_seq) unless a copy is stored
  // already. Returns true when inserted; false for a duplicate, in which
  // case `m` gets the stored copy's rowid, msg_id and conv_seq (and the
  // stored copy learns `m.sid_own` if it had none). A msg_id taken by a
  // different message is replaced by one derived from the message's ids
  // ("x-" + 32 hex digits).
  // Every write here joins the current batch (db.Touch()).
  bool Insert(MessageRecord& m);
  // As Insert, for history fetched from the archive (older than anything
  // stored in its conversation): a new row's conv_seq counts down from the
  // conversation's lowest (tim-xmpp-mapping.md 13.3), so pages by seq keep
  // time order. The conversation's record is not touched.
  bool InsertOlder(MessageRecord& m);
  // The conversation's row with the lowest conv_seq, deleted ones included.
  std::optional<MessageRecord> Oldest(const std::string& conv_id, int conv_type);

  std::optional<MessageRecord> FindByMsgId(const std::string& msg_id);
  void UpdateStatus(int64_t rowid, int status, int64_t server_time_ms);
  // The messages of one conversation whose stanza id attribute is `raw_id`
  // (what retractions and corrections reference), newest first. Scans the
  // conversation: raw_id has no index of its own (see the header comment).
  std::vector<MessageRecord> FindByRawId(const std::string& conv_id, int conv_type, const std::string& raw_id);
  // A correction: the row keeps its msg_id, conv_seq and times.
  void UpdateContent(int64_t rowid, const std::string& body, const std::string& elems);
  // For stores of related tables that share this database's batch.
  Database& database() { return db_; }

  // Row access for stores of related queries (history_store.h): a SELECT
  // of every MessageRecord column with `where` appended, and its reader.
  static std::string SelectMessages(const std::string& where);
  static MessageRecord ReadRecord(const Statement& s);

  // Conversation bookkeeping for a newly inserted message. Returns the
  // updated record and whether the conversation was created by it (it had
  // was not Listed() before). ListConversations() lists only Listed() ones.
  std::pair<ConversationRecord, bool> TouchConversation(const MessageRecord& m, bool counts_unread);
  std::optional<ConversationRecord> FindConversation(const std::string& conv_id, int conv_type);
  std::vector<ConversationRecord> ListConversations();  // most recent first
  // The sum of the listed conversations' unread numbers (pending changes included).
  uint64_t TotalUnread();
  // Sets a conversation's unread count (a read-pointer move, see
  // read_state_store.h); returns its updated record.
  ConversationRecord SetUnread(const std::string& conv_id, int conv_type, int64_t unread);
  // Replaces a conversation's attributes; returns its updated record.
  ConversationRecord SetAttributes(const std::string& conv_id, int conv_type, const ConversationAttributes& attrs);
  // TIMConvCreate: makes the conversation Listed() without a message, active
  // at `now_ms`, unless it is already. Returns its record and whether it was
  // created.
  std::pair<ConversationRecord, bool> CreateConversation(const std::string& conv_id, int conv_type, int64_t now_ms);
  // Deletes a conversation: it loses its last message, unread count and
  // attributes (ListConversations no longer lists it) and, with
  // `clear_messages`, its stored messages (but for own messages still
  // being sent), which stay as deleted rows so that their later copies
  // stay deleted. Messages that PredatesWatermark(`up_to_ms`) are then
  // IsDeleted(); a newer one brings it back.
  void DeleteConversation(const std::string& conv_id, int conv_type, bool clear_messages, int64_t up_to_ms);
  // Whether `m` belongs to the part of its conversation that was deleted:
  // such a message (an archive catch-up's, a late copy) is not stored.
  bool IsDeleted(const MessageRecord& m);
  // Makes `last` (nullptr: none) the conversation's last message, after its
  // last message was deleted; returns its updated record.
  ConversationRecord ReplaceLastMessage(const std::string& conv_id, int conv_type, const MessageRecord* last);
  std::optional<MessageRecord> FindByRowid(int64_t rowid);
  // Own messages still waiting for the server (TIMMsgStatus 1), oldest first.
  std::vector<MessageRecord> ListSending();
  // Server time of the newest stored message, 0 when there is none: where
  // an archive catch-up restarts when its cursor has expired.
  int64_t NewestServerTimeMs();

 private:
  struct CachedConversation {
    ConversationRecord record;
    int64_t last_msg_time_ms = 0;  // time of record.last_msg_rowid
    bool dirty = false;            // changed since it was last written
  };
  static constexpr size_t kMaxCachedConversations = 4096;

  // Insert, with new rows placed after (or, `older`, before) the
  // conversation's others.
  bool Insert(MessageRecord& m, bool older);
  // Inserts `m` as a new row (its msg_id is free); returns true.
  bool InsertNew(MessageRecord& m, bool older);
  // The conversation's current state, loaded on first use.
  CachedConversation& Cached(const std::string& conv_id, int conv_type);
  void WriteConversations();  // dirty ones, into the batch

  Database& db_;
  std::unique_ptr<Statement> insert_, set_sid_;
  std::unique_ptr<Statement> by_rowid_, update_status_, sending_, by_raw_id_, update_content_;
  std::unique_ptr<Statement> conv_get_, conv_put_, conv_find_, conv_list_, delete_conv_messages_, oldest_,
      total_unread_;
  MsgIdIndex msg_ids_;
  std::map<std::pair<int, std::string>, CachedConversation> convs_;  // by (type, id)
  size_t batch_listener_ = 0;
};

}  // namespace timd::store
