// TableReader reads typed, range-checked values out of one TOML table and records every
// problem in a Diagnostics as "FILE:LINE: KEY: reason", where LINE is the key's own line or,
// for a missing key, the line of the table. Getters never throw and never stop at the first
// error: a bad value yields std::nullopt plus one recorded error, so the caller keeps its
// default and carries on checking the rest of the file.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "hub/cfg/diagnostics.h"

namespace hub::cfg {

class TableReader {
 public:
  enum class Need { kOptional, kRequired };

  // `path` is the table's dotted key ("hub", "agency[0]"), empty for the document root.
  // `table` and `diag` are borrowed and must outlive the reader.
  TableReader(const toml::table& table, std::string path, Diagnostics& diag);

  // Records "unknown key" for every key not in `known`, suggesting a close known key when
  // there is one, so that typos are caught instead of silently leaving a default in place.
  void RejectUnknownKeys(std::initializer_list<std::string_view> known);

  bool Has(std::string_view key) const;
  uint32_t Line() const;                            // the table's line (1 for the root)
  uint32_t LineOf(std::string_view key) const;      // the key's line, or Line() when absent
  std::string KeyPath(std::string_view key) const;  // e.g. "limits.batch_max"
  const std::string& path() const { return path_; }

  // Records an error about `key` at LineOf(key).
  void Error(std::string_view key, std::string_view reason);

  // A non-empty string. Records "missing" for an absent kRequired key.
  std::optional<std::string> GetString(std::string_view key, Need need);
  std::optional<bool> GetBool(std::string_view key);
  // An integer in [min, max].
  std::optional<int64_t> GetInt(std::string_view key, int64_t min, int64_t max);
  // A duration string (see duration.h) in [min_ms, max_ms], returned in milliseconds.
  std::optional<int64_t> GetDurationMs(std::string_view key, int64_t min_ms, int64_t max_ms);
  // A non-empty path; a relative one is resolved against `base_dir`. Lexically normalised.
  std::optional<std::filesystem::path> GetPath(std::string_view key,
                                               const std::filesystem::path& base_dir, Need need);
  // A sub-table. Records an error when the key holds something else; nullptr when absent.
  const toml::table* GetTable(std::string_view key, Need need);

 private:
  // The node under `key` if it has type `type`; records "expected X, got Y" otherwise.
  const toml::node* Typed(std::string_view key, toml::node_type type, Need need);

  const toml::table& table_;
  std::string path_;
  Diagnostics& diag_;
};

}  // namespace hub::cfg
