#include "xmpp/mam.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <utility>

#include "xmpp/data_form.h"
#include "xmpp/jid.h"
#include "xmpp/namespaces.h"
#include "xmpp/stanza_error.h"

namespace timd::xmpp {
namespace {

constexpr std::string_view kMamNs = "urn:xmpp:mam:2";
constexpr std::string_view kRsmNs = "http://jabber.org/protocol/rsm";

}  // namespace

MessageContext ArchiveContextOf(const Element& result, const std::string& own_bare_jid) {
  MessageContext context;
  context.source = MessageSource::kArchive;
  context.own_bare_jid = own_bare_jid;
  context.stanza_id = result.Attr("id");
  const Element* forwarded = result.Child("forwarded", ns::kForward);
  const Element* delay = forwarded != nullptr ? forwarded->Child("delay", ns::kDelay) : nullptr;
  if (delay != nullptr) context.delay_ms = ParseXmppTimestamp(delay->Attr("stamp")).value_or(0);
  return context;
}

std::optional<IncomingChat> ParseArchivedChat(const Element& result, const std::string& own_bare_jid) {
  const Element* inner = ForwardedMessage(result);
  if (inner == nullptr) return std::nullopt;
  std::optional<IncomingChat> chat = ParseChatMessage(*inner, own_bare_jid);
  if (!chat) return std::nullopt;
  const MessageContext context = ArchiveContextOf(result, own_bare_jid);
  chat->stanza_id = context.stanza_id;
  chat->from = context.SenderOf(*inner);
  if (context.delay_ms != 0) chat->delay_ms = context.delay_ms;
  return chat;
}

ArchivedEdit ParseArchivedEdit(const Element& result, const std::string& own_bare_jid) {
  ArchivedEdit edit;
  const Element* inner = ForwardedMessage(result);
  if (inner == nullptr) return edit;
  const MessageContext context = ArchiveContextOf(result, own_bare_jid);
  edit.retraction = ParseRetraction(*inner, context);
  if (!edit.retraction) edit.correction = ParseCorrection(*inner, context);
  return edit;
}

MamManager::MamManager(Client& client) : client_(client) {}

MamManager::~MamManager() { *alive_ = false; }

std::string MamManager::QueryArchive(const std::string& after_id, const std::string& with, uint32_t page_size,
                                     MamCallbacks callbacks, int64_t start_ms) {
  Query query;
  query.with = with;
  query.start_ms = start_ms;
  query.page_size = page_size;
  query.callbacks = std::move(callbacks);
  return Start(std::move(query), after_id);
}

std::string MamManager::QueryPageBefore(const std::string& before_id, const std::string& with, int64_t start_ms,
                                        int64_t end_ms, uint32_t max, MamCallbacks callbacks) {
  Query query;
  query.with = with;
  query.start_ms = start_ms;
  query.end_ms = end_ms;
  query.history_page = true;
  query.page_size = max;
  query.callbacks = std::move(callbacks);
  return Start(std::move(query), before_id);
}

std::string MamManager::Start(Query query, const std::string& rsm_id) {
  std::string query_id = "mam" + std::to_string(++next_query_);
  if (query.page_size == 0) query.page_size = 50;
  queries_[query_id] = std::move(query);
  RequestPage(query_id, rsm_id);
  return query_id;
}

void MamManager::Cancel(const std::string& query_id) { queries_.erase(query_id); }

void MamManager::RequestPage(const std::string& query_id, const std::string& rsm_id) {
  const Query& query = queries_.at(query_id);
  Element iq("iq", std::string(ns::kClient));
  iq.SetAttr("type", "set");
  Element& q = iq.AddChild(Element("query", std::string(kMamNs)));
  q.SetAttr("queryid", query_id);
  Element& form = q.AddChild(SubmitForm(std::string(kMamNs)));
  if (!query.with.empty()) form.AddChild(FormField("with", query.with));
  if (query.start_ms != 0) form.AddChild(FormField("start", FormatXmppTimestamp(query.start_ms)));
  if (query.end_ms != 0) form.AddChild(FormField("end", FormatXmppTimestamp(query.end_ms)));
  Element& set = q.AddChild(Element("set", std::string(kRsmNs)));
  set.AddTextChild("max", std::string(kRsmNs), std::to_string(query.page_size));
  // An empty <before/> asks for the last page (XEP-0059 2.5).
  if (query.history_page) set.AddTextChild("before", std::string(kRsmNs), rsm_id);
  if (!query.history_page && !rsm_id.empty()) set.AddTextChild("after", std::string(kRsmNs), rsm_id);
  std::weak_ptr<bool> alive = alive_;
  client_.SendIq(std::move(iq), [this, alive, query_id](const Element* reply) {
    auto still_here = alive.lock();
    if (still_here && *still_here) OnPageReply(query_id, reply);
  });
}

void MamManager::OnPageReply(const std::string& query_id, const Element* reply) {
  auto it = queries_.find(query_id);
  if (it == queries_.end()) return;
  auto alive = alive_;
  if (reply == nullptr || reply->Attr("type") != "result") {
    MamCallbacks callbacks = std::move(it->second.callbacks);
    queries_.erase(it);
    if (callbacks.on_error) callbacks.on_error(reply == nullptr ? "disconnected" : ErrorCondition(*reply));
    return;
  }
  const Element* fin = reply->Child("fin", kMamNs);
  const Element* set = fin != nullptr ? fin->Child("set", kRsmNs) : nullptr;
  const Element* last = set != nullptr ? set->Child("last", kRsmNs) : nullptr;
  std::string last_id = last != nullptr ? last->text : "";
  const Element* first = set != nullptr ? set->Child("first", kRsmNs) : nullptr;
  // A history page goes backwards: the next older page ends at its first.
  std::string page_id = it->second.history_page ? (first != nullptr ? first->text : "") : last_id;
  bool complete = fin != nullptr && (fin->Attr("complete") == "true" || fin->Attr("complete") == "1");
  uint32_t count = it->second.page_count;
  it->second.page_count = 0;

  if (count > 0 && !page_id.empty()) {
    auto on_page = it->second.callbacks.on_page;
    if (on_page) on_page(page_id, count);
    if (!*alive) return;
    it = queries_.find(query_id);
    if (it == queries_.end()) return;
  }
  // Stop when done, or when the server gave nothing to page on from; a
  // history page is one page.
  if (complete || last_id.empty() || count == 0 || it->second.history_page) {
    if (!complete && !it->second.history_page) {
      spdlog::warn("XMPP: MAM query {} ended without reaching the archive's end", query_id);
    }
    MamCallbacks callbacks = std::move(it->second.callbacks);
    queries_.erase(it);
    if (callbacks.on_done) callbacks.on_done(complete);
    return;
  }
  RequestPage(query_id, last_id);
}

bool MamManager::HandleStanza(const Element& stanza) {
  if (stanza.name != "message") return false;
  const Element* result = stanza.Child("result", kMamNs);
  if (result == nullptr) return false;
  const std::string own = client_.bound_jid().Bare();
  std::optional<Jid> from = Jid::Parse(stanza.Attr("from"));
  // Only our own archive may speak for us: from our bare JID (or the server
  // on its behalf, without from), for a query we are running.
  bool from_own = !stanza.HasAttr("from") || (from && from->resource.empty() && from->Bare() == own);
  auto it = queries_.find(std::string(result->Attr("queryid")));
  if (!from_own || it == queries_.end()) {
    spdlog::debug("XMPP: ignoring an archive result that answers none of our queries");
    return true;
  }
  ++it->second.page_count;
  const Element* inner = ForwardedMessage(*result);
  if (it->second.history_page && inner != nullptr) {
    ArchivedEdit edit = ParseArchivedEdit(*result, own);
    if (edit.retraction) {
      auto on_retraction = it->second.callbacks.on_retraction;
      if (on_retraction) on_retraction(*edit.retraction);
      return true;
    }
    if (edit.correction) {
      auto on_correction = it->second.callbacks.on_correction;
      if (on_correction) on_correction(*edit.correction);
      return true;
    }
  }
  if (payloads_ != nullptr && inner != nullptr &&
      (it->second.history_page ? payloads_->Claims(*inner) : payloads_->Offer(*inner, ArchiveContextOf(*result, own)))) {
    return true;
  }
  std::optional<IncomingChat> chat = ParseArchivedChat(*result, own);
  if (!chat) return true;
  auto on_message = it->second.callbacks.on_message;
  if (on_message) on_message(*chat);
  return true;
}

}  // namespace timd::xmpp
