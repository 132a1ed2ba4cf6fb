// The exact byte strings that Ed25519 signs (docs/wire_format.md, "Signed message"). Each
// starts with an ASCII domain tag and a 0x00 byte, so a signature over one kind of message
// can never be replayed as a signature over another.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "hub/base/result.h"
#include "hub/wire/public_key.h"
#include "hub/wire/secret_key.h"

namespace hub::wire {

inline constexpr std::string_view kEnvelopeSignatureTag = "sghub.v1.envelope";
inline constexpr std::string_view kNoticeSignatureTag = "sghub.v1.notice";

// BLAKE2b-256 (unkeyed) of body_nonce || body_ciphertext.
std::array<std::byte, 32> CiphertextDigest(std::string_view body_nonce,
                                           std::string_view body_ciphertext);

// "sghub.v1.envelope" 0x00 | u32be len(header) | header | CiphertextDigest(nonce, ciphertext)
std::string EnvelopeSignedMessage(std::string_view header_bytes, std::string_view body_nonce,
                                  std::string_view body_ciphertext);

// "sghub.v1.notice" 0x00 | u32be len(body) | body
std::string NoticeSignedMessage(std::string_view notice_body_bytes);

// Ed25519 detached signature (64 bytes) with a 64-byte libsodium secret key.
Result<std::string> SignDetached(std::string_view message, const SecretKey& signing_secret);

// True when `signature` is a valid Ed25519 signature of `message` under `public_key`.
bool VerifyDetached(std::string_view message, std::string_view signature,
                    const PublicKey& public_key);

}  // namespace hub::wire
