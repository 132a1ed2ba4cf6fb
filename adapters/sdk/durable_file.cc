#include "adapters/sdk/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace hub::sdk {
namespace {

Status Errno(std::string_view what, const std::filesystem::path& path) {
  return Status::IOError(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Status SyncDirectory(const std::filesystem::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Errno("cannot open directory", dir);
  }
  int rc = fsync(fd);
  int saved = errno;
  close(fd);
  if (rc != 0) {
    errno = saved;
    return Errno("cannot fsync directory", dir);
  }
  return Status::Ok();
}

Status WriteFileDurably(const std::filesystem::path& dir, std::string_view name,
                        std::string_view content) {
  const std::filesystem::path final_path = dir / std::string(name);
  const std::filesystem::path temp_path = dir / ("." + std::string(name) + ".tmp");
  int fd = open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Errno("cannot create", temp_path);
  }
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      Status s = Errno("cannot write", temp_path);
      close(fd);
      unlink(temp_path.c_str());
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) {
    Status s = Errno("cannot fsync", temp_path);
    close(fd);
    unlink(temp_path.c_str());
    return s;
  }
  close(fd);
  if (rename(temp_path.c_str(), final_path.c_str()) != 0) {
    Status s = Errno("cannot rename into place", final_path);
    unlink(temp_path.c_str());
    return s;
  }
  return SyncDirectory(dir);
}

Status MoveFileDurably(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (rename(from.c_str(), to.c_str()) != 0) {
    return Errno("cannot move " + from.string() + " to", to);
  }
  HUB_RETURN_IF_ERROR(SyncDirectory(to.parent_path()));
  if (from.parent_path() != to.parent_path()) {
    HUB_RETURN_IF_ERROR(SyncDirectory(from.parent_path()));
  }
  return Status::Ok();
}

}  // namespace hub::sdk
