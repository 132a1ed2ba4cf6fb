#include "tests/bench/proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace hub::bench {
namespace {

int64_t StatusFieldKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream fields(line.substr(field.size() + 1));
      int64_t kb = 0;
      fields >> kb;
      return kb;
    }
  }
  return 0;
}

}  // namespace

int64_t CpuTimeUs(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces; fields after it start past the last ')'.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) {
    return 0;
  }
  std::istringstream fields(text.substr(close + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) {  // fields 3..13
    fields >> skip;
  }
  int64_t utime = 0;
  int64_t stime = 0;
  fields >> utime >> stime;
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? (utime + stime) * 1000000 / ticks : 0;
}

int64_t PeakRssKb(pid_t pid) { return StatusFieldKb(pid, "VmHWM"); }

int64_t RssKb(pid_t pid) { return StatusFieldKb(pid, "VmRSS"); }

int64_t SelfCpuTimeUs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL + usage.ru_utime.tv_usec +
         usage.ru_stime.tv_usec;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  }
  return "unknown";
}

}  // namespace hub::bench
