// Tests StatusServer on a real AF_UNIX socket in a temp dir. The test thread plays both the
// broker (polling the server's descriptors) and the clients; time is a FakeClock.
#include "hub/core/status_server.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/testutil/temp_dir.h"

namespace hub::core {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

int Connect(const fs::path& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

class StatusServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(StatusServer::Options options = {}) {
    server_.reset();
    auto server = StatusServer::Start(
        path_, clock_, [this] { return snapshot_; }, options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  // One turn of the broker loop: poll the server's descriptors briefly, serve what is ready.
  void Turn() {
    std::vector<int> fds = server_->WatchFds();
    std::vector<pollfd> items;
    for (int fd : fds) {
      items.push_back({fd, POLLIN, 0});
    }
    ::poll(items.data(), items.size(), 5);
    for (const pollfd& item : items) {
      if ((item.revents & (POLLIN | POLLHUP)) != 0) {
        server_->OnReadable(item.fd);
      }
    }
  }

  // Sends `request` on a new connection, runs turns until the server closes, returns what it
  // answered.
  std::string Exchange(const std::string& request, bool half_close = false) {
    int fd = Connect(path_);
    EXPECT_GE(fd, 0);
    if (fd < 0) {
      return "";
    }
    size_t sent = 0;
    std::string answer;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    bool closed = false;
    while (!closed && std::chrono::steady_clock::now() < deadline) {
      if (sent < request.size()) {
        ssize_t n =
            ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
          sent += static_cast<size_t>(n);
        } else if (n < 0 && errno != EAGAIN) {
          sent = request.size();  // the server closed on us; read its answer
        }
        if (sent == request.size() && half_close) {
          ::shutdown(fd, SHUT_WR);
        }
      }
      Turn();
      char buf[4096];
      while (true) {
        ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
          answer.append(buf, static_cast<size_t>(n));
          continue;
        }
        if (n == 0 || (n < 0 && errno != EAGAIN)) {
          closed = true;
        }
        break;
      }
    }
    ::close(fd);
    EXPECT_TRUE(closed) << "the server did not close the connection";
    return answer;
  }

  testutil::TempDir dir_;
  fs::path path_ = dir_.path() / "status.sock";
  FakeClock clock_{1'000'000};
  StatusSnapshot snapshot_ = [] {
    StatusSnapshot s;
    s.version = "1.2.3";
    s.hub_id = "hub";
    s.counters = {{"accepted", 7}};
    return s;
  }();
  StatusServerPtr server_;
};

TEST_F(StatusServerTest, SocketFileIsMode0660WhateverTheUmask) {
  server_.reset();
  const mode_t old = ::umask(0);
  Start();
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
}

TEST_F(StatusServerTest, AnswersStatusWithTheSnapshotAsJson) {
  const json doc = json::parse(Exchange("status\n"));
  EXPECT_EQ(doc["version"], "1.2.3");
  EXPECT_EQ(doc["counters"]["accepted"], 7);
  EXPECT_EQ(doc["status_socket"]["requests"], 1);
  EXPECT_EQ(server_->counters().requests, 1u);
  EXPECT_EQ(server_->client_count(), 0u);
}

TEST_F(StatusServerTest, AnswersMetricsWithPrometheusText) {
  const std::string text = Exchange("metrics\r\n");
  EXPECT_NE(text.find("# TYPE sghub_alerts_accepted_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("sghub_alerts_accepted_total 7\n"), std::string::npos);
}

TEST_F(StatusServerTest, AnswersARequestEndedByEofWithoutNewline) {
  const json doc = json::parse(Exchange("status", /*half_close=*/true));
  EXPECT_EQ(doc["hub_id"], "hub");
}

TEST_F(StatusServerTest, GarbageGetsBadRequestAndTheServerKeepsServing) {
  for (const std::string& garbage :
       {std::string("STATUS please\n"), std::string("\n"), std::string("\0\xff\x01\n", 4),
        std::string("status extra\n")}) {
    const json doc = json::parse(Exchange(garbage));
    EXPECT_EQ(doc["code"], "bad_request");
  }
  EXPECT_EQ(server_->counters().bad_requests, 4u);
  EXPECT_EQ(json::parse(Exchange("status\n"))["version"], "1.2.3");
}

TEST_F(StatusServerTest, OversizeRequestGetsAnErrorAndTheServerKeepsServing) {
  const json no_newline = json::parse(Exchange(std::string(5000, 's')));
  EXPECT_EQ(no_newline["code"], "request_too_large");
  const json long_line = json::parse(Exchange(std::string(1025, 's') + "\n"));
  EXPECT_EQ(long_line["code"], "request_too_large");
  // Exactly at the limit is still a request (a bad one).
  const json at_limit = json::parse(Exchange(std::string(1024, 's') + "\n"));
  EXPECT_EQ(at_limit["code"], "bad_request");
  EXPECT_EQ(json::parse(Exchange("status\n"))["version"], "1.2.3");
}

TEST_F(StatusServerTest, IdleClientIsDroppedAfterTheTimeout) {
  int fd = Connect(path_);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::send(fd, "sta", 3, MSG_NOSIGNAL), 3);
  for (int i = 0; i < 5; ++i) {
    Turn();
  }
  EXPECT_EQ(server_->client_count(), 1u);
  clock_.AdvanceMs(2001);
  Turn();
  EXPECT_EQ(server_->client_count(), 0u);
  EXPECT_EQ(server_->counters().dropped, 1u);
  char c = 0;
  EXPECT_EQ(::recv(fd, &c, 1, 0), 0);  // closed without an answer
  ::close(fd);
}

TEST_F(StatusServerTest, ClientsOverTheLimitAreToldBusy) {
  StatusServer::Options options;
  options.max_clients = 2;
  Start(options);
  std::vector<int> fds;
  for (int i = 0; i < 3; ++i) {
    fds.push_back(Connect(path_));
    ASSERT_GE(fds.back(), 0);
  }
  for (int i = 0; i < 5; ++i) {
    Turn();
  }
  EXPECT_EQ(server_->client_count(), 2u);
  char buf[256] = {};
  const ssize_t n = ::recv(fds[2], buf, sizeof buf - 1, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(json::parse(std::string(buf, static_cast<size_t>(n)))["code"], "busy");
  for (int fd : fds) {
    ::close(fd);
  }
}

TEST_F(StatusServerTest, ReplacesAStaleSocketFromAnEarlierRun) {
  server_.reset();
  // A socket file nobody listens on, as left by a crashed hub.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ::close(fd);
  ASSERT_TRUE(fs::is_socket(path_));
  Start();
  EXPECT_EQ(json::parse(Exchange("status\n"))["version"], "1.2.3");
}

TEST_F(StatusServerTest, RefusesToStartWhileAnotherServerListens) {
  auto second = StatusServer::Start(path_, clock_, [this] { return snapshot_; });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(json::parse(Exchange("status\n"))["version"], "1.2.3");  // the first is untouched
}

TEST_F(StatusServerTest, RefusesToReplaceAFileThatIsNotASocket) {
  server_.reset();
  std::ofstream(path_) << "precious";
  auto server = StatusServer::Start(path_, clock_, [this] { return snapshot_; });
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(fs::is_regular_file(path_));
}

TEST_F(StatusServerTest, RemovesItsSocketFileWhenDestroyed) {
  ASSERT_TRUE(fs::is_socket(path_));
  server_.reset();
  EXPECT_FALSE(fs::exists(path_));
}

// File permissions are the access control: a user outside the socket's owner and group
// cannot connect. Needs root to switch to another uid; skipped otherwise.
TEST_F(StatusServerTest, AUserOutsideTheGroupCannotConnect) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root to run a client as another user";
  }
  // The temp dir itself must be traversable by the other user for the test to be about the
  // socket's own mode.
  ::chmod(dir_.path().c_str(), 0711);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
        ::setresuid(65534, 65534, 65534) != 0) {
      _exit(3);
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof(address.sun_path) - 1);
    const int r = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    _exit(r == 0 ? 0 : (errno == EACCES ? 1 : 2));
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << "0: connected, 2: other error, 3: could not drop uid";
}

}  // namespace
}  // namespace hub::core
