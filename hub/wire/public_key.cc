#include "hub/wire/public_key.h"

#include <sodium.h>

#include "hub/base/bytes.h"
#include "hub/wire/crypto_init.h"
#include "sghub/v1/common.pb.h"

namespace hub::wire {

std::string PublicKey::Hex() const { return HexEncode(bytes); }

std::string PublicKey::Fingerprint() const {
  HUB_CHECK(InitCrypto().ok(), "libsodium failed to initialise");
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  return HexEncode(AsBytes(std::string_view(reinterpret_cast<const char*>(digest.data()), 8)));
}

Result<PublicKey> PublicKey::FromHex(std::string_view hex, std::string_view field) {
  auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument(std::string(field) + ": " + why)
        .WithReason(sghub::v1::REASON_CODE_INVALID_FIELD, std::string(field));
  };
  if (hex.size() != 64) {
    return invalid("a public key is 64 hex characters, got " + std::to_string(hex.size()));
  }
  PublicKey key;
  for (size_t i = 0; i < 32; ++i) {
    int value = 0;
    for (size_t j = 0; j < 2; ++j) {
      const char c = hex[2 * i + j];
      int nibble = 0;
      if (c >= '0' && c <= '9') {
        nibble = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        nibble = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        nibble = c - 'A' + 10;
      } else {
        return invalid("character " + std::to_string(2 * i + j + 1) + " is not a hex digit");
      }
      value = value * 16 + nibble;
    }
    key.bytes[i] = static_cast<std::byte>(value);
  }
  return key;
}

}  // namespace hub::wire
