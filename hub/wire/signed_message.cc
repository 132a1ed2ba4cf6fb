#include "hub/wire/signed_message.h"

#include <sodium.h>

#include "hub/wire/crypto_init.h"

namespace hub::wire {
namespace {

const unsigned char* U8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string TaggedWithLength(std::string_view tag, std::string_view bytes) {
  HUB_CHECK(bytes.size() <= 0xffffffffu, "signed region larger than 4 GiB");
  std::string out(tag);
  out.push_back('\0');
  const auto n = static_cast<uint32_t>(bytes.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(bytes);
  return out;
}

}  // namespace

std::array<std::byte, 32> CiphertextDigest(std::string_view body_nonce,
                                           std::string_view body_ciphertext) {
  HUB_CHECK(InitCrypto().ok(), "libsodium failed to initialise");
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, U8(body_nonce), body_nonce.size());
  crypto_generichash_update(&state, U8(body_ciphertext), body_ciphertext.size());
  std::array<std::byte, 32> digest{};
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(digest.data()), 32);
  return digest;
}

std::string EnvelopeSignedMessage(std::string_view header_bytes, std::string_view body_nonce,
                                  std::string_view body_ciphertext) {
  std::string out = TaggedWithLength(kEnvelopeSignatureTag, header_bytes);
  out.append(AsStringView(CiphertextDigest(body_nonce, body_ciphertext)));
  return out;
}

std::string NoticeSignedMessage(std::string_view notice_body_bytes) {
  return TaggedWithLength(kNoticeSignatureTag, notice_body_bytes);
}

Result<std::string> SignDetached(std::string_view message, const SecretKey& signing_secret) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  if (signing_secret.size() != crypto_sign_SECRETKEYBYTES) {
    return Status::InvalidArgument("signing secret must be a 64-byte Ed25519 secret key, got " +
                                   std::to_string(signing_secret.size()) + " bytes");
  }
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, U8(message),
                       message.size(),
                       reinterpret_cast<const unsigned char*>(signing_secret.bytes().data()));
  return signature;
}

bool VerifyDetached(std::string_view message, std::string_view signature,
                    const PublicKey& public_key) {
  if (!InitCrypto().ok() || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(
             U8(signature), U8(message), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.bytes.data())) == 0;
}

}  // namespace hub::wire
