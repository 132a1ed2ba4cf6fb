// Diagnostics collects configuration errors as "FILE:LINE: KEY: reason" so that one run of
// `sghubd --check-config` shows the operator every mistake in the file, not only the first.
// Not thread-safe; one instance per parse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/status.h"

namespace hub::cfg {

class Diagnostics {
 public:
  // `file` is printed as given at the start of every message.
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  // Records one error. `line` is 1-based; 0 is printed as 1 (the start of the file).
  // `key` is the dotted TOML path, e.g. "limits.max_frame_bytes" or "agency[2].card".
  void Add(uint32_t line, std::string_view key, std::string_view reason);

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

  // OK when nothing was recorded; otherwise one InvalidArgument whose message is every error
  // in line order (stable for errors on the same line), joined with newlines.
  Status ToStatus() const;

 private:
  struct Entry {
    uint32_t line;
    std::string text;
  };

  std::string file_;
  std::vector<Entry> entries_;
};

}  // namespace hub::cfg
