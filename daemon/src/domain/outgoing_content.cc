#include "domain/outgoing_content.h"

#include "domain/text_validation.h"

namespace timd::domain {

Result<OutgoingContent> PrepareOutgoingContent(const Elems& elems, const std::string& cloud_custom_str,
                                               bool need_read_receipt, size_t max_bytes) {
  if (elems.empty()) return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "no elements");
  if (elems.size() > kMaxElems) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  std::to_string(elems.size()) + " elements; at most " + std::to_string(kMaxElems));
  }
  for (int i = 0; i < elems.size(); ++i) {
    if (Status checked = CheckElem(elems.Get(i), i); !checked.ok()) return checked;
  }
  if (auto problem = XmlTextProblem(cloud_custom_str)) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                  "cloud_custom_str, " + *problem + " in XMPP");
  }
  OutgoingContent out;
  *out.content.mutable_elems() = elems;
  out.content.set_cloud_custom_str(cloud_custom_str);
  out.content.set_need_read_receipt(need_read_receipt);
  out.body = FallbackBody(out.content.elems());
  out.payload = EncodePayload(out.content);
  if (out.body.size() + out.payload.size() > max_bytes) {
    return Status(Code::kInvalidArgument, tim_err::kMsgBodySizeLimit,
                  "message is " + std::to_string(out.body.size() + out.payload.size()) + " bytes; the limit is " +
                      std::to_string(max_bytes));
  }
  return out;
}

}  // namespace timd::domain
