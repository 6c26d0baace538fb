#include "domain/user_ids.h"

#include "domain/text_validation.h"
#include "xmpp/jid.h"

namespace timd::domain {

Result<std::string> UserIds::ToJid(std::string_view user_id) const {
  auto invalid = [&](const char* why) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidIdentifier,
                  std::string("invalid user ID '") + std::string(user_id) + "': " + why);
  };
  if (user_id.empty()) return invalid("empty");
  if (user_id.front() == '@') return invalid("a leading '@' is reserved");
  if (user_id.find('/') != std::string_view::npos) return invalid("resources are not allowed");
  if (auto problem = XmlTextProblem(user_id)) return invalid(problem->c_str());
  std::string text(user_id);
  if (text.find('@') == std::string::npos) text += "@" + own_domain_;
  auto jid = xmpp::Jid::Parse(text);
  if (!jid || jid->local.empty() || !jid->resource.empty()) return invalid("not a valid bare JID");
  return jid->Bare();
}

std::string UserIds::ToUserId(std::string_view bare_jid) const {
  const auto at = bare_jid.find('@');
  if (at != std::string_view::npos && bare_jid.substr(at + 1) == own_domain_) {
    return std::string(bare_jid.substr(0, at));
  }
  return std::string(bare_jid);
}

}  // namespace timd::domain
