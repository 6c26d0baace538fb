#include "domain/message_edit_store.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "domain/message_codec.h"
#include "domain/message_payload.h"
#include "tim/v1/messages.pb.h"

namespace timd::domain {

bool StoreRevoked(store::MessageStore& store, store::MessageRecord& record) {
  if (record.status == tim::v1::MSG_REVOKED || record.status == tim::v1::MSG_DELETED) return false;
  store.UpdateStatus(record.rowid, tim::v1::MSG_REVOKED, 0);
  record.status = tim::v1::MSG_REVOKED;
  return true;
}

bool StoreContent(store::MessageStore& store, store::MessageRecord& record, const std::string& body,
                  const std::string& elems) {
  if (record.body == body && record.elems == elems) return false;
  store.UpdateContent(record.rowid, body, elems);
  record.body = body;
  record.elems = elems;
  return true;
}

bool StoreCorrection(store::MessageStore& store, store::MessageRecord& record, const xmpp::Correction& correction) {
  if (record.status == tim::v1::MSG_REVOKED || record.status == tim::v1::MSG_DELETED) return false;
  tim::v1::Message content;
  if (!correction.payload.empty()) {
    auto decoded = DecodePayload(correction.payload);
    if (decoded.ok()) {
      content = std::move(decoded).value();
    } else {
      spdlog::warn("correction {} by {}: {}; keeping its body", correction.origin.id, correction.origin.from_bare,
                   decoded.status().message());
    }
  }
  if (content.elems().empty()) {  // another client's correction: its body is the new text
    auto* text = content.add_elems();
    text->set_type(tim::v1::ELEM_TEXT);
    text->mutable_text()->set_content(correction.body);
    content.set_need_read_receipt(StoredContent(record).need_read_receipt());
  }
  return StoreContent(store, record, correction.body, EncodeContent(content));
}

}  // namespace timd::domain
