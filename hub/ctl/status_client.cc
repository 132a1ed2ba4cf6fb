#include "hub/ctl/status_client.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace hub::ctl {
namespace {

// Answers are a few KiB per agency; anything near this is not a status answer.
constexpr size_t kMaxAnswerBytes = 64 << 20;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Hint(int error) {
  switch (error) {
    case ENOENT:
      return " (no such socket: is sghubd running, and is this its status_socket?)";
    case ECONNREFUSED:
      return " (nothing is listening: sghubd is not running)";
    case EACCES:
    case EPERM:
      return " (permission denied: run as the sghub user, or add yourself to group sghub)";
    default:
      return "";
  }
}

}  // namespace

Result<std::string> QueryStatusSocket(const std::filesystem::path& socket, std::string_view request,
                                      int timeout_ms) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket.native().empty() || socket.native().size() >= sizeof(address.sun_path)) {
    return Status::InvalidArgument("--socket: path is empty or too long: " + socket.string());
  }
  std::memcpy(address.sun_path, socket.c_str(), socket.native().size() + 1);
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    return Status::IOError(std::string("socket: ") + std::strerror(errno));
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const int error = errno;
    return Status::Unavailable("cannot connect to " + socket.string() + ": " +
                               std::strerror(error) + Hint(error));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto remaining_ms = [&deadline]() {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<int64_t>(0, left.count()));
  };

  const std::string line = std::string(request) + "\n";
  size_t sent = 0;
  while (sent < line.size()) {
    const ssize_t n = ::send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EPIPE || errno == ECONNRESET) {
        break;  // the server answered (e.g. "busy") and closed early: read what it said
      }
      return Status::IOError("sending the request to " + socket.string() + ": " +
                             std::strerror(errno));
    }
    sent += static_cast<size_t>(n);
  }

  std::string answer;
  char buf[8192];
  while (true) {
    pollfd item{fd.get(), POLLIN, 0};
    const int ready = ::poll(&item, 1, remaining_ms());
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return Status::IOError("no complete answer from " + socket.string() + " within " +
                             std::to_string(timeout_ms) + " ms");
    }
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n == 0) {
      break;
    }
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      // A reset after the server answered and closed still leaves a whole answer.
      if (errno == ECONNRESET && !answer.empty()) {
        break;
      }
      return Status::IOError("reading from " + socket.string() + ": " + std::strerror(errno));
    }
    answer.append(buf, static_cast<size_t>(n));
    if (answer.size() > kMaxAnswerBytes) {
      return Status::IOError("answer from " + socket.string() + " is implausibly large");
    }
  }
  if (answer.empty()) {
    return Status::IOError(socket.string() + " closed the connection without an answer");
  }
  return answer;
}

}  // namespace hub::ctl
