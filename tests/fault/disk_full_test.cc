// Disk full: the store lives on a small tmpfs that a filler file then fills. The hub must stay
// up, refuse new work with REASON_CODE_HUB_UNAVAILABLE (a clear status, nothing half-done:
// the batch rolled back and nothing was acknowledged), and accept again once the filler is
// removed, losing nothing it had accepted. Needs root (mount); skipped, saying so, otherwise.
#include <sys/mount.h>

#include <gtest/gtest.h>

#include <fstream>

#include "tests/fault/fault_fixture.h"

namespace hub::testutil {
namespace {

// Mounts a tmpfs of `size` at `dir` for the life of the object.
class ScopedTmpfs {
 public:
  ScopedTmpfs(const std::filesystem::path& dir, const std::string& size) : dir_(dir) {
    std::filesystem::create_directories(dir);
    const std::string options = "size=" + size + ",mode=0700";
    mounted_ = mount("sghub-fault", dir.c_str(), "tmpfs", 0, options.c_str()) == 0;
    error_ = mounted_ ? "" : std::strerror(errno);
  }
  ~ScopedTmpfs() {
    if (mounted_) {
      umount2(dir_.c_str(), MNT_DETACH);
    }
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

// Writes zeros to `path` until the file system refuses; returns the bytes written.
int64_t FillUp(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return -1;
  }
  std::setvbuf(f, nullptr, _IONBF, 0);
  static const std::string chunk(4096, '\0');
  int64_t written = 0;
  while (std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size()) {
    written += static_cast<int64_t>(chunk.size());
  }
  std::fclose(f);
  return written;
}

class DiskFullTest : public FaultFixture {};

TEST_F(DiskFullTest, RefusesWithHubUnavailableWhileFullAndResumesLosingNothing) {
  ScopedTmpfs tmpfs(world_->dir() / "data", "16m");  // above the 4 MB WAL at which checkpoints start
  if (!tmpfs.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs for the store (" << tmpfs.error()
                 << "); this case needs root";
  }
  ASSERT_GE(StartHubTimed(), 0) << HubLog();
  FaultLedger ledger;
  ledger.name = "disk_full";
  auto nhs = TryConnect("nhs-north", 5000);
  ASSERT_NE(nhs, nullptr);
  std::set<std::string> accepted;
  for (int i = 0; i < 50; ++i) {
    std::string id;
    auto answer = nhs->Submit(Alert({"council-west"}, &id), 5000);
    ASSERT_TRUE(answer.ok() && answer->accepted);
    accepted.insert(id);
  }
  // The receiver is online throughout: its acks while the disk is full cannot commit, so
  // those alerts must come again later (raw duplicates), never vanish.
  auto council = TryConnect("council-west", 5000);
  ASSERT_NE(council, nullptr);
  DedupReceiver receiver;
  const std::filesystem::path filler = world_->dir() / "data" / "filler";
  const int64_t filled = FillUp(filler);
  ASSERT_GT(filled, 0);

  // Submit until the store cannot take more; every answer is ACCEPTED or HUB_UNAVAILABLE.
  std::map<std::string, std::string> refused;  // id -> envelope
  std::string reason;
  int64_t accepted_while_filling = 0;
  for (int i = 0; i < 4000 && refused.size() < 20; ++i) {
    std::string id;
    std::string envelope = Alert({"council-west"}, &id, 3600000);
    auto answer = nhs->Submit(envelope, 10000);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString() << "\n" << HubLog();
    if (answer->accepted) {
      accepted.insert(id);
      ++accepted_while_filling;
      continue;
    }
    ASSERT_EQ(answer->reason(), sghub::v1::REASON_CODE_HUB_UNAVAILABLE)
        << answer->refused_msg.reason();
    EXPECT_EQ(answer->refused_msg.message_id(), id);
    reason = answer->refused_msg.reason();
    refused[id] = envelope;
  }
  ASSERT_FALSE(refused.empty()) << "the store never filled up";
  EXPECT_NE(reason.find("full"), std::string::npos) << reason;
  receiver.Drain(*council, 300, 2000);
  ASSERT_TRUE(proc_->Running()) << "the hub exited on a full disk:\n" << HubLog();

  // Space returns: the same envelopes are accepted, and no replay answer stands in their way.
  std::filesystem::remove(filler);
  const int64_t freed_at = MonoMs();
  int64_t first_accept_at = -1;
  for (int round = 0; round < 20 && !refused.empty(); ++round) {
    for (auto it = refused.begin(); it != refused.end();) {
      auto answer = nhs->Submit(it->second, 10000);
      ASSERT_TRUE(answer.ok()) << answer.status().ToString();
      if (!answer->accepted) {
        ASSERT_EQ(answer->reason(), sghub::v1::REASON_CODE_HUB_UNAVAILABLE);
        ++it;
        continue;
      }
      if (first_accept_at < 0) {
        first_accept_at = MonoMs();
      }
      accepted.insert(it->first);
      it = refused.erase(it);
    }
  }
  EXPECT_TRUE(refused.empty()) << refused.size() << " still refused after space returned";
  ledger.recovery_ms.push_back(first_accept_at >= 0 ? first_accept_at - freed_at : -1);

  receiver.Drain(*council, 1500, 30000);
  ledger.accepted = static_cast<int64_t>(accepted.size());
  ledger.submitted = ledger.accepted;
  for (const std::string& id : accepted) {
    ledger.lost += receiver.seen.count(id) == 0 ? 1 : 0;
  }
  ledger.delivered_unique = static_cast<int64_t>(receiver.seen.size());
  ledger.raw_duplicates = receiver.raw_duplicates;
  ledger.refused = 20;
  ledger.extra["accepted_while_filling"] = std::to_string(accepted_while_filling);
  ledger.extra["filler_bytes"] = std::to_string(filled);
  ledger.Print();
  const std::string log = HubLog();
  EXPECT_EQ(ledger.lost, 0) << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  EXPECT_EQ(ledger.delivered_unique, ledger.accepted);
  EXPECT_EQ(StopFaultHub(), 0) << HubLog();
  EXPECT_NE(HubLog().find("the store is full"), std::string::npos);
  // The hub's own count leaves out what a rolled-back batch had counted as accepted.
  EXPECT_NE(HubLog().find("stopped: " + std::to_string(accepted.size()) + " accepted"),
            std::string::npos)
      << "expected " << accepted.size() << " accepted in the hub's final log line";
}

}  // namespace
}  // namespace hub::testutil
