// Crash-safe file operations for the spool transport: after a successful return, the change
// survives a power cut, and a reader never sees a half-written file.
#pragma once

#include <filesystem>
#include <string_view>

#include "hub/base/status.h"

namespace hub::sdk {

// Writes `content` to dir/name: a temporary dotfile in `dir` (which the agency's system
// ignores), fsync, rename over dir/name (replacing an older copy: re-deliveries overwrite
// idempotently), fsync of `dir`. IOError naming the path on failure.
Status WriteFileDurably(const std::filesystem::path& dir, std::string_view name,
                        std::string_view content);

// Renames `from` to `to` (same file system) and fsyncs both directories.
Status MoveFileDurably(const std::filesystem::path& from, const std::filesystem::path& to);

// fsync of a directory, so that entries created or renamed in it are durable.
Status SyncDirectory(const std::filesystem::path& dir);

}  // namespace hub::sdk
