// TempDir is a fresh directory under $TMPDIR (or /tmp) that is removed with everything in it
// when the object goes out of scope. Tests put SQLite files, key files and ipc sockets here.
#pragma once

#include <filesystem>
#include <string>

namespace hub::testutil {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace hub::testutil
