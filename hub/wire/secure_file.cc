#include "hub/wire/secure_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace hub::wire {
namespace {

std::string Errno() { return std::strerror(errno); }

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes a file descriptor on scope exit.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Status WriteAll(int fd, ByteView contents, const std::string& name) {
  size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Status::IOError("cannot write " + name + ": " + Errno());
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status WriteNewFile(const std::filesystem::path& path, ByteView contents, mode_t mode) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    return Status::AlreadyExists(path.string() + " already exists; refusing to overwrite it");
  }
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) {
    dir = ".";
  }
  std::string suffix(8, '0');
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (char& c : suffix) {
    c = kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  }
  const std::filesystem::path tmp = dir / ("." + path.filename().string() + ".tmp-" + suffix);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    return Status::IOError("cannot create " + tmp.string() + ": " + Errno());
  }
  FdCloser closer(fd);
  Status status = WriteAll(fd, contents, tmp.string());
  if (status.ok() && ::fsync(fd) != 0) {
    status = Status::IOError("fsync of " + tmp.string() + " failed: " + Errno());
  }
  if (status.ok() && ::close(closer.Release()) != 0) {
    status = Status::IOError("close of " + tmp.string() + " failed: " + Errno());
  }
  // link() puts the finished file in place atomically and, unlike rename(), fails with
  // EEXIST instead of replacing a file that appeared meanwhile.
  if (status.ok() && ::link(tmp.c_str(), path.c_str()) != 0) {
    status =
        errno == EEXIST
            ? Status::AlreadyExists(path.string() + " already exists; refusing to overwrite it")
            : Status::IOError("cannot create " + path.string() + ": " + Errno());
  }
  ::unlink(tmp.c_str());
  if (!status.ok()) {
    return status;
  }
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    FdCloser dir_closer(dir_fd);
    if (::fsync(dir_fd) != 0) {
      return Status::IOError("fsync of directory " + dir.string() + " failed: " + Errno());
    }
  }
  return Status::Ok();
}

Result<SecretKey> ReadSecretFile(const std::filesystem::path& path, size_t max_size,
                                 std::string_view what) {
  const std::string name = std::string(what) + " " + path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status::NotFound(name + " does not exist");
    }
    return Status::IOError("cannot open " + name + ": " + Errno());
  }
  FdCloser closer(fd);
  // fstat on the open descriptor: the checked file is the file that is read.
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status::IOError("cannot stat " + name + ": " + Errno());
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::PermissionDenied(name + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return Status::PermissionDenied(name + " has mode " + OctalMode(st.st_mode) +
                                    "; a secret file must not be readable or writable by group "
                                    "or others. Run: chmod 600 " +
                                    path.string());
  }
  const auto size = static_cast<size_t>(st.st_size);
  if (size == 0 || size > max_size) {
    return Status::Corruption(name + " has size " + std::to_string(size) +
                              " bytes; expected at most " + std::to_string(max_size));
  }
  HUB_ASSIGN_OR_RETURN(SecretKey buffer, SecretKey::Allocate(size));
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, buffer.mutable_bytes().data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Status::IOError("cannot read " + name + ": " + Errno());
    }
    if (n == 0) {
      return Status::Corruption(name + " shrank while being read");
    }
    done += static_cast<size_t>(n);
  }
  return buffer;
}

}  // namespace hub::wire
