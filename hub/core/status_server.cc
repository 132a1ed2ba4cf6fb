#include "hub/core/status_server.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <exception>

#include "hub/base/logging.h"
#include "hub/core/status_render.h"

namespace hub::core {
namespace {

std::string Errno(const char* call) { return std::string(call) + ": " + std::strerror(errno); }

Result<sockaddr_un> AddressOf(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string& text = path.native();
  if (text.empty() || text.size() >= sizeof(address.sun_path)) {
    return Status::InvalidArgument("status socket path " + text + " is empty or longer than " +
                                   std::to_string(sizeof(address.sun_path) - 1) + " bytes");
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  return address;
}

// True when something accepts connections on the socket file at `address`.
bool SomeoneListens(const sockaddr_un& address) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  const bool live =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return live;
}

// Removes a socket file left behind by a previous run; refuses anything else.
Status ClearStaleSocket(const std::filesystem::path& path, const sockaddr_un& address) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? Status::Ok() : Status::IOError(path.string() + ": " + Errno("lstat"));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return Status::InvalidArgument(path.string() +
                                   " exists and is not a socket; refusing to remove it");
  }
  if (SomeoneListens(address)) {
    return Status::AlreadyExists("another process is serving status on " + path.string() +
                                 " (is another sghubd running?)");
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::IOError("cannot remove stale socket " + path.string() + ": " + Errno("unlink"));
  }
  return Status::Ok();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  return s;
}

}  // namespace

Result<std::unique_ptr<StatusServer>> StatusServer::Start(const std::filesystem::path& path,
                                                          const Clock& clock,
                                                          SnapshotProvider provider,
                                                          Options options) {
  HUB_ASSIGN_OR_RETURN(sockaddr_un address, AddressOf(path));
  HUB_RETURN_IF_ERROR(ClearStaleSocket(path, address));
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Status::IOError("status socket: " + Errno("socket"));
  }
  // Nobody but the owner may connect until the chmod below sets the intended mode, whatever
  // umask the daemon was started with.
  const mode_t old_umask = ::umask(0177);
  const int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  const int bind_errno = errno;
  ::umask(old_umask);
  if (bound != 0) {
    ::close(fd);
    errno = bind_errno;
    return Status::IOError("cannot bind status socket " + path.string() + ": " + Errno("bind"));
  }
  struct stat st {};
  if (::chmod(path.c_str(), options.mode) != 0 || ::stat(path.c_str(), &st) != 0 ||
      ::listen(fd, 16) != 0) {
    Status failed = Status::IOError("status socket " + path.string() + ": " + Errno("setup"));
    ::close(fd);
    ::unlink(path.c_str());
    return failed;
  }
  return std::unique_ptr<StatusServer>(
      new StatusServer(path, fd, st.st_ino, clock, std::move(provider), options));
}

StatusServer::StatusServer(std::filesystem::path path, int listen_fd, ino_t inode,
                           const Clock& clock, SnapshotProvider provider, Options options)
    : path_(std::move(path)),
      listen_fd_(listen_fd),
      inode_(inode),
      clock_(clock),
      provider_(std::move(provider)),
      options_(options) {}

StatusServer::~StatusServer() {
  for (const auto& [fd, client] : clients_) {
    ::close(fd);
  }
  ::close(listen_fd_);
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == inode_) {
    ::unlink(path_.c_str());
  }
}

std::vector<int> StatusServer::WatchFds() {
  const int64_t now = clock_.MonotonicMs();
  std::vector<int> fds{listen_fd_};
  for (auto it = clients_.begin(); it != clients_.end();) {
    const int fd = it->first;
    Client& client = it->second;
    ++it;  // Flush and Close may erase the client
    if (now >= client.deadline_mono_ms) {
      ++counters_.dropped;
      Close(fd);
    } else if (!client.answer.empty()) {
      Flush(fd, client);
    } else {
      fds.push_back(fd);
    }
  }
  return fds;
}

void StatusServer::OnReadable(int fd) {
  if (fd == listen_fd_) {
    Accept();
    return;
  }
  auto it = clients_.find(fd);
  if (it != clients_.end() && it->second.answer.empty()) {
    Read(fd, it->second);
  }
}

void StatusServer::Accept() {
  // Bounded so that a flood of connections cannot hold the broker thread here.
  for (size_t n = 0; n < 2 * options_.max_clients; ++n) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
        Logger(Component::kStatus).warn("status socket accept failed: {}", std::strerror(errno));
      }
      return;
    }
    if (clients_.size() >= options_.max_clients) {
      ++counters_.dropped;
      const std::string busy = RenderStatusError("busy", "too many status clients; retry");
      [[maybe_unused]] ssize_t ignored = ::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    Client& client = clients_[fd];
    client.deadline_mono_ms = clock_.MonotonicMs() + options_.idle_timeout_ms;
  }
}

void StatusServer::Read(int fd, Client& client) {
  char buf[512];
  // Read at most one byte past the limit: enough to know the request is too long.
  while (client.request.size() <= options_.max_request_bytes) {
    const size_t room = options_.max_request_bytes + 1 - client.request.size();
    const ssize_t n = ::recv(fd, buf, std::min(room, sizeof buf), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return;  // wait for the rest of the line
      }
      Close(fd);
      return;
    }
    if (n == 0) {
      // End of input without a newline: the bytes so far are the request (printf | nc -U).
      if (client.request.empty()) {
        Close(fd);
      } else {
        std::string line = std::move(client.request);
        Answer(fd, client, line);
      }
      return;
    }
    client.request.append(buf, static_cast<size_t>(n));
    const size_t newline = client.request.find('\n');
    if (newline != std::string::npos) {
      if (newline > options_.max_request_bytes) {
        break;
      }
      std::string line = client.request.substr(0, newline);
      Answer(fd, client, line);
      return;
    }
  }
  Refuse(fd, client, "request_too_large",
         "request longer than " + std::to_string(options_.max_request_bytes) + " bytes");
}

void StatusServer::Answer(int fd, Client& client, std::string_view line) {
  const std::string_view request = Trim(line);
  if (request != "status" && request != "metrics") {
    Refuse(fd, client, "bad_request", "unknown request; send \"status\" or \"metrics\"");
    return;
  }
  StatusSnapshot snapshot;
  try {
    snapshot = provider_();
  } catch (const std::exception& e) {
    // The provider only copies state; a throw here is a bug, but never a reason to crash
    // the broker that serves alerts.
    Logger(Component::kStatus).error("status snapshot failed: {}", e.what());
    Refuse(fd, client, "internal", "status snapshot failed");
    return;
  }
  ++counters_.requests;
  snapshot.status_socket = counters_;
  client.answer = request == "status" ? RenderStatusJson(snapshot) : RenderStatusMetrics(snapshot);
  Flush(fd, client);
}

void StatusServer::Refuse(int fd, Client& client, std::string_view code, std::string_view message) {
  ++counters_.bad_requests;
  Logger(Component::kStatus).warn("[status fd={}] request refused: {}", fd, code);
  client.answer = RenderStatusError(code, message);
  Flush(fd, client);
}

void StatusServer::Flush(int fd, Client& client) {
  while (client.written < client.answer.size()) {
    const ssize_t n = ::send(fd, client.answer.data() + client.written,
                             client.answer.size() - client.written, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        return;  // WatchFds() retries on the next turn, until the deadline
      }
      Close(fd);
      return;
    }
    client.written += static_cast<size_t>(n);
  }
  Close(fd);
}

void StatusServer::Close(int fd) {
  // Drain what the client sent beyond its request, so that closing does not reset the
  // connection before it has read our answer. Bounded: the socket is non-blocking.
  char buf[512];
  for (int i = 0; i < 64 && ::recv(fd, buf, sizeof buf, 0) > 0; ++i) {
  }
  ::close(fd);
  clients_.erase(fd);
}

}  // namespace hub::core
