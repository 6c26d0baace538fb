#include "domain/message_search.h"

#include <algorithm>
#include <cstdint>

#include "domain/message_codec.h"
#include "domain/store_status.h"

namespace timd::domain {
namespace {

constexpr int kMaxKeywords = 5;

Status InvalidArgument(const std::string& why) {
  return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, why);
}

Status Unsupported(const std::string& why) {
  return Status(Code::kUnimplemented, tim_err::kInterfaceNotSupported, why);
}

int64_t Ms(uint64_t seconds) { return static_cast<int64_t>(std::min<uint64_t>(seconds, INT64_MAX / 1000 - 1)) * 1000; }

}  // namespace

Result<store::SearchQuery> MessageSearch::QueryOf(const tim::v1::SearchLocalMessagesRequest& request) const {
  auto types = ElemTypeMask(request.message_types());
  if (!types.ok()) return types.status();
  // Without keywords, a type list alone selects (e.g. every image).
  if ((request.keywords().empty() && types.value() == 0) || request.keywords_size() > kMaxKeywords) {
    return InvalidArgument("keywords must hold 1 to 5 keywords, or 0 with message_types");
  }
  if (request.match_type() > 1) return InvalidArgument("match_type must be 0 (or) or 1 (and)");
  store::SearchQuery query;
  query.elem_type_mask = types.value();
  for (const auto& keyword : request.keywords()) {
    if (keyword.empty()) return InvalidArgument("a keyword is empty");
    query.keywords.push_back(keyword);
  }
  query.match_all = request.match_type() == 1;
  for (const auto& sender : request.sender_ids()) {
    auto jid = login_.ids().ToJid(sender);
    if (!jid.ok()) return jid.status();
    query.senders.push_back(jid.value());
  }
  if (!request.conv_id().empty() || request.conv_type() != tim::v1::CONV_INVALID) {
    if (request.conv_type() != tim::v1::CONV_C2C) return Unsupported("only C2C conversations are supported");
    auto peer = login_.ids().ToJid(request.conv_id());
    if (!peer.ok()) return peer.status();
    query.conv_id = peer.value();
    query.conv_type = tim::v1::CONV_C2C;
  }
  query.to_ms = request.time_position() == 0 ? INT64_MAX : Ms(request.time_position()) + 999;
  if (request.time_period() != 0 && query.to_ms != INT64_MAX) {
    query.from_ms = std::max<int64_t>(0, query.to_ms - 999 - Ms(request.time_period()));
  }
  query.limit = request.page_size();
  query.offset = static_cast<int64_t>(request.page_index()) * request.page_size();
  return query;
}

Result<tim::v1::SearchLocalMessagesResponse> MessageSearch::Search(const tim::v1::SearchLocalMessagesRequest& request) {
  auto query = QueryOf(request);
  if (!query.ok()) return query.status();
  try {
    tim::v1::SearchLocalMessagesResponse response;
    int64_t total = 0;
    std::vector<store::SearchHits> found;
    if (!query.value().conv_id.empty()) {
      found.push_back(search_.SearchConversation(query.value(), &total));
    } else {
      found = search_.SearchAll(query.value(), &total);
    }
    response.set_total_count(static_cast<uint32_t>(total));
    for (const auto& hits : found) {
      tim::v1::SearchResultItem& item = *response.add_items();
      item.set_conv_id(hits.conv_type == tim::v1::CONV_C2C ? login_.ids().ToUserId(hits.conv_id) : hits.conv_id);
      item.set_conv_type(static_cast<tim::v1::ConvType>(hits.conv_type));
      item.set_total_message_count(static_cast<uint32_t>(hits.count));
      for (const auto& record : hits.messages) *item.add_messages() = ToApiMessage(record, login_.ids());
    }
    return response;
  } catch (const store::StoreError& e) {
    return StoreFailureStatus(e);
  }
}

}  // namespace timd::domain
