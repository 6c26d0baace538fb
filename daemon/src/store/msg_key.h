// The key of the messages' msg_id index (MsgIdIndex): a 64-bit FNV-1a hash
// of the msg_id. An integer entry is a third the size of a text one, so the
// index has a third of the pages to dirty. Equal keys do not mean equal
// ids: lookups compare msg_id too.
#pragma once

#include <cstdint>
#include <string_view>

namespace timd::store {

inline int64_t MsgKeyOf(std::string_view msg_id) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : msg_id) h = (h ^ c) * 1099511628211ull;
  return static_cast<int64_t>(h);
}

}  // namespace timd::store
