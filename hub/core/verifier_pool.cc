#include "hub/core/verifier_pool.h"

#include <unistd.h>

#include "hub/base/check.h"

namespace hub::core {

VerifierPool::VerifierPool(unsigned workers) {
  for (unsigned i = 0; i < workers; ++i) {
    threads_.emplace_back([this]() { WorkerLoop(); });
  }
}

VerifierPool::~VerifierPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : threads_) {
    t.join();
  }
}

unsigned VerifierPool::DefaultWorkers() {
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return cpus > 1 ? static_cast<unsigned>(cpus - 1) : 0u;
}

void VerifierPool::Drain(uint64_t generation) {
  while (true) {
    const std::function<void(size_t)>* task;
    size_t index;
    {
      // Claims an index of this batch only: a worker that lags behind must never run a
      // later batch's index with an earlier batch's task.
      std::lock_guard<std::mutex> lock(mu_);
      if (generation_ != generation || !task_ || next_ >= n_) {
        return;
      }
      task = &task_;  // stays put until every claimed index has finished (see Wait)
      index = next_++;
    }
    (*task)(index);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (++finished_ == n_) {
        work_done_.notify_all();
      }
    }
  }
}

void VerifierPool::WorkerLoop() {
  uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_ready_.wait(lock, [&]() { return stopping_ || generation_ != seen; });
      if (stopping_) {
        return;
      }
      seen = generation_;
    }
    Drain(seen);
  }
}

void VerifierPool::Start(size_t n, std::function<void(size_t)> task) {
  HUB_CHECK(!busy_, "a batch was started while another was running");
  if (n == 0) {
    return;  // nothing to run, nothing to wait for
  }
  busy_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    task_ = std::move(task);
    n_ = n;
    next_ = 0;
    finished_ = 0;
    ++generation_;
  }
  work_ready_.notify_all();
}

void VerifierPool::Wait() {
  if (!busy_) {
    return;
  }
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    generation = generation_;
  }
  Drain(generation);
  std::unique_lock<std::mutex> lock(mu_);
  work_done_.wait(lock, [&]() { return finished_ == n_; });
  // A worker that wakes late finds no task and goes back to sleep.
  task_ = nullptr;
  busy_ = false;
}

}  // namespace hub::core
