// VerifierPool spreads the hub's CPU-bound, stateless work -- the parse and Ed25519 check of
// submitted envelopes (AuthenticateSubmission) and the signing of hub notices -- over the
// machine's cores. Ed25519 verification (~13-17k/s per core) is the largest single cost of
// an accepted alert, so a broker that verified on its own thread alone could never use a
// second core.
//
// The broker thread stays the only thread that touches sockets, the store and broker state.
// It hands the pool a batch with Start(), which returns at once so the broker can handle the
// previous batch meanwhile, and collects it with Wait(), which works through what is left
// on the calling thread and returns once task(i) has returned for every index. Results go
// into per-index slots the caller owns, so the broker then handles the frames in their
// arrival order and each connection's answers keep the order of its submissions.
//
// Thread-safety: Start/Wait are called by one thread at a time (the broker's),
// one batch at a time. Tasks must touch only their own slot and immutable shared data.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hub::core {

class VerifierPool {
 public:
  // Starts `workers` threads besides the caller's; 0 runs everything on the caller.
  explicit VerifierPool(unsigned workers);
  // Stops and joins the workers.
  ~VerifierPool();
  VerifierPool(const VerifierPool&) = delete;
  VerifierPool& operator=(const VerifierPool&) = delete;

  // Workers for this machine: one per online CPU beyond the broker's own.
  static unsigned DefaultWorkers();

  // Starts task(0) ... task(n - 1) on the workers and returns at once. A batch must not be
  // started while another is running (Wait() first). With no workers, nothing runs until
  // Wait().
  void Start(size_t n, std::function<void(size_t)> task);
  // Runs the started batch's unclaimed indices on the calling thread, then waits until
  // every index has returned. Returns at once when no batch was started.
  void Wait();
  // Whether a started batch has not been waited for.
  bool busy() const { return busy_; }

  unsigned workers() const { return static_cast<unsigned>(threads_.size()); }

 private:
  void WorkerLoop();
  // Claims and runs indices of batch `generation` until none are left or it has ended.
  void Drain(uint64_t generation);

  std::vector<std::thread> threads_;

  bool busy_ = false;  // the caller's view: Start() without Wait() yet

  // State below is protected by mu_.
  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::function<void(size_t)> task_;  // the batch in progress; empty when none
  size_t n_ = 0;
  size_t next_ = 0;          // next index to claim
  size_t finished_ = 0;      // indices whose task has returned
  uint64_t generation_ = 0;  // bumped for every batch, so workers see each one once
  bool stopping_ = false;
};

}  // namespace hub::core
