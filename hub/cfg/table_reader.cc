#include "hub/cfg/table_reader.h"

#include <algorithm>
#include <vector>

#include "hub/cfg/duration.h"

namespace hub::cfg {
namespace {

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Edit distance, enough to tell "listne" from "listen"; keys are short.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1);
  std::vector<size_t> cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

TableReader::TableReader(const toml::table& table, std::string path, Diagnostics& diag)
    : table_(table), path_(std::move(path)), diag_(diag) {}

void TableReader::RejectUnknownKeys(std::initializer_list<std::string_view> known) {
  for (auto&& [key, node] : table_) {
    std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      continue;
    }
    std::string reason = "unknown key";
    std::string_view best;
    size_t best_distance = 3;  // suggest only near misses
    for (std::string_view candidate : known) {
      size_t d = Distance(name, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    }
    if (!best.empty()) {
      reason += " (did you mean \"" + std::string(best) + "\"?)";
    }
    diag_.Add(key.source().begin.line, KeyPath(name), reason);
  }
}

bool TableReader::Has(std::string_view key) const { return table_.contains(key); }

uint32_t TableReader::Line() const {
  uint32_t line = table_.source().begin.line;
  return line == 0 ? 1 : line;
}

uint32_t TableReader::LineOf(std::string_view key) const {
  auto it = table_.find(key);
  if (it == table_.end() || it->first.source().begin.line == 0) {
    return Line();
  }
  return it->first.source().begin.line;
}

std::string TableReader::KeyPath(std::string_view key) const {
  if (path_.empty()) {
    return std::string(key);
  }
  return path_ + "." + std::string(key);
}

void TableReader::Error(std::string_view key, std::string_view reason) {
  diag_.Add(LineOf(key), KeyPath(key), reason);
}

const toml::node* TableReader::Typed(std::string_view key, toml::node_type type, Need need) {
  const toml::node* node = table_.get(key);
  if (node == nullptr) {
    if (need == Need::kRequired) {
      Error(key, "missing (required)");
    }
    return nullptr;
  }
  if (node->type() != type) {
    Error(key, "expected " + std::string(TypeName(type)) + ", got " +
                   std::string(TypeName(node->type())));
    return nullptr;
  }
  return node;
}

std::optional<std::string> TableReader::GetString(std::string_view key, Need need) {
  const toml::node* node = Typed(key, toml::node_type::string, need);
  if (node == nullptr) {
    return std::nullopt;
  }
  const std::string& value = node->as_string()->get();
  if (value.empty()) {
    Error(key, "must not be empty (leave the key out instead)");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> TableReader::GetBool(std::string_view key) {
  const toml::node* node = Typed(key, toml::node_type::boolean, Need::kOptional);
  if (node == nullptr) {
    return std::nullopt;
  }
  return node->as_boolean()->get();
}

std::optional<int64_t> TableReader::GetInt(std::string_view key, int64_t min, int64_t max) {
  const toml::node* node = Typed(key, toml::node_type::integer, Need::kOptional);
  if (node == nullptr) {
    return std::nullopt;
  }
  int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    Error(key, "must be from " + std::to_string(min) + " to " + std::to_string(max) + ", got " +
                   std::to_string(value));
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> TableReader::GetDurationMs(std::string_view key, int64_t min_ms,
                                                  int64_t max_ms) {
  std::optional<std::string> text = GetString(key, Need::kOptional);
  if (!text) {
    return std::nullopt;
  }
  Result<int64_t> ms = ParseDurationMs(*text);
  if (!ms.ok()) {
    Error(key, ms.status().message());
    return std::nullopt;
  }
  if (*ms < min_ms || *ms > max_ms) {
    Error(key, "must be from " + FormatDurationMs(min_ms) + " to " + FormatDurationMs(max_ms) +
                   ", got \"" + *text + "\"");
    return std::nullopt;
  }
  return *ms;
}

std::optional<std::filesystem::path> TableReader::GetPath(std::string_view key,
                                                          const std::filesystem::path& base_dir,
                                                          Need need) {
  std::optional<std::string> text = GetString(key, need);
  if (!text) {
    return std::nullopt;
  }
  std::filesystem::path path(*text);
  if (path.is_relative()) {
    path = base_dir / path;
  }
  return path.lexically_normal();
}

const toml::table* TableReader::GetTable(std::string_view key, Need need) {
  const toml::node* node = Typed(key, toml::node_type::table, need);
  return node == nullptr ? nullptr : node->as_table();
}

}  // namespace hub::cfg
