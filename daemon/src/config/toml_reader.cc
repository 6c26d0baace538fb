#include "config/toml_reader.h"

#include <utility>

namespace timd {
namespace {

std::string Where(const char* section, const char* key) { return std::string(section) + "." + key; }

}  // namespace

std::string TomlTypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

TomlReader::TomlReader(std::string path, toml::table table) : path_(std::move(path)), table_(std::move(table)) {}

void TomlReader::Fail(const std::string& where, const std::string& reason) {
  if (!error_.ok()) return;
  error_ = Status(Code::kInvalidArgument, tim_err::kInvalidParameters, path_ + ": key [" + where + "]: " + reason);
}

const toml::node* TomlReader::Find(const char* section, const char* key) {
  known_.insert(section);
  known_.insert(Where(section, key));
  const toml::node* node = table_.get(section);
  if (!node || !node->is_table()) return nullptr;  // Finish() reports a non-table section
  return node->as_table()->get(key);
}

void TomlReader::String(const char* section, const char* key, std::string& out) {
  const toml::node* node = Find(section, key);
  if (!node) return;
  if (!node->is_string()) return Fail(Where(section, key), "must be a string, not " + TomlTypeName(*node));
  out = node->as_string()->get();
}

void TomlReader::Bool(const char* section, const char* key, bool& out) {
  const toml::node* node = Find(section, key);
  if (!node) return;
  if (!node->is_boolean()) {
    return Fail(Where(section, key), "must be true or false, not " + TomlTypeName(*node));
  }
  out = node->as_boolean()->get();
}

void TomlReader::Choice(const char* section, const char* key, std::initializer_list<const char*> choices,
                        std::string& out) {
  std::string value;
  const toml::node* node = Find(section, key);
  if (!node) return;
  String(section, key, value);
  if (!node->is_string()) return;
  std::string list;
  for (const char* choice : choices) {
    if (value == choice) {
      out = value;
      return;
    }
    list += std::string(list.empty() ? "" : ", ") + "\"" + choice + "\"";
  }
  Fail(Where(section, key), "must be one of " + list + ", not \"" + value + "\"");
}

std::optional<int64_t> TomlReader::IntegerValue(const char* section, const char* key, IntRange range) {
  const toml::node* node = Find(section, key);
  if (!node) return std::nullopt;
  std::string where = Where(section, key);
  if (!node->is_integer()) {
    Fail(where, "must be an integer, not " + TomlTypeName(*node));
    return std::nullopt;
  }
  int64_t value = node->as_integer()->get();
  if (value < range.min || value > range.max) {
    Fail(where, "must be from " + std::to_string(range.min) + " to " + std::to_string(range.max) + ", not " +
                    std::to_string(value));
    return std::nullopt;
  }
  return value;
}

void TomlReader::IdList(const char* section, const char* key, std::vector<uint32_t>& out) {
  const toml::node* node = Find(section, key);
  if (!node) return;
  std::string where = Where(section, key);
  if (!node->is_array()) return Fail(where, "must be an array of ids, not " + TomlTypeName(*node));
  std::vector<uint32_t> ids;
  for (const toml::node& item : *node->as_array()) {
    // (uid_t)-1 means "no id" to the kernel: never a valid entry.
    if (!item.is_integer() || item.as_integer()->get() < 0 || item.as_integer()->get() >= UINT32_MAX) {
      return Fail(where, "must hold integers from 0 to " + std::to_string(UINT32_MAX - 1));
    }
    ids.push_back(static_cast<uint32_t>(item.as_integer()->get()));
  }
  out = std::move(ids);
}

void TomlReader::StringList(const char* section, const char* key, std::vector<std::string>& out) {
  const toml::node* node = Find(section, key);
  if (!node) return;
  std::string where = Where(section, key);
  if (!node->is_array()) return Fail(where, "must be an array of strings, not " + TomlTypeName(*node));
  std::vector<std::string> values;
  for (const toml::node& item : *node->as_array()) {
    if (!item.is_string()) return Fail(where, "must hold strings only, not " + TomlTypeName(item));
    values.push_back(item.as_string()->get());
  }
  out = std::move(values);
}

Status TomlReader::Finish() const {
  if (!error_.ok()) return error_;
  auto fail = [&](const std::string& where, const std::string& reason) {
    return Status(Code::kInvalidArgument, tim_err::kInvalidParameters, path_ + ": key [" + where + "]: " + reason);
  };
  for (const auto& [section_key, section] : table_) {
    std::string name(section_key.str());
    if (!known_.count(name)) return fail(name, "unknown section or key");
    if (!section.is_table()) return fail(name, "must be a section ([" + name + "]), not " + TomlTypeName(section));
    for (const auto& [key, value] : *section.as_table()) {
      std::string where = name + "." + std::string(key.str());
      if (!known_.count(where)) return fail(where, "unknown key");
    }
  }
  return Status::Ok();
}

}  // namespace timd
