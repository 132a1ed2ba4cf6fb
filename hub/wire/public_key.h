// A 32-byte public key (Curve25519 transport, Ed25519 signing or X25519 sealing). Public
// keys are not secret: they travel in agency cards and may be logged as fingerprints.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "hub/base/result.h"

namespace hub::wire {

struct PublicKey {
  std::array<std::byte, 32> bytes{};  // raw key bytes

  // 64 lower-case hex characters.
  std::string Hex() const;

  // 16 lower-case hex characters: the first 8 bytes of BLAKE2b-256(bytes). Short enough for
  // logs, long enough to tell keys apart.
  std::string Fingerprint() const;

  // Parses exactly 64 hex characters (either case). On failure returns InvalidArgument whose
  // message and field name `field` (e.g. "agency.signing_public").
  static Result<PublicKey> FromHex(std::string_view hex, std::string_view field);

  friend bool operator==(const PublicKey& a, const PublicKey& b) { return a.bytes == b.bytes; }
};

}  // namespace hub::wire
