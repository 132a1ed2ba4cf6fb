// SecretKey owns secret bytes (keys, and plaintext that must not linger) in memory from
// sodium_malloc: guarded pages, locked against swapping where the system allows, wiped with
// sodium_memzero before it is freed. It is move-only; a moved-from SecretKey is empty.
// It deliberately has no operator<< and no way to turn into a string: log a PublicKey
// fingerprint instead. Not thread-safe; a SecretKey is owned by one thread at a time.
#pragma once

#include <cstddef>
#include <span>

#include "hub/base/bytes.h"
#include "hub/base/result.h"

namespace hub::wire {

class SecretKey {
 public:
  // An empty key (size 0). Only useful as a target to move into.
  SecretKey() = default;

  // Allocates `n` zeroed bytes (n > 0). Returns InvalidArgument for n == 0 and Internal
  // when libsodium cannot initialise or the allocation fails.
  static Result<SecretKey> Allocate(size_t n);

  ~SecretKey();
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  std::span<std::byte> mutable_bytes() { return {data_, size_}; }
  ByteView bytes() const { return {data_, size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Overwrites the bytes with zeros; the key keeps its size.
  void Wipe();

 private:
  SecretKey(std::byte* data, size_t size) : data_(data), size_(size) {}
  void Release();

  std::byte* data_ = nullptr;  // from sodium_malloc, owned
  size_t size_ = 0;
};

}  // namespace hub::wire
