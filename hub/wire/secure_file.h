// File helpers shared by the key file, subject key file and card writers: create a file
// without ever replacing an existing one, and read a secret file only when its permissions
// keep it private. Internal to hub_wire; other modules use key_files.h and subject_key.h.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/wire/secret_key.h"

namespace hub::wire {

// Writes `contents` to `path`, which must not exist. The bytes go to a temporary file in the
// same directory created with open(O_CREAT|O_EXCL, mode), are fsynced, and the file is
// linked into place (atomic, and never replaces an existing file), then the directory is
// fsynced. Returns AlreadyExists when `path` exists, IOError naming the path otherwise.
Status WriteNewFile(const std::filesystem::path& path, ByteView contents, mode_t mode);

// Reads a secret file into locked memory. Refuses (PermissionDenied) anything but a regular
// file whose mode has no group or other bits; the message names the path, the mode seen
// (e.g. 0644) and says to run chmod 600. `what` names the file in messages ("key file").
// Returns NotFound, IOError, or Corruption when the size exceeds `max_size`.
Result<SecretKey> ReadSecretFile(const std::filesystem::path& path, size_t max_size,
                                 std::string_view what);

}  // namespace hub::wire
