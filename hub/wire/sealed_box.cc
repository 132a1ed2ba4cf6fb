#include "hub/wire/sealed_box.h"

#include <sodium.h>

#include "hub/wire/crypto_init.h"

namespace hub::wire {

Result<std::string> SealToRecipient(ByteView plaintext, const PublicKey& recipient,
                                    const std::array<std::byte, 32>* ephemeral_seed) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  std::array<unsigned char, crypto_box_PUBLICKEYBYTES> epk{};
  HUB_ASSIGN_OR_RETURN(SecretKey esk, SecretKey::Allocate(crypto_box_SECRETKEYBYTES));
  auto* esk_bytes = reinterpret_cast<unsigned char*>(esk.mutable_bytes().data());
  if (ephemeral_seed != nullptr) {
    crypto_box_seed_keypair(epk.data(), esk_bytes,
                            reinterpret_cast<const unsigned char*>(ephemeral_seed->data()));
  } else {
    crypto_box_keypair(epk.data(), esk_bytes);
  }
  const auto* rpk = reinterpret_cast<const unsigned char*>(recipient.bytes.data());
  std::array<unsigned char, crypto_box_NONCEBYTES> nonce{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, nonce.size());
  crypto_generichash_update(&state, epk.data(), epk.size());
  crypto_generichash_update(&state, rpk, crypto_box_PUBLICKEYBYTES);
  crypto_generichash_final(&state, nonce.data(), nonce.size());

  std::string sealed(kSealOverheadBytes + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(sealed.data());
  std::copy(epk.begin(), epk.end(), out);
  if (crypto_box_easy(out + epk.size(), reinterpret_cast<const unsigned char*>(plaintext.data()),
                      plaintext.size(), nonce.data(), rpk, esk_bytes) != 0) {
    return Status::InvalidArgument(
        "cannot seal to a degenerate recipient public key (fingerprint " + recipient.Fingerprint() +
        ")");
  }
  return sealed;
}

Result<SecretKey> OpenSealed(std::string_view sealed, const SecretKey& recipient_secret,
                             const PublicKey& recipient_public) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  if (sealed.size() <= kSealOverheadBytes) {
    return Status::Unauthenticated("sealed box is too short to open");
  }
  if (recipient_secret.size() != crypto_box_SECRETKEYBYTES) {
    return Status::InvalidArgument("sealing secret must be 32 bytes");
  }
  HUB_ASSIGN_OR_RETURN(SecretKey out, SecretKey::Allocate(sealed.size() - kSealOverheadBytes));
  if (crypto_box_seal_open(
          reinterpret_cast<unsigned char*>(out.mutable_bytes().data()),
          reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
          reinterpret_cast<const unsigned char*>(recipient_public.bytes.data()),
          reinterpret_cast<const unsigned char*>(recipient_secret.bytes().data())) != 0) {
    return Status::Unauthenticated("sealed box does not open with the sealing key (fingerprint " +
                                   recipient_public.Fingerprint() +
                                   "): wrong recipient key or tampered bytes");
  }
  return out;
}

}  // namespace hub::wire
