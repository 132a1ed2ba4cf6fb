// What /proc says about a process: CPU time used (user + system) and resident memory.
// Linux only; each function returns 0 when the process or the field cannot be read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace hub::bench {

// utime + stime of `pid` in microseconds (resolution: one clock tick, usually 10 ms).
int64_t CpuTimeUs(pid_t pid);
// Peak resident set (VmHWM) of `pid` in KiB.
int64_t PeakRssKb(pid_t pid);
// Current resident set (VmRSS) of `pid` in KiB.
int64_t RssKb(pid_t pid);
// CPU time of this process (all threads), microseconds.
int64_t SelfCpuTimeUs();
// The first "model name" in /proc/cpuinfo.
std::string CpuModel();

}  // namespace hub::bench
