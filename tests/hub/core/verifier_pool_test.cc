#include "hub/core/verifier_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace hub::core {
namespace {

TEST(VerifierPoolTest, RunsEveryIndexExactlyOnce) {
  VerifierPool pool(3);
  std::vector<std::atomic<int>> runs(1000);
  pool.Start(runs.size(), [&](size_t i) { runs[i].fetch_add(1); });
  pool.Wait();
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].load(), 1) << "index " << i;
  }
}

TEST(VerifierPoolTest, SharesABatchBetweenTheCallerAndTheWorkers) {
  VerifierPool pool(1);
  std::mutex mu;
  std::set<std::thread::id> threads;
  pool.Start(64, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  pool.Wait();  // the caller works through what is left
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 1u);
}

TEST(VerifierPoolTest, BatchesInQuickSuccessionNeverRunAnotherBatchsTask) {
  // A worker that lags behind one batch must not run the next batch's indices with the
  // previous batch's task: each batch writes its own number into its own slots.
  VerifierPool pool(2);
  for (int batch = 1; batch <= 2000; ++batch) {
    const size_t n = static_cast<size_t>(batch % 7) + 1;
    std::vector<int> slots(n, 0);
    pool.Start(n, [&slots, batch](size_t i) { slots[i] = batch; });
    pool.Wait();
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(slots[i], batch) << "batch " << batch << " index " << i;
    }
  }
}

TEST(VerifierPoolTest, StartReturnsBeforeTheTasksRunAndWaitCollectsEveryIndex) {
  VerifierPool pool(2);
  std::atomic<bool> release{false};
  std::vector<std::atomic<int>> runs(16);
  pool.Start(runs.size(), [&](size_t i) {
    while (!release.load()) {
      std::this_thread::yield();
    }
    runs[i].fetch_add(1);
  });
  // Start did not wait for its tasks (they cannot finish before `release`).
  EXPECT_TRUE(pool.busy());
  for (const auto& r : runs) {
    EXPECT_EQ(r.load(), 0);
  }
  release.store(true);
  pool.Wait();
  EXPECT_FALSE(pool.busy());
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].load(), 1) << "index " << i;
  }
}

TEST(VerifierPoolTest, WithoutWorkersWaitRunsTheStartedBatchOnTheCaller) {
  VerifierPool pool(0);
  std::vector<std::thread::id> ran_on(5);
  pool.Start(ran_on.size(), [&](size_t i) { ran_on[i] = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on[0], std::thread::id{});
  pool.Wait();
  for (const std::thread::id& id : ran_on) {
    EXPECT_EQ(id, std::this_thread::get_id());
  }
  pool.Wait();  // nothing started: returns at once
  pool.Start(0, [](size_t) {});
  EXPECT_FALSE(pool.busy());
}

}  // namespace
}  // namespace hub::core
