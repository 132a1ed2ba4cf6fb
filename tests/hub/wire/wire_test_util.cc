#include "tests/hub/wire/wire_test_util.h"

#include <sodium.h>

#include <cstdlib>
#include <iostream>

#include "hub/wire/sealed_box.h"
#include "hub/wire/signed_message.h"

namespace hub::wire::testing {

AgencyKeys MakeAgency(const std::string& id, sghub::v1::AgencyKind kind) {
  auto keys = AgencyKeys::Generate(id, kind);
  if (!keys.ok()) {
    std::cerr << "MakeAgency(" << id << "): " << keys.status().ToString() << "\n";
    std::abort();
  }
  return std::move(keys).value();
}

sghub::v1::Header MakeHeader(const std::string& sender,
                             const std::vector<std::string>& recipients) {
  sghub::v1::Header header;
  header.set_version(1);
  header.set_message_id(std::string("0123456789abcdef"));
  header.set_sender(sender);
  for (const auto& r : recipients) {
    header.add_recipients(r);
  }
  header.set_kind(sghub::v1::ALERT_KIND_CONCERN);
  header.set_category(sghub::v1::CATEGORY_MATE_CRIME);
  header.set_urgency(sghub::v1::URGENCY_URGENT);
  header.set_purpose(sghub::v1::PURPOSE_SAFEGUARDING);
  header.set_created_at_ms(1'700'000'000'000);
  header.set_expires_at_ms(1'700'000'000'000 + 86'400'000);
  header.add_subject_refs(std::string(32, '\x5a'));
  auto* consent = header.mutable_consent();
  consent->set_state(sghub::v1::CONSENT_STATE_GIVEN);
  consent->mutable_scope()->add_recipient_kinds(sghub::v1::AGENCY_KIND_COUNCIL);
  consent->mutable_scope()->add_purposes(sghub::v1::PURPOSE_SAFEGUARDING);
  consent->mutable_scope()->set_expires_at_ms(1'800'000'000'000);
  header.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_PUBLIC_TASK);
  header.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);
  return header;
}

sghub::v1::AlertBody MakeBody(const sghub::v1::Header& header) {
  sghub::v1::AlertBody body;
  body.set_message_id(header.message_id());
  body.set_sender(header.sender());
  for (const auto& r : header.recipients()) {
    body.add_recipients(r);
  }
  body.mutable_person()->set_family_name("Testperson");
  body.mutable_incident()->set_summary("Money taken by a new 'friend' over several weeks.");
  body.mutable_voice()->set_own_words("I thought he was my mate.");
  return body;
}

std::vector<RecipientSealKey> SealKeysFor(const std::vector<const AgencyKeys*>& agencies) {
  std::vector<RecipientSealKey> out;
  for (const AgencyKeys* a : agencies) {
    out.push_back({a->card().id, a->card().sealing});
  }
  return out;
}

std::string BuildEnvelopeUnchecked(const std::string& header_bytes, const std::string& body_bytes,
                                   const std::vector<RecipientSealKey>& recipients,
                                   const SecretKey& signing_secret) {
  std::array<unsigned char, 32> key{};
  crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
  std::string nonce(24, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  std::string ciphertext(body_bytes.size() + 16, '\0');
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(ciphertext.data()), &len,
      reinterpret_cast<const unsigned char*>(body_bytes.data()), body_bytes.size(),
      reinterpret_cast<const unsigned char*>(header_bytes.data()), header_bytes.size(), nullptr,
      reinterpret_cast<const unsigned char*>(nonce.data()), key.data());
  sghub::v1::Envelope envelope;
  for (const auto& r : recipients) {
    auto sealed = SealToRecipient(
        AsBytes(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())), r.sealing,
        nullptr);
    auto* wrapped = envelope.add_keys();
    wrapped->set_recipient(r.agency);
    wrapped->set_sealed_key(sealed.ok() ? *sealed : std::string());
  }
  auto signature =
      SignDetached(EnvelopeSignedMessage(header_bytes, nonce, ciphertext), signing_secret);
  envelope.set_header(header_bytes);
  envelope.set_body_nonce(nonce);
  envelope.set_body_ciphertext(ciphertext);
  envelope.set_signature(signature.ok() ? *signature : std::string());
  return envelope.SerializeAsString();
}

}  // namespace hub::wire::testing
