#include "domain/referenced_message.h"

#include <spdlog/spdlog.h>

#include "xmpp/jid.h"

namespace timd::domain {

std::string ConversationOf(const std::string& from_bare, const std::string& to, const std::string& own_jid) {
  if (from_bare != own_jid) return from_bare;
  auto addressee = xmpp::Jid::Parse(to);
  return addressee && !addressee->local.empty() ? addressee->Bare() : own_jid;
}

ReferencedMessage FindReferencedMessage(store::MessageStore& store, const std::string& conv_id,
                                        const std::string& sender, const std::string& raw_id) {
  ReferencedMessage found;
  for (auto& candidate : store.FindByRawId(conv_id, tim::v1::CONV_C2C, raw_id)) {
    if (candidate.sender == sender) {
      found.message = std::move(candidate);
      return found;
    }
    found.someone_elses = true;
  }
  // A third party naming a message of another conversation: most ids are
  // also the msg_id (origin-id = id), so the index finds it.
  if (auto other = store.FindByMsgId(raw_id); other && other->raw_id == raw_id && other->sender != sender) {
    found.someone_elses = true;
  }
  return found;
}

ReferencedMessage FindReferencedMessage(store::MessageStore& store, const xmpp::MessageOrigin& origin,
                                        const std::string& own_jid, const std::string& raw_id,
                                        const char* payload) {
  ReferencedMessage found = FindReferencedMessage(store, ConversationOf(origin.from_bare, origin.to, own_jid),
                                                  origin.from_bare, raw_id);
  if (found.someone_elses) {
    spdlog::warn("ignoring a {} ({}) by {} of message {}, which someone else sent", payload,
                 xmpp::ToString(origin.source), origin.from_bare, raw_id);
  }
  return found;
}

}  // namespace timd::domain
