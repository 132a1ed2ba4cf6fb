#include "hub/wire/envelope.h"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "hub/wire/crypto_init.h"
#include "hub/wire/header_checks.h"
#include "hub/wire/proto_parse.h"
#include "hub/wire/sealed_box.h"
#include "hub/wire/signed_message.h"
#include "hub/wire/unknown_fields.h"
#include "hub/wire/wire_status.h"

namespace hub::wire {
namespace {

using sghub::v1::REASON_CODE_INVALID_FIELD;
using sghub::v1::REASON_CODE_MISSING_FIELD;
using sghub::v1::REASON_CODE_MISSING_RECIPIENT_KEY;

unsigned char* U8(std::span<std::byte> s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* U8(ByteView s) { return reinterpret_cast<const unsigned char*>(s.data()); }
const unsigned char* U8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Indexed(std::string_view field, int i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

// The body must repeat the header's message id, sender and recipients (same order), so a
// recipient cannot re-wrap a body it received and pass it off as addressed elsewhere.
Status CheckBodyMatchesHeader(const sghub::v1::AlertBody& body, const sghub::v1::Header& header) {
  if (body.message_id() != header.message_id()) {
    return FieldError(REASON_CODE_INVALID_FIELD, "body.message_id",
                      "differs from header.message_id");
  }
  if (body.sender() != header.sender()) {
    return FieldError(REASON_CODE_INVALID_FIELD, "body.sender", "differs from header.sender");
  }
  if (!std::equal(body.recipients().begin(), body.recipients().end(), header.recipients().begin(),
                  header.recipients().end())) {
    return FieldError(REASON_CODE_INVALID_FIELD, "body.recipients",
                      "differ from header.recipients (same agencies, same order)");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> SealEnvelope(const sghub::v1::Header& header, const sghub::v1::AlertBody& body,
                                 std::span<const RecipientSealKey> recipients,
                                 const SecretKey& signing_secret,
                                 const SealRandomnessForTest* randomness) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  const Limits limits;
  if (signing_secret.size() != crypto_sign_SECRETKEYBYTES) {
    return Status::InvalidArgument("signing secret must be a 64-byte Ed25519 secret key");
  }
  std::string header_bytes;
  if (!header.SerializeToString(&header_bytes)) {
    return Status::Internal("serialising the header failed");
  }
  HUB_RETURN_IF_ERROR(RejectUnknownFields(header, "header"));
  HUB_RETURN_IF_ERROR(ValidateHeader(header, header_bytes.size(), limits));
  HUB_RETURN_IF_ERROR(RejectUnknownFields(body, "body"));
  HUB_RETURN_IF_ERROR(CheckBodyMatchesHeader(body, header));

  // One seal key per header recipient, taken in header order.
  if (recipients.size() != static_cast<size_t>(header.recipients_size())) {
    return FieldError(REASON_CODE_INVALID_FIELD, "recipients",
                      std::to_string(recipients.size()) + " sealing keys given for " +
                          std::to_string(header.recipients_size()) + " header recipients");
  }
  std::vector<const RecipientSealKey*> ordered;
  for (int i = 0; i < header.recipients_size(); ++i) {
    const std::string& id = header.recipients(i);
    const auto it = std::find_if(recipients.begin(), recipients.end(),
                                 [&](const RecipientSealKey& r) { return r.agency == id; });
    if (it == recipients.end()) {
      return FieldError(REASON_CODE_MISSING_RECIPIENT_KEY, Indexed("header.recipients", i),
                        "no sealing key given for recipient \"" + id + "\"");
    }
    ordered.push_back(&*it);
  }
  if (randomness != nullptr && randomness->ephemeral_seeds.size() != ordered.size()) {
    return Status::InvalidArgument("SealRandomnessForTest needs one ephemeral seed per recipient");
  }

  const size_t body_size = body.ByteSizeLong();
  if (body_size > limits.max_body_bytes) {
    return LimitError(sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "body", "body size in bytes",
                      body_size, "max_body_bytes", limits.max_body_bytes);
  }
  // The plaintext exists only in locked memory and is wiped when `plaintext` goes away.
  HUB_ASSIGN_OR_RETURN(SecretKey plaintext, SecretKey::Allocate(std::max<size_t>(body_size, 1)));
  if (!body.SerializeToArray(plaintext.mutable_bytes().data(), static_cast<int>(body_size))) {
    return Status::Internal("serialising the body failed");
  }
  HUB_ASSIGN_OR_RETURN(SecretKey content_key, SecretKey::Allocate(kContentKeyBytes));
  std::string nonce(kBodyNonceBytes, '\0');
  if (randomness != nullptr) {
    std::copy(randomness->content_key.begin(), randomness->content_key.end(),
              content_key.mutable_bytes().begin());
    nonce.assign(AsStringView(randomness->nonce));
  } else {
    crypto_aead_xchacha20poly1305_ietf_keygen(U8(content_key.mutable_bytes()));
    randombytes_buf(nonce.data(), nonce.size());
  }

  std::string ciphertext(body_size + kAeadTagBytes, '\0');
  unsigned long long ciphertext_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(ciphertext.data()), &ciphertext_len, U8(plaintext.bytes()),
      body_size, U8(std::string_view(header_bytes)), header_bytes.size(), nullptr,
      U8(std::string_view(nonce)), U8(content_key.bytes()));
  ciphertext.resize(ciphertext_len);

  sghub::v1::Envelope envelope;
  for (size_t i = 0; i < ordered.size(); ++i) {
    HUB_ASSIGN_OR_RETURN(
        std::string sealed,
        SealToRecipient(content_key.bytes(), ordered[i]->sealing,
                        randomness != nullptr ? &randomness->ephemeral_seeds[i] : nullptr));
    sghub::v1::WrappedKey* wrapped = envelope.add_keys();
    wrapped->set_recipient(ordered[i]->agency);
    wrapped->set_sealed_key(std::move(sealed));
  }
  HUB_ASSIGN_OR_RETURN(
      std::string signature,
      SignDetached(EnvelopeSignedMessage(header_bytes, nonce, ciphertext), signing_secret));
  envelope.set_header(std::move(header_bytes));
  envelope.set_body_nonce(std::move(nonce));
  envelope.set_body_ciphertext(std::move(ciphertext));
  envelope.set_signature(std::move(signature));

  std::string out;
  if (!envelope.SerializeToString(&out)) {
    return Status::Internal("serialising the envelope failed");
  }
  if (out.size() > limits.max_frame_bytes) {
    return LimitError(sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "envelope", "envelope size in bytes",
                      out.size(), "max_frame_bytes", limits.max_frame_bytes);
  }
  return out;
}

Result<ParsedEnvelope> ParseEnvelope(ByteView bytes, const Limits& limits) {
  ParsedEnvelope parsed;
  HUB_RETURN_IF_ERROR(
      ParseMessageStrict(AsStringView(bytes), limits, &parsed.envelope, "envelope"));
  const sghub::v1::Envelope& env = parsed.envelope;
  if (env.header().empty()) {
    return FieldError(REASON_CODE_MISSING_FIELD, "envelope.header", "is required");
  }
  if (env.header().size() > limits.max_header_bytes) {
    return LimitError(sghub::v1::REASON_CODE_HEADER_TOO_LARGE, "envelope.header",
                      "header size in bytes", env.header().size(), "max_header_bytes",
                      limits.max_header_bytes);
  }
  HUB_RETURN_IF_ERROR(ParseMessageStrict(env.header(), limits, &parsed.header, "header"));
  HUB_RETURN_IF_ERROR(ValidateHeader(parsed.header, env.header().size(), limits));

  if (env.body_nonce().size() != kBodyNonceBytes) {
    return FieldError(
        env.body_nonce().empty() ? REASON_CODE_MISSING_FIELD : REASON_CODE_INVALID_FIELD,
        "envelope.body_nonce", "must be 24 bytes, got " + std::to_string(env.body_nonce().size()));
  }
  if (env.body_ciphertext().size() < kAeadTagBytes) {
    return FieldError(REASON_CODE_MISSING_FIELD, "envelope.body_ciphertext",
                      "is shorter than the 16-byte authentication tag");
  }
  if (env.body_ciphertext().size() > uint64_t{limits.max_body_bytes} + kAeadTagBytes) {
    return LimitError(sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "envelope.body_ciphertext",
                      "body size in bytes", env.body_ciphertext().size() - kAeadTagBytes,
                      "max_body_bytes", limits.max_body_bytes);
  }
  if (env.signature().size() != kSignatureBytes) {
    return FieldError(
        env.signature().empty() ? REASON_CODE_MISSING_FIELD : REASON_CODE_INVALID_FIELD,
        "envelope.signature", "must be 64 bytes, got " + std::to_string(env.signature().size()));
  }

  const auto& recipients = parsed.header.recipients();
  std::set<std::string> wrapped_for;
  for (int i = 0; i < env.keys_size(); ++i) {
    const sghub::v1::WrappedKey& key = env.keys(i);
    const std::string field = Indexed("envelope.keys", i);
    if (std::find(recipients.begin(), recipients.end(), key.recipient()) == recipients.end()) {
      return FieldError(REASON_CODE_INVALID_FIELD, field + ".recipient",
                        "\"" + key.recipient().substr(0, 64) + "\" is not in header.recipients");
    }
    if (!wrapped_for.insert(key.recipient()).second) {
      return FieldError(REASON_CODE_INVALID_FIELD, field + ".recipient",
                        "a second wrapped key for \"" + key.recipient() + "\"");
    }
    if (key.sealed_key().size() != kSealedKeyBytes) {
      return FieldError(REASON_CODE_INVALID_FIELD, field + ".sealed_key",
                        "must be 80 bytes, got " + std::to_string(key.sealed_key().size()));
    }
  }
  for (int i = 0; i < recipients.size(); ++i) {
    if (wrapped_for.count(recipients.Get(i)) == 0) {
      return FieldError(REASON_CODE_MISSING_RECIPIENT_KEY, "envelope.keys",
                        "no wrapped key for recipient \"" + recipients.Get(i) + "\"");
    }
  }
  return parsed;
}

Status VerifyEnvelopeSignature(const ParsedEnvelope& parsed,
                               const PublicKey& sender_signing_public) {
  const sghub::v1::Envelope& env = parsed.envelope;
  const std::string message =
      EnvelopeSignedMessage(env.header(), env.body_nonce(), env.body_ciphertext());
  if (!VerifyDetached(message, env.signature(), sender_signing_public)) {
    return Status::Unauthenticated(
               "envelope.signature: does not verify under the signing key of sender \"" +
               parsed.header.sender() + "\" (fingerprint " + sender_signing_public.Fingerprint() +
               ")")
        .WithReason(sghub::v1::REASON_CODE_BAD_SIGNATURE, "envelope.signature");
  }
  return Status::Ok();
}

Result<sghub::v1::AlertBody> OpenEnvelope(const ParsedEnvelope& parsed,
                                          std::string_view recipient_id,
                                          const SecretKey& sealing_secret,
                                          const PublicKey& sealing_public) {
  HUB_RETURN_IF_ERROR(InitCrypto());
  const sghub::v1::Envelope& env = parsed.envelope;
  const auto& recipients = parsed.header.recipients();
  if (std::find(recipients.begin(), recipients.end(), recipient_id) == recipients.end()) {
    return Status::PermissionDenied("agency \"" + std::string(recipient_id.substr(0, 64)) +
                                    "\" is not a recipient of this envelope")
        .WithReason(sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT, "header.recipients");
  }
  const auto wrapped =
      std::find_if(env.keys().begin(), env.keys().end(),
                   [&](const sghub::v1::WrappedKey& k) { return k.recipient() == recipient_id; });
  if (wrapped == env.keys().end()) {
    return FieldError(REASON_CODE_MISSING_RECIPIENT_KEY, "envelope.keys",
                      "no wrapped key for recipient \"" + std::string(recipient_id) + "\"");
  }
  auto content_key = OpenSealed(wrapped->sealed_key(), sealing_secret, sealing_public);
  if (!content_key.ok()) {
    return Status::Unauthenticated("the wrapped key for \"" + std::string(recipient_id) +
                                   "\" does not open: " + content_key.status().message())
        .WithReason(REASON_CODE_INVALID_FIELD, "envelope.keys.sealed_key");
  }
  if (content_key->size() != kContentKeyBytes) {
    return FieldError(REASON_CODE_INVALID_FIELD, "envelope.keys.sealed_key",
                      "does not hold a 32-byte content key");
  }
  const std::string& ciphertext = env.body_ciphertext();
  if (ciphertext.size() < kAeadTagBytes || env.body_nonce().size() != kBodyNonceBytes) {
    return FieldError(REASON_CODE_INVALID_FIELD, "envelope.body_ciphertext",
                      "is not a sealed body");
  }
  const size_t body_size = ciphertext.size() - kAeadTagBytes;
  HUB_ASSIGN_OR_RETURN(SecretKey plaintext, SecretKey::Allocate(std::max<size_t>(body_size, 1)));
  unsigned long long plaintext_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          U8(plaintext.mutable_bytes()), &plaintext_len, nullptr, U8(std::string_view(ciphertext)),
          ciphertext.size(), U8(std::string_view(env.header())), env.header().size(),
          U8(std::string_view(env.body_nonce())), U8(content_key->bytes())) != 0) {
    return Status::Unauthenticated(
               "envelope.body_ciphertext: does not decrypt under the content key and the header "
               "(tampered body, nonce or header)")
        .WithReason(REASON_CODE_INVALID_FIELD, "envelope.body_ciphertext");
  }
  Limits limits;
  limits.max_frame_bytes =
      std::max<uint32_t>(limits.max_frame_bytes, static_cast<uint32_t>(plaintext_len));
  sghub::v1::AlertBody body;
  HUB_RETURN_IF_ERROR(
      ParseMessageStrict(AsStringView(plaintext.bytes().first(static_cast<size_t>(plaintext_len))),
                         limits, &body, "body"));
  HUB_RETURN_IF_ERROR(CheckBodyMatchesHeader(body, parsed.header));
  return body;
}

}  // namespace hub::wire
