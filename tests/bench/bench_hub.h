// BenchHub runs the real sghubd for sghub-bench on a TestWorld: it starts the daemon with a
// NOTIFY_SOCKET of its own and times start to READY=1 (as systemd would see it), stops it
// with SIGTERM or SIGKILL, wipes its store between runs, and reads its CPU time and memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "hub/base/result.h"
#include "tests/testutil/test_world.h"

namespace hub::bench {

class BenchHub {
 public:
  explicit BenchHub(const testutil::TestWorld& world);
  ~BenchHub();
  BenchHub(const BenchHub&) = delete;
  BenchHub& operator=(const BenchHub&) = delete;

  // Starts sghubd and waits (up to timeout_ms) for READY=1 on the notify socket. Returns
  // the milliseconds from fork to READY. Unavailable when it exits or times out.
  Result<double> Start(int timeout_ms = 120000);
  // SIGTERM and wait (a clean shutdown). Returns the exit code.
  int Stop();
  // SIGKILL and wait (a crash).
  void Kill();
  // Deletes the store (the hub must be stopped).
  void WipeStore();

  pid_t pid() const;
  bool Running() const;
  std::string Log() const;

 private:
  const testutil::TestWorld& world_;
  std::unique_ptr<testutil::ChildProcess> process_;
  int notify_fd_ = -1;
  std::filesystem::path notify_path_;
};

}  // namespace hub::bench
