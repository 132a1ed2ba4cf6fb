#include "tests/bench/bench_figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace hub::bench {

double Quantile(std::vector<double> samples, double q) {
  if (samples.empty()) {
    return 0;
  }
  std::sort(samples.begin(), samples.end());
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  const double rank = std::ceil(q * static_cast<double>(samples.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return samples[std::min(index, samples.size() - 1)];
}

void BenchReport::AddRun(const Figures& run) {
  ++runs_;
  for (const auto& [name, value] : run) {
    values_[name].push_back(value);
  }
}

double BenchReport::Median(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? 0 : Quantile(it->second, 0.5);
}

std::string BenchReport::Table() const {
  std::string out;
  char line[256];
  for (const auto& [key, value] : info_) {
    std::snprintf(line, sizeof(line), "%-28s %s\n", key.c_str(), value.c_str());
    out += line;
  }
  std::snprintf(line, sizeof(line), "\n%-28s %14s %14s %14s %5s\n", "figure", "median", "min",
                "max", "runs");
  out += line;
  for (const auto& [name, v] : values_) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    std::snprintf(line, sizeof(line), "%-28s %14.1f %14.1f %14.1f %5zu\n", name.c_str(),
                  Quantile(v, 0.5), *lo, *hi, v.size());
    out += line;
  }
  return out;
}

std::string BenchReport::Json() const {
  nlohmann::json j;
  j["runs"] = runs_;
  for (const auto& [key, value] : info_) {
    j["info"][key] = value;
  }
  for (const auto& [name, v] : values_) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    j[name] = Quantile(v, 0.5);  // the median is the figure; its spread sits beside it
    j["spread"][name] = {{"min", *lo}, {"max", *hi}, {"values", v}};
  }
  return j.dump(2);
}

}  // namespace hub::bench
