// Clock is the only source of time in the hub, so tests can drive deadlines and expiry with
// FakeClock instead of sleeping. Times are Unix epoch milliseconds (wall clock, for headers,
// deadlines and audit) and a monotonic reading (for timeouts that must not jump).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace hub {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, Unix epoch milliseconds. Thread-safe.
  virtual int64_t NowMs() const = 0;
  // Monotonic milliseconds since an arbitrary origin. Thread-safe.
  virtual int64_t MonotonicMs() const = 0;
};
using ClockPtr = std::unique_ptr<Clock>;

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
  int64_t MonotonicMs() const override;
};

// A clock that moves only when told to. Both readings advance together. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t NowMs() const override { return now_ms_.load(); }
  int64_t MonotonicMs() const override { return now_ms_.load(); }
  void AdvanceMs(int64_t delta_ms) { now_ms_.fetch_add(delta_ms); }
  void SetMs(int64_t now_ms) { now_ms_.store(now_ms); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace hub
