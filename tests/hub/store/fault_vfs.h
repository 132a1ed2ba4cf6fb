// FaultVfs is a SQLite VFS for tests: it passes every call through to the default VFS and,
// while armed, fails each sync of a main database file with SQLITE_IOERR_FSYNC, the way a
// disk that returns EIO on fsync would. (A WAL checkpoint is the only thing that syncs the
// main database file of a WAL-mode database; commits sync the WAL.) Running as root, a file
// made unwritable is still written, so permissions cannot produce such a failure.
//
// Registered under a name unique to the object (never as the default); pass name() to
// sqlite3_open_v2 (SqliteStore::Options::vfs). Every connection opened through it must be
// closed before it is destroyed. Arm and the counter are safe from any thread.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace hub::store {

class FaultVfs {
 public:
  FaultVfs();
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  const std::string& name() const { return name_; }
  // While true, syncs of main database files fail.
  void FailDatabaseSyncs(bool fail) { fail_db_syncs_.store(fail); }
  // How many syncs failed so far.
  int64_t failed_syncs() const { return failed_syncs_.load(); }

 private:
  struct File;
  static int Open(sqlite3_vfs* vfs, const char* path, sqlite3_file* file, int flags,
                  int* out_flags);
  static int Sync(sqlite3_file* file, int flags);
  static const sqlite3_io_methods* IoMethods();

  std::string name_;
  sqlite3_vfs* real_ = nullptr;  // the default VFS, not owned
  sqlite3_vfs vfs_{};
  std::atomic<bool> fail_db_syncs_{false};
  std::atomic<int64_t> failed_syncs_{0};
};

}  // namespace hub::store
