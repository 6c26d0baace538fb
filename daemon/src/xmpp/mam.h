// XEP-0313 Message Archive Management (urn:xmpp:mam:2) over the user's own
// archive: pages forward through it with RSM (XEP-0059) and hands archived
// one-to-one messages out as IncomingChat, page by page, so the owner can
// commit a catch-up cursor after each page. Each archived message is first
// offered to the payload modules (see message_payload.h): markers,
// retractions and corrections in the archive reach them, in archive order.
// History pages (QueryPageBefore) are not news: they reach no payload
// module and report their retractions and corrections to the query's own
// callbacks instead.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "xmpp/chat.h"
#include "xmpp/client.h"
#include "xmpp/correction.h"
#include "xmpp/message_payload.h"
#include "xmpp/retraction.h"

namespace timd::xmpp {

struct MamCallbacks {
  // One archived chat message, in archive order. stanza_id is the archive
  // id; delay_ms the archive's timestamp. Messages we sent (from another or
  // this resource) come with from = our JID and to = the peer.
  std::function<void(const IncomingChat& message)> on_message;
  // After each page: the page's last archive id (the cursor to resume
  // after) and how many archive results the page held.
  std::function<void(const std::string& last_id, uint32_t count)> on_page;
  // The query ended: `complete` when the archive's end was reached.
  std::function<void(bool complete)> on_done;
  // The server answered with an iq error (e.g. "item-not-found" when the
  // after id is no longer in the archive), or "disconnected" when the stream
  // ended first. Ends the query.
  std::function<void(const std::string& condition)> on_error;
  // History pages only: an archived retraction or correction, among the
  // messages in archive order, with the archive's id and timestamp in its
  // origin. Whether its sender may apply it is the owner's check.
  std::function<void(const Retraction& retraction)> on_retraction;
  std::function<void(const Correction& correction)> on_correction;
};

// The chat message an archive result (<result xmlns='urn:xmpp:mam:2'>)
// forwards, with the archive's id as stanza_id and its timestamp as
// delay_ms (see MamCallbacks::on_message); nothing when it forwards none
// (markers, receipts, chat states are not messages).
std::optional<IncomingChat> ParseArchivedChat(const Element& result, const std::string& own_bare_jid);
// An archive result's context for the payload modules: the archive's id as
// stanza_id and its timestamp as delay_ms.
MessageContext ArchiveContextOf(const Element& result, const std::string& own_bare_jid);

// The retraction or correction an archive result forwards (at most one is
// set); neither when it forwards none or a malformed one (logged).
struct ArchivedEdit {
  std::optional<Retraction> retraction;
  std::optional<Correction> correction;
};
ArchivedEdit ParseArchivedEdit(const Element& result, const std::string& own_bare_jid);

class MamManager : public StanzaHandler {
 public:
  explicit MamManager(Client& client);
  ~MamManager() override;
  MamManager(const MamManager&) = delete;
  MamManager& operator=(const MamManager&) = delete;

  // Pages through the archive after `after_id` (empty: from the start),
  // optionally only the conversation `with` (a bare JID) and only messages
  // archived at or after `start_ms` (Unix ms; 0 = no bound), `page_size`
  // results per page, until the end. Returns the query id (for Cancel).
  std::string QueryArchive(const std::string& after_id, const std::string& with, uint32_t page_size,
                           MamCallbacks callbacks, int64_t start_ms = 0);
  // One page of history (the page view of XEP-0313 with RSM <before>): the
  // `max` results archived just before `before_id` (empty: the archive's
  // end), optionally only with `with` and within [start_ms, end_ms] (Unix
  // ms, 0 = no bound). Messages come to on_message oldest first, then
  // on_page(first_id: the before_id of the next older page, count) when the
  // page held results, then on_done(complete: nothing older remains) or
  // on_error. History is not news: no payload module sees the page;
  // retractions and corrections go to on_retraction and on_correction, and
  // other messages a payload module would claim are skipped.
  std::string QueryPageBefore(const std::string& before_id, const std::string& with, int64_t start_ms,
                              int64_t end_ms, uint32_t max, MamCallbacks callbacks);
  // Stops a query without further callbacks.
  void Cancel(const std::string& query_id);

  // Offers each archived message to `payloads` (not owned, may be null)
  // before reading it as a chat message.
  void SetPayloadHandlers(const MessagePayloadHandlers* payloads) { payloads_ = payloads; }

  bool HandleStanza(const Element& stanza) override;

 private:
  struct Query {
    std::string with;
    int64_t start_ms = 0;
    int64_t end_ms = 0;        // 0 = no bound
    bool history_page = false; // QueryPageBefore: one page, backwards
    uint32_t page_size = 0;
    uint32_t page_count = 0;  // results seen on the current page
    MamCallbacks callbacks;
  };

  // Registers `query` and asks for its first page; returns its id.
  std::string Start(Query query, const std::string& rsm_id);
  // Asks for the page after `rsm_id` (before it for a history page).
  void RequestPage(const std::string& query_id, const std::string& rsm_id);
  void OnPageReply(const std::string& query_id, const Element* reply);

  Client& client_;
  const MessagePayloadHandlers* payloads_ = nullptr;
  std::map<std::string, Query> queries_;
  uint64_t next_query_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace timd::xmpp
