// Sealing a short secret (the body's content key) to a recipient's X25519 public key. The
// construction is libsodium's crypto_box_seal, written out so the ephemeral keypair can come
// from a seed for test vectors:
//   (epk, esk) = crypto_box_keypair()            or crypto_box_seed_keypair(seed)
//   nonce      = BLAKE2b-192(epk || recipient_pk)
//   sealed     = epk || crypto_box_easy(plaintext, nonce, recipient_pk, esk)
// Output size is 48 + len(plaintext); crypto_box_seal_open opens it.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/wire/public_key.h"
#include "hub/wire/secret_key.h"

namespace hub::wire {

inline constexpr size_t kSealOverheadBytes = 48;

// Seals `plaintext` to `recipient`. `ephemeral_seed` is null in production (a fresh random
// keypair); tests pass a seed to get deterministic output. The ephemeral secret is wiped.
Result<std::string> SealToRecipient(ByteView plaintext, const PublicKey& recipient,
                                    const std::array<std::byte, 32>* ephemeral_seed);

// Opens a sealed box into locked memory. Unauthenticated when it does not open (wrong
// recipient key, or tampered).
Result<SecretKey> OpenSealed(std::string_view sealed, const SecretKey& recipient_secret,
                             const PublicKey& recipient_public);

}  // namespace hub::wire
