#include "domain/message_codec.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace timd::domain {
namespace {

// message_unique_id: top 63 bits of SHA-256(msg_id); message_rand: its low
// 32 bits. Both are the same on every device that sees the message.
void SetIdsDerivedFromMsgId(tim::v1::Message& m) {
  // Fetched once: OpenSSL 3's SHA256() looks the algorithm up on every call.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const std::string& msg_id = m.msg_id();
  unsigned char digest[EVP_MAX_MD_SIZE];
  const auto* data = reinterpret_cast<const unsigned char*>(msg_id.data());
  if (!sha256 || !EVP_Digest(data, msg_id.size(), digest, nullptr, sha256, nullptr)) {
    SHA256(data, msg_id.size(), digest);
  }
  auto be64 = [&](size_t offset) {
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i) value = (value << 8) | digest[offset + i];
    return value;
  };
  m.set_unique_id(be64(0) >> 1);
  m.set_rand(be64(24) & 0xffffffffu);
}

// One text element: stored as the record's body alone.
bool IsSingleText(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems) {
  return elems.size() == 1 && elems[0].type() == tim::v1::ELEM_TEXT && elems[0].has_text() &&
         elems[0].GetReflection()->GetUnknownFields(elems[0]).empty();
}

}  // namespace

std::string EncodeElems(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems) {
  if (IsSingleText(elems)) return "";
  tim::v1::Message holder;
  *holder.mutable_elems() = elems;
  return holder.SerializeAsString();
}

std::string TextOf(const google::protobuf::RepeatedPtrField<tim::v1::Elem>& elems) {
  std::string text;
  for (const auto& elem : elems) {
    if (elem.type() != tim::v1::ELEM_TEXT) continue;
    if (!text.empty()) text += '\n';
    text += elem.text().content();
  }
  return text;
}

void StoreAsText(store::MessageRecord& r, std::string text) {
  r.body = std::move(text);
  r.elems.clear();
}

void FillApiMessage(const store::MessageRecord& r, const UserIds& ids, tim::v1::Message& m) {
  if (r.elems.empty()) {
    auto* text = m.add_elems();
    text->set_type(tim::v1::ELEM_TEXT);
    text->mutable_text()->set_content(r.body);
  } else {
    tim::v1::Message holder;
    holder.ParseFromString(r.elems);
    for (auto& elem : *holder.mutable_elems()) *m.add_elems() = std::move(elem);
  }
  m.set_msg_id(r.msg_id);
  m.set_conv_id(r.conv_type == tim::v1::CONV_C2C ? ids.ToUserId(r.conv_id) : r.conv_id);
  m.set_conv_type(static_cast<tim::v1::ConvType>(r.conv_type));
  m.set_sender(ids.ToUserId(r.sender));
  m.set_client_time(static_cast<uint64_t>(r.client_time_ms / 1000));
  m.set_server_time(static_cast<uint64_t>(r.server_time_ms / 1000));
  m.set_server_time_ms(r.server_time_ms);
  m.set_is_from_self(r.is_from_self);
  m.set_is_read(r.is_read || r.is_from_self);
  m.set_status(static_cast<tim::v1::MsgStatus>(r.status));
  SetIdsDerivedFromMsgId(m);
  m.set_seq(static_cast<uint64_t>(r.conv_seq));
  m.set_priority(1);  // kTIMMsgPriority_Normal: XMPP carries no priority
}

tim::v1::Message ToApiMessage(const store::MessageRecord& r, const UserIds& ids) {
  tim::v1::Message m;
  FillApiMessage(r, ids, m);
  return m;
}

tim::v1::Conversation ToApiConversation(const store::ConversationRecord& c,
                                        const store::MessageRecord* last_msg, const UserIds& ids) {
  tim::v1::Conversation conv;
  const std::string id = c.conv_type == tim::v1::CONV_C2C ? ids.ToUserId(c.conv_id) : c.conv_id;
  conv.set_conv_id(id);
  conv.set_conv_type(static_cast<tim::v1::ConvType>(c.conv_type));
  conv.set_unread_num(static_cast<uint64_t>(c.unread));
  conv.set_active_time(static_cast<uint64_t>(c.active_time_ms / 1000));
  conv.set_show_name(id);
  if (last_msg) {
    conv.set_is_has_last_msg(true);
    *conv.mutable_last_msg() = ToApiMessage(*last_msg, ids);
  }
  return conv;
}

}  // namespace timd::domain
