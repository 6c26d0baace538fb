#include "xmpp/caps_hash.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <set>

namespace timd::xmpp {
namespace {

template <typename T>
bool HasDuplicates(std::vector<T> items) {
  std::sort(items.begin(), items.end());
  return std::adjacent_find(items.begin(), items.end()) != items.end();
}

void AppendForm(const DiscoForm& form, std::string& s) {
  s += form.form_type + "<";
  auto fields = form.fields;
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [var, values] : fields) {
    s += var + "<";
    std::sort(values.begin(), values.end());
    for (const auto& value : values) s += value + "<";
  }
}

}  // namespace

std::optional<std::string> CapsVerificationString(const DiscoInfo& info) {
  if (HasDuplicates(info.identities) || HasDuplicates(info.features)) return std::nullopt;
  std::vector<const DiscoForm*> forms;
  std::set<std::string> form_types;
  for (const auto& form : info.forms) {
    if (!form.form_type_hidden) continue;
    if (!form_types.insert(form.form_type).second) return std::nullopt;
    forms.push_back(&form);
  }
  std::string s;
  auto identities = info.identities;
  std::sort(identities.begin(), identities.end());  // category, type, xml:lang (then name)
  for (const auto& id : identities) s += id.category + "/" + id.type + "/" + id.lang + "/" + id.name + "<";
  auto features = info.features;
  std::sort(features.begin(), features.end());
  for (const auto& feature : features) s += feature + "<";
  std::sort(forms.begin(), forms.end(), [](const auto* a, const auto* b) { return a->form_type < b->form_type; });
  for (const DiscoForm* form : forms) AppendForm(*form, s);
  return s;
}

std::optional<std::string> CapsSha1Ver(const DiscoInfo& info) {
  std::optional<std::string> s = CapsVerificationString(info);
  if (!s) return std::nullopt;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s->data()), s->size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  const int length = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(length));
}

}  // namespace timd::xmpp
