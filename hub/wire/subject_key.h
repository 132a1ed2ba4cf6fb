// The subject key: a 32-byte secret shared by the agencies (never by the hub) under which
// subject references are computed. Stored in a small binary file that must be mode 0600
// (docs/wire_format.md, "Subject key file").
#pragma once

#include <filesystem>

#include "hub/base/result.h"
#include "hub/wire/secret_key.h"

namespace hub::wire {

class SubjectKey {
 public:
  inline static constexpr size_t kBytes = 32;

  // A fresh random key.
  static Result<SubjectKey> Generate();

  // Wraps 32 given bytes (copied into locked memory). For test vectors and imports.
  static Result<SubjectKey> FromBytes(ByteView bytes);

  // Loads a subject key file. PermissionDenied unless a regular file with no group or other
  // permission bits (message names the path and mode, says chmod 600); Corruption for a bad
  // magic, version or checksum.
  static Result<SubjectKey> LoadFile(const std::filesystem::path& path);

  // Writes the key with mode 0600. Never overwrites (AlreadyExists).
  Status WriteFile(const std::filesystem::path& path) const;

  SubjectKey(SubjectKey&&) noexcept = default;
  SubjectKey& operator=(SubjectKey&&) noexcept = default;

  const SecretKey& secret() const { return key_; }  // 32 bytes

 private:
  explicit SubjectKey(SecretKey key) : key_(std::move(key)) {}

  SecretKey key_;
};

}  // namespace hub::wire
