#include "xmpp/disco_info.h"

#include "xmpp/data_form.h"

namespace timd::xmpp {
namespace {

DiscoForm ParseForm(const Element& x) {
  DiscoForm form;
  for (const Element& field : x.children) {
    if (field.name != "field" || field.xmlns != kDataFormsNs) continue;
    std::vector<std::string> values;
    for (const Element& value : field.children) {
      if (value.name == "value" && value.xmlns == kDataFormsNs) values.push_back(value.text);
    }
    if (field.Attr("var") == "FORM_TYPE") {
      form.form_type = values.empty() ? std::string() : values.front();
      form.form_type_hidden = field.Attr("type") == "hidden";
    } else {
      form.fields.emplace_back(std::string(field.Attr("var")), std::move(values));
    }
  }
  return form;
}

size_t TextBytes(const DiscoInfo& info) {
  size_t bytes = 0;
  for (const auto& id : info.identities) bytes += id.category.size() + id.type.size() + id.lang.size() + id.name.size();
  for (const auto& feature : info.features) bytes += feature.size();
  for (const auto& form : info.forms) {
    bytes += form.form_type.size();
    for (const auto& [var, values] : form.fields) {
      bytes += var.size();
      for (const auto& value : values) bytes += value.size();
    }
  }
  return bytes;
}

size_t Entries(const DiscoInfo& info) {
  size_t entries = info.identities.size() + info.features.size();
  for (const auto& form : info.forms) entries += 1 + form.fields.size();
  return entries;
}

}  // namespace

std::optional<DiscoInfo> ParseDiscoInfo(const Element& query, std::string* why) {
  if (query.name != "query" || query.xmlns != kDiscoInfoNs) {
    if (why) *why = "not a disco#info query";
    return std::nullopt;
  }
  DiscoInfo info;
  for (const Element& child : query.children) {
    if (child.xmlns == kDiscoInfoNs && child.name == "identity") {
      info.identities.push_back({std::string(child.Attr("category")), std::string(child.Attr("type")),
                                 std::string(child.Attr("xml:lang")), std::string(child.Attr("name"))});
    } else if (child.xmlns == kDiscoInfoNs && child.name == "feature") {
      info.features.emplace_back(child.Attr("var"));
    } else if (child.xmlns == kDataFormsNs && child.name == "x") {
      info.forms.push_back(ParseForm(child));
    }
    if (Entries(info) > kMaxDiscoEntries) {
      if (why) *why = "more than " + std::to_string(kMaxDiscoEntries) + " entries";
      return std::nullopt;
    }
  }
  if (TextBytes(info) > kMaxDiscoTextBytes) {
    if (why) *why = "more than " + std::to_string(kMaxDiscoTextBytes) + " bytes of text";
    return std::nullopt;
  }
  return info;
}

Element BuildDiscoInfoQuery(const DiscoInfo& info, const std::string& node) {
  Element query("query", std::string(kDiscoInfoNs));
  if (!node.empty()) query.SetAttr("node", node);
  for (const auto& id : info.identities) {
    Element& identity = query.AddChild(Element("identity", std::string(kDiscoInfoNs)));
    identity.SetAttr("category", id.category).SetAttr("type", id.type);
    if (!id.lang.empty()) identity.SetAttr("xml:lang", id.lang);
    if (!id.name.empty()) identity.SetAttr("name", id.name);
  }
  for (const auto& feature : info.features) {
    query.AddChild(Element("feature", std::string(kDiscoInfoNs))).SetAttr("var", feature);
  }
  return query;
}

}  // namespace timd::xmpp
