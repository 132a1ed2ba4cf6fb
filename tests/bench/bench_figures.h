// Figures is what one run of sghub-bench measured: plain names (accepted_alerts_per_s,
// p99_accept_us, ...) to numbers. BenchReport collects the figures of several runs and
// reports, per name, the median with the min and max, as a table for people and as JSON
// for scripts.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hub::bench {

using Figures = std::map<std::string, double>;

// The value at quantile q (0..1) of `samples` (nearest rank; sorts a copy). 0 when empty.
double Quantile(std::vector<double> samples, double q);

class BenchReport {
 public:
  void AddRun(const Figures& run);
  // Facts about the machine and the build, printed as they are (e.g. "cpu_model").
  void SetInfo(const std::string& key, const std::string& value) { info_[key] = value; }

  // Median over the runs that measured `name`; 0 when none did.
  double Median(const std::string& name) const;
  std::string Table() const;
  std::string Json() const;

 private:
  std::map<std::string, std::vector<double>> values_;  // name -> one value per run
  std::map<std::string, std::string> info_;
  int runs_ = 0;
};

}  // namespace hub::bench
