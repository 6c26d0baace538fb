#include "xmpp/data_form.h"

namespace timd::xmpp {

Element SubmitForm(const std::string& form_type) {
  Element form("x", std::string(kDataFormsNs));
  form.SetAttr("type", "submit");
  form.AddChild(FormField("FORM_TYPE", form_type)).SetAttr("type", "hidden");
  return form;
}

Element FormField(const std::string& var, const std::string& value) {
  Element field("field", std::string(kDataFormsNs));
  field.SetAttr("var", var);
  field.AddTextChild("value", std::string(kDataFormsNs), value);
  return field;
}

}  // namespace timd::xmpp
