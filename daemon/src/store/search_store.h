// Full-text search of message bodies (TIMMsgSearchLocalMessages) over the
// message_fts index (trigram FTS5, kept in step with the messages table by
// triggers: see migrations.cc). A keyword of three or more characters
// matches through the index as a substring, case-insensitively; a shorter
// one by a scan of the candidate rows (a trigram index cannot hold it).
// Deleted and revoked messages are never found.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/message_store.h"

namespace timd::store {

struct SearchQuery {
  std::vector<std::string> keywords;  // 0 to 5 (none: only the other filters)
  bool match_all = false;             // AND (true) or OR (false) of the keywords
  std::vector<std::string> senders;   // bare JIDs; empty = anyone
  std::string conv_id;                // empty = every conversation
  int conv_type = 0;
  int64_t from_ms = 0;                // message time range, inclusive
  int64_t to_ms = INT64_MAX;
  int64_t offset = 0;                 // in messages (one conversation) or conversations (all)
  int64_t limit = 0;                  // 0 = no limit
  uint64_t elem_type_mask = 0;        // bits 1 << TIMElemType (elem_type_filter.h); 0 = any
};

struct SearchHits {
  std::string conv_id;
  int conv_type = 1;
  int64_t count = 0;                  // matching messages in the conversation
  std::vector<MessageRecord> messages;
};

class SearchStore {
 public:
  explicit SearchStore(Database& db) : db_(db) {}

  // One conversation (query.conv_id set): its matching messages, newest
  // first, paged; *total = how many match.
  SearchHits SearchConversation(const SearchQuery& query, int64_t* total);
  // Every conversation: the conversations with matches, most recent match
  // first, paged; each with its count and, when it has exactly one match,
  // that message. *total = how many conversations match.
  std::vector<SearchHits> SearchAll(const SearchQuery& query, int64_t* total);

 private:
  // The WHERE clause shared by both searches, and its parameters in order.
  std::string Where(const SearchQuery& query, bool one_conversation, std::vector<std::string>* texts) const;

  Database& db_;
};

}  // namespace timd::store
