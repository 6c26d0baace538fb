#include "store/elem_type_filter.h"

#include <spdlog/spdlog.h>

namespace timd::store {
namespace {

std::string_view Bytes(sqlite3_value* value) {
  const auto* data = static_cast<const char*>(sqlite3_value_blob(value));
  const int size = sqlite3_value_bytes(value);
  return data == nullptr ? std::string_view() : std::string_view(data, static_cast<size_t>(size));
}

void ElemTypesFunction(sqlite3_context* context, int, sqlite3_value** argv) {
  const auto* classify = static_cast<const ElemTypeFunction::Classifier*>(sqlite3_user_data(context));
  sqlite3_result_int64(context, static_cast<int64_t>((*classify)(Bytes(argv[0]))));
}

}  // namespace

ElemTypeFunction::ElemTypeFunction(Database& db, Classifier classify) : db_(db), classify_(std::move(classify)) {
  const int rc = sqlite3_create_function_v2(db_.handle(), "timd_elem_types", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                            &classify_, &ElemTypesFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw StoreError(rc, "cannot register timd_elem_types");
}

ElemTypeFunction::~ElemTypeFunction() {
  const int rc = sqlite3_create_function_v2(db_.handle(), "timd_elem_types", 1, SQLITE_UTF8, nullptr, nullptr,
                                            nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) spdlog::warn("store: timd_elem_types stays registered ({})", sqlite3_errstr(rc));
}

std::string ElemTypeCondition(uint64_t mask) {
  if (mask == 0) return "";
  return " AND (timd_elem_types(elems) & " + std::to_string(static_cast<int64_t>(mask)) + ") <> 0";
}

}  // namespace timd::store
