#include "hub/wire/crypto_init.h"

#include <sodium.h>

namespace hub::wire {

Status InitCrypto() {
  // A function-local static runs sodium_init exactly once, thread-safely; sodium_init
  // returns 1 when it had already been called by someone else, which is fine.
  static const int rc = sodium_init();
  if (rc < 0) {
    return Status::Internal("libsodium could not be initialised (sodium_init failed)");
  }
  return Status::Ok();
}

}  // namespace hub::wire
