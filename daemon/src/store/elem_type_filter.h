// Element-type filters in SQL (TIMMsgGetMsgList's message_type_array,
// TIMMsgSearchLocalMessages' message_type_array): the SQL function
// timd_elem_types(elems) returns the bit set (1 << TIMElemType) of a
// stored message's element types. The store keeps `elems` opaque, so the
// domain, which owns that encoding, gives the classifier.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/database.h"

namespace timd::store {

// Registers timd_elem_types on `db`'s connection for this object's lifetime.
class ElemTypeFunction {
 public:
  using Classifier = std::function<uint64_t(std::string_view elems)>;
  ElemTypeFunction(Database& db, Classifier classify);
  ~ElemTypeFunction();
  ElemTypeFunction(const ElemTypeFunction&) = delete;
  ElemTypeFunction& operator=(const ElemTypeFunction&) = delete;

 private:
  Database& db_;
  Classifier classify_;
};

// The SQL condition " AND (timd_elem_types(elems) & mask) <> 0" on the
// messages table, or "" for mask 0 (any type).
std::string ElemTypeCondition(uint64_t mask);

}  // namespace timd::store
