#include "tests/bench/bench_hub.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string_view>

namespace hub::bench {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

BenchHub::BenchHub(const testutil::TestWorld& world)
    : world_(world), notify_path_(world.dir() / "notify.sock") {}

BenchHub::~BenchHub() {
  process_.reset();  // SIGKILLs a hub still running
  if (notify_fd_ >= 0) {
    close(notify_fd_);
  }
  std::error_code ec;
  std::filesystem::remove(notify_path_, ec);
}

Result<double> BenchHub::Start(int timeout_ms) {
  if (notify_fd_ < 0) {
    notify_fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = notify_path_.string();
    if (notify_fd_ < 0 || path.size() >= sizeof(addr.sun_path)) {
      return Status::IOError("cannot make the notify socket " + path);
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    std::filesystem::remove(notify_path_);
    if (bind(notify_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      return Status::IOError("cannot bind the notify socket " + path + ": " + std::strerror(errno));
    }
  }
  char drain[512];
  while (recv(notify_fd_, drain, sizeof(drain), 0) > 0) {
  }
  const auto started = Clock::now();
  HUB_ASSIGN_OR_RETURN(process_,
                       testutil::ChildProcess::StartHub(world_.config_path(), world_.dir() / "sghubd.log",
                                                   {"NOTIFY_SOCKET=" + notify_path_.string()}));
  const auto deadline = started + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    pollfd p{notify_fd_, POLLIN, 0};
    if (poll(&p, 1, 20) > 0) {
      char buf[512];
      const ssize_t n = recv(notify_fd_, buf, sizeof(buf), 0);
      if (n > 0 && std::string_view(buf, static_cast<size_t>(n)).find("READY=1") !=
                       std::string_view::npos) {
        return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
      }
    }
    if (!process_->Running()) {
      return Status::Unavailable("sghubd exited during start:\n" + Log());
    }
  }
  return Status::Unavailable("sghubd sent no READY=1 within the timeout:\n" + Log());
}

int BenchHub::Stop() {
  if (!process_) {
    return -1;
  }
  process_->Signal(SIGTERM);
  return process_->Wait(120000);
}

void BenchHub::Kill() {
  if (process_) {
    process_->Signal(SIGKILL);
    process_->Wait(20000);
  }
}

void BenchHub::WipeStore() {
  std::error_code ec;
  std::filesystem::remove_all(world_.store_path().parent_path(), ec);
}

pid_t BenchHub::pid() const { return process_ ? process_->pid() : -1; }

bool BenchHub::Running() const { return process_ && process_->Running(); }

std::string BenchHub::Log() const {
  std::string log = testutil::ReadFile(world_.dir() / "sghubd.log");
  return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
}

}  // namespace hub::bench
