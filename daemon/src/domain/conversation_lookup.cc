#include "domain/conversation_lookup.h"

#include <string_view>

namespace timd::domain {

Result<store::ConversationRecord> FindNamedConversation(store::MessageStore& store, const UserIds& ids,
                                                        const std::string& conv_id, tim::v1::ConvType conv_type) {
  if (conv_type == tim::v1::CONV_GROUP) {
    return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, "only C2C conversations are supported");
  }
  if (conv_type != tim::v1::CONV_C2C) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, "conv_type is C2C (1) or group (2)");
  }
  auto peer = ids.ToJid(conv_id);
  if (!peer.ok()) return peer.status();
  auto conv = store.FindConversation(peer.value(), conv_type);
  if (!conv || !conv->Listed()) {
    return Status(Code::kNotFound, tim_err::kInvalidConversation, "no conversation with " + conv_id);
  }
  return *std::move(conv);
}

Result<store::ConversationRecord> FindConversationById(store::MessageStore& store, const UserIds& ids,
                                                       const std::string& conversation_id) {
  const std::string_view id = conversation_id;
  if (id.starts_with("c2c_")) return FindNamedConversation(store, ids, std::string(id.substr(4)), tim::v1::CONV_C2C);
  if (id.starts_with("group_")) {
    return FindNamedConversation(store, ids, std::string(id.substr(6)), tim::v1::CONV_GROUP);
  }
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters,
                "conversation ID \"" + conversation_id + "\" is neither c2c_<user> nor group_<group>");
}

}  // namespace timd::domain
