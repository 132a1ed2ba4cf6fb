#include "hub/wire/secret_key.h"

#include <sodium.h>

#include <utility>

#include "hub/wire/crypto_init.h"

namespace hub::wire {

Result<SecretKey> SecretKey::Allocate(size_t n) {
  if (n == 0) {
    return Status::InvalidArgument("SecretKey::Allocate: size must be > 0");
  }
  // sodium_malloc depends on sodium_init (page size, canary), so make sure it ran.
  HUB_RETURN_IF_ERROR(InitCrypto());
  void* p = sodium_malloc(n);
  if (p == nullptr) {
    return Status::Internal("SecretKey::Allocate: sodium_malloc failed");
  }
  // A failed mlock (RLIMIT_MEMLOCK exhausted) is not fatal: the bytes are still wiped and
  // core dumps are disabled separately, and refusing would make the tools unusable on
  // small containers. sodium_malloc has already tried the same lock.
  (void)sodium_mlock(p, n);
  sodium_memzero(p, n);
  return SecretKey(static_cast<std::byte*>(p), n);
}

SecretKey::~SecretKey() { Release(); }

SecretKey::SecretKey(SecretKey&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void SecretKey::Wipe() {
  if (data_ != nullptr) {
    sodium_memzero(data_, size_);
  }
}

void SecretKey::Release() {
  if (data_ != nullptr) {
    sodium_memzero(data_, size_);
    sodium_munlock(data_, size_);
    sodium_free(data_);  // also zeroes and unlocks; the explicit calls keep the intent local
    data_ = nullptr;
    size_ = 0;
  }
}

}  // namespace hub::wire
