#include "domain/message_codec.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdio>

#include "domain/message_payload.h"

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

}  // namespace

std::string EncodeContent(const tim::v1::Message& content) {
  if (BodySaysItAll(content)) return "";
  // Local paths stay: an own message's files upload (again, after a
  // restart) from there, and the sender's app sees its path as TIM's does.
  tim::v1::Message stored;
  *stored.mutable_elems() = content.elems();
  stored.set_cloud_custom_str(content.cloud_custom_str());
  stored.set_need_read_receipt(content.need_read_receipt());
  stored.set_is_excluded_from_unread_count(content.is_excluded_from_unread_count());
  stored.set_is_online_msg(content.is_online_msg());
  return stored.SerializeAsString();
}

tim::v1::Message StoredContent(const store::MessageRecord& r) {
  tim::v1::Message content;
  if (r.elems.empty()) {
    auto* text = content.add_elems();
    text->set_type(tim::v1::ELEM_TEXT);
    text->mutable_text()->set_content(r.body);
  } else {
    content.ParseFromString(r.elems);
  }
  return content;
}

uint64_t ElemTypeBits(std::string_view elems) {
  if (elems.empty()) return uint64_t{1} << tim::v1::ELEM_TEXT;
  tim::v1::Message content;
  if (!content.ParseFromArray(elems.data(), static_cast<int>(elems.size()))) return 0;
  uint64_t bits = 0;
  for (const auto& elem : content.elems()) bits |= uint64_t{1} << (static_cast<unsigned>(elem.type()) & 63);
  return bits;
}

Result<uint64_t> ElemTypeMask(const google::protobuf::RepeatedField<int>& types) {
  uint64_t mask = 0;
  for (int type : types) {
    if (type < tim::v1::ELEM_TEXT || type >= tim::v1::ELEM_INVALID) {
      return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                    "message type " + std::to_string(type) + " names no element type");
    }
    mask |= uint64_t{1} << type;
  }
  return mask;
}

void FillApiMessage(const store::MessageRecord& r, const UserIds& ids, tim::v1::Message& m) {
  tim::v1::Message content = StoredContent(r);
  m.mutable_elems()->Swap(content.mutable_elems());
  m.set_cloud_custom_str(content.cloud_custom_str());
  m.set_need_read_receipt(content.need_read_receipt());
  m.set_is_excluded_from_unread_count(content.is_excluded_from_unread_count());
  m.set_is_online_msg(content.is_online_msg());
  m.set_msg_id(r.msg_id);
  m.set_conv_id(r.conv_type == tim::v1::CONV_C2C ? ids.ToUserId(r.conv_id) : r.conv_id);
  m.set_conv_type(static_cast<tim::v1::ConvType>(r.conv_type));
  m.set_sender(ids.ToUserId(r.sender));
  m.set_client_time(static_cast<uint64_t>(r.client_time_ms / 1000));
  m.set_server_time(static_cast<uint64_t>(r.server_time_ms / 1000));
  m.set_server_time_ms(r.server_time_ms);
  m.set_is_from_self(r.is_from_self);
  m.set_is_read(r.is_read || r.is_from_self);
  m.set_is_peer_read(r.is_peer_read);
  m.set_delivered_time_ms(r.delivered_ms);
  m.set_status(static_cast<tim::v1::MsgStatus>(r.status));
  SetIdsDerivedFromMsgId(m);
  m.set_seq(static_cast<uint64_t>(r.conv_seq));
  m.set_priority(1);  // kTIMMsgPriority_Normal: XMPP carries no priority
  m.set_custom_int(static_cast<uint32_t>(r.custom_int));
  m.set_custom_str(r.custom_str);
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
  // Pinned conversations add 2^62 to their active time, as TIM reports it
  // (tim-xmpp-mapping.md 6).
  constexpr uint64_t kPinnedActiveTime = uint64_t{1} << 62;
  conv.set_active_time(static_cast<uint64_t>(c.active_time_ms / 1000) + (c.attrs.is_pinned ? kPinnedActiveTime : 0));
  conv.set_show_name(id);
  if (last_msg) {
    conv.set_is_has_last_msg(true);
    *conv.mutable_last_msg() = ToApiMessage(*last_msg, ids);
  }
  conv.set_is_pinned(c.attrs.is_pinned);
  if (!c.attrs.draft.empty() && conv.mutable_draft()->ParseFromString(c.attrs.draft)) conv.set_is_has_draft(true);
  for (int bit = 0; bit < 64; ++bit) {
    if (c.attrs.marks & (uint64_t{1} << bit)) conv.add_mark_array(uint64_t{1} << bit);
  }
  conv.set_custom_data(c.attrs.custom_data);
  return conv;
}

std::string NewUuid() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return out;
}

}  // namespace timd::domain
