#include "tests/hub/wire/vectors/vectors.h"

#include <sodium.h>

#include <array>
#include <sstream>
#include <vector>

#include "hub/base/bytes.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/envelope.h"
#include "hub/wire/frame.h"
#include "hub/wire/limits.h"
#include "hub/wire/notice.h"
#include "hub/wire/signed_message.h"
#include "hub/wire/subject_ref.h"

namespace hub::wire::vectors {
namespace {

using nlohmann::ordered_json;

// first, first+1, ..., first+N-1 (mod 256): easy to type into another language.
template <size_t N>
std::array<std::byte, N> Counting(int first) {
  std::array<std::byte, N> out{};
  for (size_t i = 0; i < N; ++i) {
    out[i] = static_cast<std::byte>((first + static_cast<int>(i)) & 0xff);
  }
  return out;
}

std::string Hex(std::string_view s) { return HexEncode(AsBytes(s)); }
std::string Hex(ByteView b) { return HexEncode(b); }

constexpr int64_t kCreatedAtMs = 1'717'243'200'000;  // 2024-06-01T12:00:00Z
constexpr int64_t kExpiresAtMs = kCreatedAtMs + 7 * 86'400'000LL;

}  // namespace

Result<ordered_json> ComputeVectorsV1() {
  const auto sender_seed = Counting<32>(0x00);
  const auto council_secret = Counting<32>(0x20);
  const auto police_secret = Counting<32>(0x40);
  const auto hub_seed = Counting<32>(0x60);
  const auto content_key = Counting<32>(0x80);
  const auto nonce = Counting<24>(0xa0);
  const auto council_ephemeral = Counting<32>(0xc0);
  const auto police_ephemeral = Counting<32>(0xe0);
  const auto subject_key_bytes = Counting<32>(0x5a);
  const auto unused = Counting<32>(0x99);  // transport/sealing secrets nobody uses here

  HUB_ASSIGN_OR_RETURN(AgencyKeys sender,
                       AgencyKeys::FromSecrets("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH, unused,
                                               sender_seed, unused));
  HUB_ASSIGN_OR_RETURN(AgencyKeys council,
                       AgencyKeys::FromSecrets("council-east", sghub::v1::AGENCY_KIND_COUNCIL,
                                               unused, unused, council_secret));
  HUB_ASSIGN_OR_RETURN(AgencyKeys police,
                       AgencyKeys::FromSecrets("police-west", sghub::v1::AGENCY_KIND_POLICE, unused,
                                               unused, police_secret));
  HUB_ASSIGN_OR_RETURN(AgencyKeys hub, AgencyKeys::FromSecrets("hub", sghub::v1::AGENCY_KIND_HUB,
                                                               unused, hub_seed, unused));
  HUB_ASSIGN_OR_RETURN(SubjectKey subject_key, SubjectKey::FromBytes(subject_key_bytes));

  // Subject references.
  const std::string nhs_input = "943 476 5919";
  const std::string family_input = "o'brien";
  const std::string dob_input = "01/02/1960";
  const std::string postcode_input = "sw1a1aa";
  HUB_ASSIGN_OR_RETURN(std::string nhs_digits, NormaliseNhsNumber(nhs_input));
  HUB_ASSIGN_OR_RETURN(auto nhs_ref, SubjectRefFromNhsNumber(subject_key, nhs_input));
  HUB_ASSIGN_OR_RETURN(std::string demo,
                       NormaliseDemographics(family_input, dob_input, postcode_input));
  HUB_ASSIGN_OR_RETURN(auto demo_ref, SubjectRefFromDemographics(subject_key, family_input,
                                                                 dob_input, postcode_input));

  // Header and body.
  sghub::v1::Header header;
  header.set_version(1);
  header.set_message_id(AsString(Counting<16>(0x10)));
  header.set_sender("nhs-north");
  header.add_recipients("council-east");
  header.add_recipients("police-west");
  header.set_kind(sghub::v1::ALERT_KIND_CONCERN);
  header.set_category(sghub::v1::CATEGORY_MATE_CRIME);
  header.set_urgency(sghub::v1::URGENCY_URGENT);
  header.set_purpose(sghub::v1::PURPOSE_SAFEGUARDING);
  header.set_created_at_ms(kCreatedAtMs);
  header.set_expires_at_ms(kExpiresAtMs);
  header.add_subject_refs(AsString(nhs_ref));
  header.add_subject_refs(AsString(demo_ref));
  auto* consent = header.mutable_consent();
  consent->set_state(sghub::v1::CONSENT_STATE_GIVEN);
  consent->mutable_scope()->add_recipient_kinds(sghub::v1::AGENCY_KIND_COUNCIL);
  consent->mutable_scope()->add_recipient_kinds(sghub::v1::AGENCY_KIND_POLICE);
  consent->mutable_scope()->add_purposes(sghub::v1::PURPOSE_SAFEGUARDING);
  consent->mutable_scope()->add_purposes(sghub::v1::PURPOSE_CRIME_PREVENTION);
  consent->mutable_scope()->set_expires_at_ms(kCreatedAtMs + 365 * 86'400'000LL);
  header.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_PUBLIC_TASK);
  header.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);

  sghub::v1::AlertBody body;
  body.set_message_id(header.message_id());
  body.set_sender(header.sender());
  body.add_recipients("council-east");
  body.add_recipients("police-west");
  body.mutable_person()->set_nhs_number(nhs_digits);
  body.mutable_person()->set_family_name("O'Brien");
  body.mutable_person()->set_date_of_birth("1960-02-01");
  body.mutable_person()->set_postcode("SW1A 1AA");
  body.mutable_incident()->set_summary("Test vector: not a real person.");
  body.mutable_voice()->set_own_words("I want it to stop.");
  body.mutable_voice()->set_wants_police(sghub::v1::PersonVoice::POLICE_INVOLVEMENT_WANTED);

  SealRandomnessForTest randomness{content_key, nonce, {council_ephemeral, police_ephemeral}};
  const std::vector<RecipientSealKey> recipients = {{"council-east", council.card().sealing},
                                                    {"police-west", police.card().sealing}};
  HUB_ASSIGN_OR_RETURN(
      std::string envelope_bytes,
      SealEnvelope(header, body, recipients, sender.signing_secret(), &randomness));
  HUB_ASSIGN_OR_RETURN(ParsedEnvelope parsed, ParseEnvelope(AsBytes(envelope_bytes), Limits{}));
  const sghub::v1::Envelope& env = parsed.envelope;
  sghub::v1::Submit submit;
  submit.set_envelope(envelope_bytes);
  HUB_ASSIGN_OR_RETURN(std::string frame, EncodeFrame(sghub::v1::FRAME_TYPE_SUBMIT, submit));

  // Notice.
  sghub::v1::NoticeBody notice_body;
  notice_body.set_notice_id(AsString(Counting<16>(0xf0)));
  notice_body.set_kind(sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
  notice_body.set_to("nhs-north");
  sghub::v1::Delivered* delivered = notice_body.add_delivered();
  delivered->set_message_id(header.message_id());
  delivered->set_recipient("council-east");
  notice_body.set_at_ms(kCreatedAtMs + 60'000);
  HUB_ASSIGN_OR_RETURN(sghub::v1::Notice notice, SignNotice(notice_body, hub.signing_secret()));

  auto recipient_json = [&](const AgencyKeys& r, const std::array<std::byte, 32>& secret,
                            const std::array<std::byte, 32>& ephemeral) {
    return ordered_json{{"id", r.card().id},
                        {"sealing_secret", Hex(secret)},
                        {"sealing_public", r.card().sealing.Hex()},
                        {"ephemeral_seed", Hex(ephemeral)}};
  };
  ordered_json wrapped = ordered_json::array();
  for (const auto& key : env.keys()) {
    wrapped.push_back({{"recipient", key.recipient()},
                       {"ephemeral_public", Hex(std::string_view(key.sealed_key()).substr(0, 32))},
                       {"sealed_key", Hex(key.sealed_key())}});
  }
  const std::string nhs_message = std::string("sghub.v1.subject.nhs") + '\0' + nhs_digits;
  const std::string demo_message = std::string("sghub.v1.subject.demo") + '\0' + demo;

  ordered_json out;
  out["version"] = 1;
  out["inputs"] = {
      {"sender",
       {{"id", "nhs-north"},
        {"signing_seed", Hex(sender_seed)},
        {"signing_public", sender.card().signing.Hex()}}},
      {"recipients",
       {recipient_json(council, council_secret, council_ephemeral),
        recipient_json(police, police_secret, police_ephemeral)}},
      {"content_key", Hex(content_key)},
      {"body_nonce", Hex(nonce)},
      {"hub", {{"signing_seed", Hex(hub_seed)}, {"signing_public", hub.card().signing.Hex()}}},
      {"subject_key", Hex(subject_key_bytes)},
      {"nhs_number", nhs_input},
      {"family_name", family_input},
      {"date_of_birth", dob_input},
      {"postcode", postcode_input}};
  out["subject_refs"] = {{"nhs_normalised", nhs_digits},
                         {"nhs_hashed_input", Hex(nhs_message)},
                         {"nhs_ref", Hex(nhs_ref)},
                         {"demographics_normalised_hex", Hex(demo)},
                         {"demographics_hashed_input", Hex(demo_message)},
                         {"demographics_ref", Hex(demo_ref)}};
  out["envelope"] = {
      {"header", Hex(env.header())},
      {"body_plaintext", Hex(body.SerializeAsString())},
      {"body_ciphertext", Hex(env.body_ciphertext())},
      {"ciphertext_digest", Hex(CiphertextDigest(env.body_nonce(), env.body_ciphertext()))},
      {"signed_message",
       Hex(EnvelopeSignedMessage(env.header(), env.body_nonce(), env.body_ciphertext()))},
      {"signature", Hex(env.signature())},
      {"wrapped_keys", wrapped},
      {"envelope", Hex(envelope_bytes)},
      {"submit_frame", Hex(frame)}};
  out["notice"] = {{"body", Hex(notice.body())},
                   {"signed_message", Hex(NoticeSignedMessage(notice.body()))},
                   {"signature", Hex(notice.signature())}};
  return out;
}

std::string RenderVectorsMarkdown(const ordered_json& v) {
  std::ostringstream md;
  auto line = [&](const std::string& name, const ordered_json& value) {
    md << name << " = " << value.get<std::string>() << "\n";
  };
  const auto& in = v["inputs"];
  md << "```text\n# inputs\n";
  line("sender.id", in["sender"]["id"]);
  line("sender.signing_seed", in["sender"]["signing_seed"]);
  line("sender.signing_public", in["sender"]["signing_public"]);
  for (const auto& r : in["recipients"]) {
    const std::string p = "recipient[" + r["id"].get<std::string>() + "].";
    line(p + "sealing_secret", r["sealing_secret"]);
    line(p + "sealing_public", r["sealing_public"]);
    line(p + "ephemeral_seed", r["ephemeral_seed"]);
  }
  line("content_key", in["content_key"]);
  line("body_nonce", in["body_nonce"]);
  line("hub.signing_seed", in["hub"]["signing_seed"]);
  line("hub.signing_public", in["hub"]["signing_public"]);
  line("subject_key", in["subject_key"]);
  md << "nhs_number = \"" << in["nhs_number"].get<std::string>() << "\"\n";
  md << "family_name = \"" << in["family_name"].get<std::string>() << "\"\n";
  md << "date_of_birth = \"" << in["date_of_birth"].get<std::string>() << "\"\n";
  md << "postcode = \"" << in["postcode"].get<std::string>() << "\"\n";
  md << "\n# subject references\n";
  const auto& s = v["subject_refs"];
  for (const char* k :
       {"nhs_hashed_input", "nhs_ref", "demographics_hashed_input", "demographics_ref"}) {
    line(k, s[k]);
  }
  md << "\n# envelope\n";
  const auto& e = v["envelope"];
  for (const char* k : {"header", "body_plaintext", "body_ciphertext", "ciphertext_digest",
                        "signed_message", "signature"}) {
    line(k, e[k]);
  }
  for (const auto& w : e["wrapped_keys"]) {
    const std::string p = "wrapped_key[" + w["recipient"].get<std::string>() + "].";
    line(p + "ephemeral_public", w["ephemeral_public"]);
    line(p + "sealed_key", w["sealed_key"]);
  }
  line("envelope", e["envelope"]);
  line("submit_frame", e["submit_frame"]);
  md << "\n# notice\n";
  for (const char* k : {"body", "signed_message", "signature"}) {
    line(std::string("notice.") + k, v["notice"][k]);
  }
  md << "```\n";
  return md.str();
}

}  // namespace hub::wire::vectors
