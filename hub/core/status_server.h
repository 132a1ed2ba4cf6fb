// StatusServer answers operators on a local AF_UNIX stream socket (not ZeroMQ, so socat and
// nc -U work too). Whoever may open the socket file may read the hub's status, so the file
// is created mode 0660: the service's user and group. The protocol is one request line and
// one answer:
//
//   client: "status\n"  -> server: the JSON document of status_render.h, then close
//   client: "metrics\n" -> server: Prometheus text, then close
//   anything else       -> server: {"error": "...", "code": "bad_request"}, then close
//
// A request longer than max_request_bytes gets code "request_too_large"; a connection over
// max_clients gets "busy"; one that sends nothing for idle_timeout_ms is closed. The server
// never blocks and never throws: the broker thread drives it through Broker::Hooks --
// WatchFds() before every poll (it also expires idle clients and flushes pending answers)
// and OnReadable() for each descriptor that poll found readable. So the snapshot provider
// runs on the broker thread and may read broker state without locks.
//
// Not thread-safe: one thread (the broker's) uses a server.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hub/base/clock.h"
#include "hub/base/result.h"
#include "hub/core/status_snapshot.h"

namespace hub::core {

class StatusServer {
 public:
  using SnapshotProvider = std::function<StatusSnapshot()>;

  struct Options {
    size_t max_clients = 16;          // concurrent connections; more get "busy"
    int64_t idle_timeout_ms = 2000;   // a client must finish within this
    size_t max_request_bytes = 1024;  // longest request line, without its newline
    mode_t mode = 0660;               // of the socket file
  };

  // Binds `path` and listens. A socket file left by an earlier run is removed first, but only
  // if it is a socket nobody answers on: AlreadyExists if another process serves it,
  // InvalidArgument if the path is some other kind of file, IOError if the bind or chmod
  // fails. Call before other threads create files: the umask is narrowed around bind().
  static Result<std::unique_ptr<StatusServer>> Start(const std::filesystem::path& path,
                                                     const Clock& clock, SnapshotProvider provider,
                                                     Options options);
  static Result<std::unique_ptr<StatusServer>> Start(const std::filesystem::path& path,
                                                     const Clock& clock,
                                                     SnapshotProvider provider) {
    return Start(path, clock, std::move(provider), Options{});
  }

  // Closes every connection and removes the socket file if it is still the one we bound.
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  // Closes clients past their deadline, retries unfinished answers, and returns the
  // descriptors to poll for reading: the listening socket and clients still sending.
  std::vector<int> WatchFds();
  // Accepts (on the listening socket) or reads and answers (on a client). Unknown fds are
  // ignored.
  void OnReadable(int fd);

  const StatusSocketCounters& counters() const { return counters_; }
  size_t client_count() const { return clients_.size(); }
  int listen_fd() const { return listen_fd_; }

 private:
  struct Client {
    std::string request;  // bytes received so far
    std::string answer;   // once set, the client is being answered
    size_t written = 0;   // bytes of answer sent
    int64_t deadline_mono_ms = 0;
  };

  StatusServer(std::filesystem::path path, int listen_fd, ino_t inode, const Clock& clock,
               SnapshotProvider provider, Options options);

  void Accept();
  void Read(int fd, Client& client);
  // Builds the answer to one request line and starts sending it.
  void Answer(int fd, Client& client, std::string_view line);
  void Refuse(int fd, Client& client, std::string_view code, std::string_view message);
  // Sends what the socket takes; closes the client when the answer is complete.
  void Flush(int fd, Client& client);
  void Close(int fd);

  // Constant after construction.
  const std::filesystem::path path_;
  const int listen_fd_;
  const ino_t inode_;  // of the socket file we bound, so we never unlink someone else's
  const Clock& clock_;
  const SnapshotProvider provider_;
  const Options options_;

  std::map<int, Client> clients_;
  StatusSocketCounters counters_;
};
using StatusServerPtr = std::unique_ptr<StatusServer>;

}  // namespace hub::core
