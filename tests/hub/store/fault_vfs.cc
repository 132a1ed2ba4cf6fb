#include "tests/hub/store/fault_vfs.h"

#include <cstddef>
#include <cstdio>

namespace hub::store {

// Our part of each open file; the default VFS's own file object follows it in the same
// allocation (SQLite allocates szOsFile bytes per file).
struct FaultVfs::File {
  sqlite3_file base;  // first: SQLite sees a File as a sqlite3_file
  FaultVfs* owner;
  bool main_db;
};

namespace {

constexpr size_t kRealOffset =
    (sizeof(sqlite3_file) + sizeof(void*) + sizeof(bool) + alignof(std::max_align_t) - 1) /
    alignof(std::max_align_t) * alignof(std::max_align_t);

sqlite3_file* Real(sqlite3_file* file) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
}

}  // namespace

FaultVfs::FaultVfs() {
  static_assert(sizeof(File) <= kRealOffset);
  real_ = sqlite3_vfs_find(nullptr);
  char name[64];
  std::snprintf(name, sizeof(name), "sghub-fault-%p", static_cast<void*>(this));
  name_ = name;
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(kRealOffset) + real_->szOsFile;
  vfs_.mxPathname = real_->mxPathname;
  vfs_.zName = name_.c_str();
  vfs_.pAppData = this;
  vfs_.xOpen = &FaultVfs::Open;
  vfs_.xDelete = [](sqlite3_vfs* v, const char* path, int sync_dir) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xDelete(self->real_, path, sync_dir);
  };
  vfs_.xAccess = [](sqlite3_vfs* v, const char* path, int flags, int* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xAccess(self->real_, path, flags, out);
  };
  vfs_.xFullPathname = [](sqlite3_vfs* v, const char* path, int n, char* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xFullPathname(self->real_, path, n, out);
  };
  vfs_.xDlOpen = [](sqlite3_vfs* v, const char* path) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xDlOpen(self->real_, path);
  };
  vfs_.xDlError = [](sqlite3_vfs* v, int n, char* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    self->real_->xDlError(self->real_, n, out);
  };
  vfs_.xDlSym = [](sqlite3_vfs* v, void* handle, const char* symbol) -> void (*)(void) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xDlSym(self->real_, handle, symbol);
  };
  vfs_.xDlClose = [](sqlite3_vfs* v, void* handle) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    self->real_->xDlClose(self->real_, handle);
  };
  vfs_.xRandomness = [](sqlite3_vfs* v, int n, char* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xRandomness(self->real_, n, out);
  };
  vfs_.xSleep = [](sqlite3_vfs* v, int micros) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xSleep(self->real_, micros);
  };
  vfs_.xCurrentTime = [](sqlite3_vfs* v, double* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xCurrentTime(self->real_, out);
  };
  vfs_.xGetLastError = [](sqlite3_vfs* v, int n, char* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xGetLastError(self->real_, n, out);
  };
  vfs_.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* out) {
    FaultVfs* self = static_cast<FaultVfs*>(v->pAppData);
    return self->real_->xCurrentTimeInt64(self->real_, out);
  };
  sqlite3_vfs_register(&vfs_, /*makeDflt=*/0);
}

FaultVfs::~FaultVfs() { sqlite3_vfs_unregister(&vfs_); }

int FaultVfs::Open(sqlite3_vfs* vfs, const char* path, sqlite3_file* file, int flags,
                   int* out_flags) {
  FaultVfs* self = static_cast<FaultVfs*>(vfs->pAppData);
  File* f = reinterpret_cast<File*>(file);
  f->base.pMethods = nullptr;  // until the real open succeeds: SQLite then skips xClose
  f->owner = self;
  f->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  const int rc = self->real_->xOpen(self->real_, path, Real(file), flags, out_flags);
  if (rc == SQLITE_OK) {
    f->base.pMethods = IoMethods();
  }
  return rc;
}

int FaultVfs::Sync(sqlite3_file* file, int flags) {
  File* f = reinterpret_cast<File*>(file);
  if (f->main_db && f->owner->fail_db_syncs_.load()) {
    f->owner->failed_syncs_.fetch_add(1);
    return SQLITE_IOERR_FSYNC;
  }
  sqlite3_file* real = Real(file);
  return real->pMethods->xSync(real, flags);
}

const sqlite3_io_methods* FaultVfs::IoMethods() {
  // Every other method passes straight through to the real file.
  static const sqlite3_io_methods methods = {
      3,
      [](sqlite3_file* f) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xClose(real);
      },
      [](sqlite3_file* f, void* buf, int n, sqlite3_int64 offset) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xRead(real, buf, n, offset);
      },
      [](sqlite3_file* f, const void* buf, int n, sqlite3_int64 offset) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xWrite(real, buf, n, offset);
      },
      [](sqlite3_file* f, sqlite3_int64 size) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xTruncate(real, size);
      },
      &FaultVfs::Sync,
      [](sqlite3_file* f, sqlite3_int64* size) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xFileSize(real, size);
      },
      [](sqlite3_file* f, int level) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xLock(real, level);
      },
      [](sqlite3_file* f, int level) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xUnlock(real, level);
      },
      [](sqlite3_file* f, int* out) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xCheckReservedLock(real, out);
      },
      [](sqlite3_file* f, int op, void* arg) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xFileControl(real, op, arg);
      },
      [](sqlite3_file* f) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xSectorSize(real);
      },
      [](sqlite3_file* f) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xDeviceCharacteristics(real);
      },
      [](sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xShmMap(real, page, page_size, extend, out);
      },
      [](sqlite3_file* f, int offset, int n, int flags) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xShmLock(real, offset, n, flags);
      },
      [](sqlite3_file* f) {
        sqlite3_file* real = Real(f);
        real->pMethods->xShmBarrier(real);
      },
      [](sqlite3_file* f, int delete_flag) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xShmUnmap(real, delete_flag);
      },
      [](sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xFetch(real, offset, n, out);
      },
      [](sqlite3_file* f, sqlite3_int64 offset, void* p) {
        sqlite3_file* real = Real(f);
        return real->pMethods->xUnfetch(real, offset, p);
      },
  };
  return &methods;
}

}  // namespace hub::store
