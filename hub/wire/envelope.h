// Sealing, parsing, verifying and opening sghub.v1 Envelopes (docs/wire_format.md).
//
// Seal: the Header is serialised once; those exact bytes are signed and are the additional
// data of the body encryption, and no reader ever re-serialises them. The AlertBody is
// encrypted once with XChaCha20-Poly1305-IETF under a fresh 32-byte content key, which is
// sealed to each recipient's X25519 sealing key. The sender signs with Ed25519.
//
// Receive: ParseEnvelope (limits and structure) -> VerifyEnvelopeSignature (with the sender's
// registered signing key) -> OpenEnvelope (recipients only). The hub stops after verifying.
// All functions are thread-safe (no shared state).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/wire/limits.h"
#include "hub/wire/public_key.h"
#include "hub/wire/secret_key.h"
#include "sghub/v1/alert.pb.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::wire {

inline constexpr size_t kBodyNonceBytes = 24;
inline constexpr size_t kContentKeyBytes = 32;
inline constexpr size_t kSealedKeyBytes = 80;
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kAeadTagBytes = 16;

struct RecipientSealKey {
  std::string agency;  // must be one of header.recipients
  PublicKey sealing;   // the recipient's X25519 sealing public key, from its card
};

// Deterministic randomness, only for test vectors. Production passes nullptr.
struct SealRandomnessForTest {
  std::array<std::byte, 32> content_key;
  std::array<std::byte, 24> nonce;
  std::vector<std::array<std::byte, 32>> ephemeral_seeds;  // one per recipient, header order
};

// Returns the serialised Envelope. The wrapped keys follow the order of header.recipients.
// InvalidArgument (with reason code and field) when the header fails ValidateHeader with
// default Limits, when `recipients` does not hold exactly one key for each header
// recipient, when body.message_id/sender/recipients differ from the header, or when the body
// or the envelope exceed the default limits. `signing_secret` is the sender's 64-byte Ed25519
// secret key. The content key and the plaintext copy live in locked memory and are wiped.
Result<std::string> SealEnvelope(const sghub::v1::Header& header, const sghub::v1::AlertBody& body,
                                 std::span<const RecipientSealKey> recipients,
                                 const SecretKey& signing_secret,
                                 const SealRandomnessForTest* randomness = nullptr);

struct ParsedEnvelope {
  sghub::v1::Envelope envelope;  // as received; envelope.header() holds the signed bytes
  sghub::v1::Header header;      // parsed from envelope.header()
};

// Applies the limits, parses with the recursion limit, refuses unknown fields in the
// Envelope and anywhere in the Header, and checks the structure (ValidateHeader; nonce 24
// bytes; signature 64 bytes; exactly one 80-byte wrapped key per header recipient). Each
// error is InvalidArgument with a REASON_CODE and a field path ("envelope.keys[0]",
// "header.subject_refs[1]"). Does NOT verify the signature.
Result<ParsedEnvelope> ParseEnvelope(ByteView bytes, const Limits& limits);

// Ed25519-verifies the signature over the signed message built from the exact header bytes
// in the envelope. Unauthenticated with REASON_CODE_BAD_SIGNATURE when it does not verify.
Status VerifyEnvelopeSignature(const ParsedEnvelope& parsed,
                               const PublicKey& sender_signing_public);

// Opens the body as `recipient_id`: unseals its wrapped key with its sealing keypair,
// decrypts (additional data = the header bytes), parses the AlertBody (unknown fields
// refused) and checks body.message_id/sender/recipients equal the header's.
// PermissionDenied (REASON_CODE_UNKNOWN_RECIPIENT) when `recipient_id` is not a recipient;
// Unauthenticated when the key does not unseal or the body does not decrypt;
// InvalidArgument when the body is malformed or disagrees with the header.
// Call VerifyEnvelopeSignature first.
Result<sghub::v1::AlertBody> OpenEnvelope(const ParsedEnvelope& parsed,
                                          std::string_view recipient_id,
                                          const SecretKey& sealing_secret,
                                          const PublicKey& sealing_public);

}  // namespace hub::wire
