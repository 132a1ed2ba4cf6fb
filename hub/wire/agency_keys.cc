#include "hub/wire/agency_keys.h"

#include <sodium.h>

#include <utility>

#include "hub/wire/crypto_init.h"

namespace hub::wire {
namespace {

unsigned char* U8(std::span<std::byte> s) { return reinterpret_cast<unsigned char*>(s.data()); }
unsigned char* U8(std::array<std::byte, 32>& a) {
  return reinterpret_cast<unsigned char*>(a.data());
}
const unsigned char* U8(ByteView s) { return reinterpret_cast<const unsigned char*>(s.data()); }

Status CheckKind(sghub::v1::AgencyKind kind) {
  if (kind == sghub::v1::AGENCY_KIND_UNSPECIFIED || !sghub::v1::AgencyKind_IsValid(kind)) {
    return Status::InvalidArgument("agency kind must be one of nhs_mh, council, police, hub")
        .WithReason(sghub::v1::REASON_CODE_INVALID_FIELD, "agency.kind");
  }
  return Status::Ok();
}

Result<SecretKey> RandomSecret(size_t n) {
  HUB_ASSIGN_OR_RETURN(SecretKey key, SecretKey::Allocate(n));
  randombytes_buf(key.mutable_bytes().data(), n);
  return key;
}

}  // namespace

Result<AgencyKeys> AgencyKeys::Generate(std::string id, sghub::v1::AgencyKind kind) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  HUB_ASSIGN_OR_RETURN(SecretKey transport, RandomSecret(32));
  HUB_ASSIGN_OR_RETURN(SecretKey seed, RandomSecret(32));
  HUB_ASSIGN_OR_RETURN(SecretKey sealing, RandomSecret(32));
  return FromSecrets(std::move(id), kind, transport.bytes(), seed.bytes(), sealing.bytes());
}

Result<AgencyKeys> AgencyKeys::FromSecrets(std::string id, sghub::v1::AgencyKind kind,
                                           ByteView transport_secret, ByteView signing_seed,
                                           ByteView sealing_secret) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  HUB_RETURN_IF_ERROR(ValidateAgencyId(id));
  HUB_RETURN_IF_ERROR(CheckKind(kind));
  if (transport_secret.size() != 32 || signing_seed.size() != 32 || sealing_secret.size() != 32) {
    return Status::InvalidArgument("agency secrets must be 32 bytes each");
  }
  AgencyKeys keys;
  keys.card_.id = std::move(id);
  keys.card_.kind = kind;

  HUB_ASSIGN_OR_RETURN(keys.transport_secret_, SecretKey::Allocate(32));
  std::copy(transport_secret.begin(), transport_secret.end(),
            keys.transport_secret_.mutable_bytes().begin());
  // crypto_scalarmult_base refuses only an all-zero result, i.e. a degenerate secret.
  if (crypto_scalarmult_base(U8(keys.card_.transport.bytes), U8(transport_secret)) != 0) {
    return Status::InvalidArgument("transport secret key is degenerate");
  }

  HUB_ASSIGN_OR_RETURN(keys.signing_secret_, SecretKey::Allocate(crypto_sign_SECRETKEYBYTES));
  if (crypto_sign_seed_keypair(U8(keys.card_.signing.bytes),
                               U8(keys.signing_secret_.mutable_bytes()), U8(signing_seed)) != 0) {
    return Status::Internal("crypto_sign_seed_keypair failed");
  }

  HUB_ASSIGN_OR_RETURN(keys.sealing_secret_, SecretKey::Allocate(32));
  std::copy(sealing_secret.begin(), sealing_secret.end(),
            keys.sealing_secret_.mutable_bytes().begin());
  if (crypto_scalarmult_base(U8(keys.card_.sealing.bytes), U8(sealing_secret)) != 0) {
    return Status::InvalidArgument("sealing secret key is degenerate");
  }
  return keys;
}

}  // namespace hub::wire
