#include "store/search_store.h"

#include "store/elem_type_filter.h"

namespace timd::store {
namespace {

constexpr const char* kTime = "(CASE WHEN server_time_ms <> 0 THEN server_time_ms ELSE client_time_ms END)";
constexpr size_t kTrigram = 3;  // characters

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// An FTS5 phrase: the keyword in double quotes, inner quotes doubled.
std::string Phrase(const std::string& keyword) {
  std::string out = "\"";
  for (char c : keyword) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string SearchStore::Where(const SearchQuery& query, bool one_conversation,
                               std::vector<std::string>* texts) const {
  // Parameters: ?1 conv_type, ?2 conv_id, ?3 from, ?4 to, then texts from ?5.
  std::string where = std::string("WHERE status NOT IN (4, 6) AND ") + kTime + " BETWEEN ?3 AND ?4";
  if (one_conversation) where += " AND conv_type = ?1 AND conv_id = ?2";
  auto next = [&](std::string value) {
    texts->push_back(std::move(value));
    return "?" + std::to_string(4 + texts->size());
  };
  if (!query.senders.empty()) {
    where += " AND sender IN (";
    for (size_t i = 0; i < query.senders.size(); ++i) where += (i ? ", " : "") + next(query.senders[i]);
    where += ")";
  }
  where += ElemTypeCondition(query.elem_type_mask);
  if (query.keywords.empty()) return where;
  where += " AND (";
  for (size_t i = 0; i < query.keywords.size(); ++i) {
    if (i) where += query.match_all ? " AND " : " OR ";
    const std::string& keyword = query.keywords[i];
    if (Utf8Length(keyword) >= kTrigram) {
      where += "rowid IN (SELECT rowid FROM message_fts WHERE message_fts MATCH " + next(Phrase(keyword)) + ")";
    } else {
      where += "instr(lower(body), lower(" + next(keyword) + ")) > 0";
    }
  }
  return where + ")";
}

SearchHits SearchStore::SearchConversation(const SearchQuery& query, int64_t* total) {
  std::vector<std::string> texts;
  const std::string where = Where(query, true, &texts);
  auto bind = [&](Statement& s) -> Statement& {
    s.Bind(1, query.conv_type).Bind(2, query.conv_id).Bind(3, query.from_ms).Bind(4, query.to_ms);
    for (size_t i = 0; i < texts.size(); ++i) s.Bind(static_cast<int>(5 + i), texts[i]);
    return s;
  };
  Statement count(db_.handle(), "SELECT COUNT(*) FROM messages " + where);
  *total = bind(count).Step() ? count.Int(0) : 0;
  const std::string limit = " LIMIT " + std::to_string(query.limit > 0 ? query.limit : -1) + " OFFSET " +
                            std::to_string(query.offset);
  Statement page(db_.handle(),
                 MessageStore::SelectMessages(where + " ORDER BY " + kTime + " DESC, rowid DESC" + limit));
  SearchHits hits;
  hits.conv_id = query.conv_id;
  hits.conv_type = query.conv_type;
  hits.count = *total;
  for (bind(page); page.Step();) hits.messages.push_back(MessageStore::ReadRecord(page));
  return hits;
}

std::vector<SearchHits> SearchStore::SearchAll(const SearchQuery& query, int64_t* total) {
  std::vector<std::string> texts;
  const std::string where = Where(query, false, &texts);
  auto bind = [&](Statement& s) -> Statement& {
    s.Bind(3, query.from_ms).Bind(4, query.to_ms);
    for (size_t i = 0; i < texts.size(); ++i) s.Bind(static_cast<int>(5 + i), texts[i]);
    return s;
  };
  const std::string groups = "SELECT conv_type, conv_id, COUNT(*), MAX(" + std::string(kTime) +
                             ") AS latest, MAX(rowid) FROM messages " + where + " GROUP BY conv_type, conv_id";
  Statement count(db_.handle(), "SELECT COUNT(*) FROM (" + groups + ")");
  *total = bind(count).Step() ? count.Int(0) : 0;
  Statement page(db_.handle(), groups + " ORDER BY latest DESC, conv_type, conv_id LIMIT " +
                                   std::to_string(query.limit > 0 ? query.limit : -1) + " OFFSET " +
                                   std::to_string(query.offset));
  std::vector<SearchHits> out;
  std::vector<int64_t> single_rowids;
  for (bind(page); page.Step();) {
    SearchHits hits;
    hits.conv_type = static_cast<int>(page.Int(0));
    hits.conv_id = page.Text(1);
    hits.count = page.Int(2);
    single_rowids.push_back(hits.count == 1 ? page.Int(4) : 0);
    out.push_back(std::move(hits));
  }
  Statement by_rowid(db_.handle(), MessageStore::SelectMessages("WHERE rowid = ?1"));
  for (size_t i = 0; i < out.size(); ++i) {
    if (single_rowids[i] == 0) continue;
    if (by_rowid.Bind(1, single_rowids[i]).Step()) out[i].messages.push_back(MessageStore::ReadRecord(by_rowid));
    by_rowid.Reset();
  }
  return out;
}

}  // namespace timd::store
