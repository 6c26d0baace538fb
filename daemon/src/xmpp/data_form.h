// XEP-0004 data forms, the part timd submits: a form of type 'submit'
// whose hidden FORM_TYPE field names what it configures (a MAM query,
// pubsub publish-options), and its fields.
#pragma once

#include <string>
#include <string_view>

#include "xmpp/element.h"

namespace timd::xmpp {

inline constexpr std::string_view kDataFormsNs = "jabber:x:data";

// <x xmlns='jabber:x:data' type='submit'> with the hidden FORM_TYPE field.
Element SubmitForm(const std::string& form_type);
// <field var=var><value>value</value></field>
Element FormField(const std::string& var, const std::string& value);

}  // namespace timd::xmpp
