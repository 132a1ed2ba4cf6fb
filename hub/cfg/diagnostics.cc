#include "hub/cfg/diagnostics.h"

#include <algorithm>

namespace hub::cfg {

void Diagnostics::Add(uint32_t line, std::string_view key, std::string_view reason) {
  if (line == 0) {
    line = 1;
  }
  std::string text = file_;
  text += ':';
  text += std::to_string(line);
  text += ": ";
  text += key;
  text += ": ";
  text += reason;
  entries_.push_back({line, std::move(text)});
}

Status Diagnostics::ToStatus() const {
  if (entries_.empty()) {
    return Status::Ok();
  }
  // toml++ walks tables in key order, not file order; errors read best top to bottom.
  std::vector<const Entry*> sorted;
  sorted.reserve(entries_.size());
  for (const Entry& e : entries_) {
    sorted.push_back(&e);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Entry* a, const Entry* b) { return a->line < b->line; });
  std::string joined;
  for (const Entry* e : sorted) {
    if (!joined.empty()) {
      joined += '\n';
    }
    joined += e->text;
  }
  return Status::InvalidArgument(std::move(joined));
}

}  // namespace hub::cfg
