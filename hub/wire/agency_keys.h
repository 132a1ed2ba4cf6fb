// An agency's identity: its public card and its three secret keys. Each agency (and the hub
// itself) has three separate keypairs, so that compromising one use does not give the others:
//   transport: Curve25519 for CurveZMQ connections (authenticates the connection to the hub)
//   signing:   Ed25519, signs envelope headers (and, for the hub, notices)
//   sealing:   X25519, receives the content keys of bodies addressed to the agency
#pragma once

#include <string>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/wire/agency_id.h"
#include "hub/wire/public_key.h"
#include "hub/wire/secret_key.h"
#include "sghub/v1/common.pb.h"

namespace hub::wire {

// The public half, safe to share: what an operator adds to the hub's registry.
struct AgencyCard {
  std::string id;                // validated agency id, e.g. "nhs-north"
  sghub::v1::AgencyKind kind{};  // never UNSPECIFIED in a valid card
  PublicKey transport;           // CurveZMQ public key
  PublicKey signing;             // Ed25519 public key
  PublicKey sealing;             // X25519 public key
};

class AgencyKeys {
 public:
  // Generates three fresh keypairs. Returns InvalidArgument for a bad id or an unspecified
  // or unknown kind.
  static Result<AgencyKeys> Generate(std::string id, sghub::v1::AgencyKind kind);

  // Builds the keys from their 32-byte secrets (the Ed25519 one as its seed) and derives the
  // public keys. The inputs are copied into locked memory; the caller wipes its own copies.
  // Used by the key file loader and by test vectors.
  static Result<AgencyKeys> FromSecrets(std::string id, sghub::v1::AgencyKind kind,
                                        ByteView transport_secret, ByteView signing_seed,
                                        ByteView sealing_secret);

  AgencyKeys(AgencyKeys&&) noexcept = default;
  AgencyKeys& operator=(AgencyKeys&&) noexcept = default;

  const AgencyCard& card() const { return card_; }
  const SecretKey& transport_secret() const { return transport_secret_; }  // 32 bytes
  // 64 bytes in libsodium's layout: the 32-byte seed followed by the 32-byte public key.
  const SecretKey& signing_secret() const { return signing_secret_; }
  const SecretKey& sealing_secret() const { return sealing_secret_; }  // 32 bytes

 private:
  AgencyKeys() = default;

  AgencyCard card_;
  SecretKey transport_secret_;
  SecretKey signing_secret_;
  SecretKey sealing_secret_;
};

}  // namespace hub::wire
