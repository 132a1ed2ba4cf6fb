// TextTable lays out rows of text in left-aligned columns separated by two spaces, for
// sghubctl's human-readable views. Cells are printed as given (the status socket carries
// ids, names and numbers only).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hub::ctl {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}

  // Adds a row; missing cells are blank, extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  // Writes the header and every row, each line ending in '\n', trailing spaces trimmed.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace hub::ctl
