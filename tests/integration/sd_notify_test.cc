// sghubd speaks systemd's notify protocol, as Type=notify and WatchdogSec= need: READY=1
// once it serves, WATCHDOG=1 from the event loop at half the watchdog interval, STOPPING=1
// on SIGTERM, then exit 0. The test plays systemd: it owns the datagram socket that
// NOTIFY_SOCKET names.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~NotifySocket() { ::close(fd_); }
  bool bound() const { return bound_; }

  // The next datagram, or nothing within timeout_ms.
  std::optional<std::string> Next(int timeout_ms) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) {
      return std::nullopt;
    }
    return std::string(buf, static_cast<size_t>(n));
  }

  // Reads datagrams until one has a line equal to `line`, for up to timeout_ms. Every
  // datagram read is appended to `seen`.
  bool WaitFor(const std::string& line, int timeout_ms, std::vector<std::string>& seen) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      auto message = Next(static_cast<int>(std::max<int64_t>(1, left)));
      if (!message) {
        return false;
      }
      seen.push_back(*message);
      if (("\n" + *message + "\n").find("\n" + line + "\n") != std::string::npos) {
        return true;
      }
    }
    return false;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool bound_ = false;
};

std::string Joined(const std::vector<std::string>& messages) {
  std::string out;
  for (const std::string& m : messages) {
    out += "[" + m + "] ";
  }
  return out;
}

class SdNotifyTest : public HubFixture {};

TEST_F(SdNotifyTest, SendsReadyThenWatchdogPingsThenStoppingOnSigterm) {
  NotifySocket notify(dir_ / "notify.sock");
  ASSERT_TRUE(notify.bound());
  auto hub = ChildProcess::StartHub(
      world_->config_path(), dir_ / "sghubd.log",
      {"NOTIFY_SOCKET=" + (dir_ / "notify.sock").string(), "WATCHDOG_USEC=200000"});
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  hub_ = std::move(*hub);

  std::vector<std::string> seen;
  ASSERT_TRUE(notify.WaitFor("READY=1", 20000, seen)) << Joined(seen) << "\n" << HubLog();
  // The status socket and the listener are up before READY=1 is sent.
  EXPECT_TRUE(std::filesystem::exists(dir_ / "status.sock"));

  // At half the 200 ms interval, two pings take about 200 ms; allow plenty for a busy box.
  const auto ping_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(notify.WaitFor("WATCHDOG=1", 3000, seen)) << Joined(seen);
  ASSERT_TRUE(notify.WaitFor("WATCHDOG=1", 3000, seen)) << Joined(seen);
  ASSERT_TRUE(notify.WaitFor("WATCHDOG=1", 3000, seen)) << Joined(seen);
  const auto ping_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - ping_start)
                           .count();
  // Three pings at a 100 ms pace cannot arrive in much less than 200 ms: the loop paces them
  // rather than sending one per turn.
  EXPECT_GE(ping_ms, 150);

  hub_->Signal(SIGTERM);
  ASSERT_TRUE(notify.WaitFor("STOPPING=1", 20000, seen)) << Joined(seen);
  EXPECT_EQ(hub_->Wait(20000), 0) << HubLog();
}

TEST_F(SdNotifyTest, SendsNoWatchdogPingsWhenTheWatchdogIsOff) {
  NotifySocket notify(dir_ / "notify.sock");
  ASSERT_TRUE(notify.bound());
  auto hub = ChildProcess::StartHub(world_->config_path(), dir_ / "sghubd.log",
                               {"NOTIFY_SOCKET=" + (dir_ / "notify.sock").string()});
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  hub_ = std::move(*hub);
  std::vector<std::string> seen;
  ASSERT_TRUE(notify.WaitFor("READY=1", 20000, seen)) << Joined(seen) << "\n" << HubLog();
  EXPECT_FALSE(notify.WaitFor("WATCHDOG=1", 500, seen)) << Joined(seen);
  hub_->Signal(SIGTERM);
  EXPECT_EQ(hub_->Wait(20000), 0) << HubLog();
}

}  // namespace
}  // namespace hub::testutil
