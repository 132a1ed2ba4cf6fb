#include "adapters/sdk/alert_sealer.h"

#include <sodium.h>

#include "hub/wire/envelope.h"
#include "hub/wire/subject_ref.h"

namespace hub::sdk {
namespace {

Status FieldError(std::string_view field, std::string why) {
  return Status::InvalidArgument(std::string(field) + ": " + why)
      .WithReason(sghub::v1::REASON_CODE_INVALID_FIELD, std::string(field));
}

Result<std::string> HexToBytes(std::string_view hex, std::string_view field) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  if (hex.size() != 32 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != 16) {
    return FieldError(field, "must be a message id of 32 hex characters");
  }
  return out;
}

std::string RefBytes(const std::array<std::byte, 32>& ref) {
  return std::string(reinterpret_cast<const char*>(ref.data()), ref.size());
}

}  // namespace

AlertSealer::AlertSealer(const AdapterConfig& config, const wire::AgencyKeys& keys,
                         const wire::SubjectKey& subject_key, const PeerDirectory& peers,
                         const Clock& clock)
    : config_(config), keys_(keys), subject_key_(subject_key), peers_(peers), clock_(clock) {}

Result<SealedAlert> AlertSealer::Seal(const codecs::InboundAlert& alert,
                                      const std::vector<std::string>& fallback_recipients) const {
  const std::vector<std::string>& recipients = !alert.recipients.empty() ? alert.recipients
                                               : !fallback_recipients.empty()
                                                   ? fallback_recipients
                                                   : config_.default_recipients;
  if (recipients.empty()) {
    return FieldError("recipients",
                      "no recipient: the document names none and [defaults] recipients is empty");
  }
  std::vector<wire::RecipientSealKey> seal_keys;
  for (const std::string& r : recipients) {
    const wire::AgencyCard* card = peers_.Find(r);
    if (card == nullptr) {
      return FieldError("recipients", "no card for recipient '" + r +
                                          "': add its .card.toml to the peers directory");
    }
    seal_keys.push_back({r, card->sealing});
  }

  sghub::v1::Header h;
  h.set_version(1);
  std::string id(16, '\0');
  randombytes_buf(id.data(), id.size());
  h.set_message_id(id);
  h.set_sender(config_.agency_id);
  for (const std::string& r : recipients) {
    h.add_recipients(r);
  }
  h.set_kind(alert.kind);
  h.set_category(alert.category);
  h.set_urgency(alert.urgency);
  h.set_purpose(alert.purpose != sghub::v1::PURPOSE_UNSPECIFIED ? alert.purpose
                                                                : config_.default_purpose);
  const int64_t now = clock_.NowMs();
  h.set_created_at_ms(now);
  int64_t lifetime = alert.expires_in_ms;
  if (lifetime <= 0) {
    auto it = config_.lifetime_ms.find(alert.urgency);
    lifetime = it != config_.lifetime_ms.end() ? it->second : 24LL * 3600 * 1000;
  }
  h.set_expires_at_ms(now + lifetime);

  // Subject references: the NHS number when known, and the demographics when complete, so
  // that alerts from agencies that know only one of them still link.
  const sghub::v1::Person& person = alert.body.person();
  if (!person.nhs_number().empty()) {
    auto ref = wire::SubjectRefFromNhsNumber(subject_key_, person.nhs_number());
    if (!ref.ok()) {
      return FieldError("person.nhs_number", "is not a valid NHS number");
    }
    h.add_subject_refs(RefBytes(*ref));
  }
  if (!person.family_name().empty() && !person.date_of_birth().empty() &&
      !person.postcode().empty()) {
    auto ref = wire::SubjectRefFromDemographics(subject_key_, person.family_name(),
                                                person.date_of_birth(), person.postcode());
    if (ref.ok()) {
      h.add_subject_refs(RefBytes(*ref));
    } else if (h.subject_refs_size() == 0) {
      return FieldError("person." + ref.status().field(), ref.status().message());
    }
  }
  if (h.subject_refs_size() == 0) {
    return FieldError("person",
                      "cannot identify the person: give a valid NHS number, or family name, "
                      "date of birth and postcode");
  }

  *h.mutable_consent() = alert.consent;
  *h.mutable_lawful_basis() = alert.lawful_basis;
  if (h.lawful_basis().art6() == sghub::v1::ART6_BASIS_UNSPECIFIED) {
    h.mutable_lawful_basis()->set_art6(config_.default_lawful_basis.art6());
  }
  if (h.lawful_basis().art9() == sghub::v1::ART9_CONDITION_UNSPECIFIED) {
    h.mutable_lawful_basis()->set_art9(config_.default_lawful_basis.art9());
  }
  if (!alert.in_reply_to_hex.empty()) {
    HUB_ASSIGN_OR_RETURN(std::string reply, HexToBytes(alert.in_reply_to_hex, "in_reply_to"));
    h.set_in_reply_to(reply);
  }
  h.set_outcome_code(alert.outcome_code);

  sghub::v1::AlertBody body = alert.body;
  body.set_message_id(id);
  body.set_sender(config_.agency_id);
  body.clear_recipients();
  for (const std::string& r : recipients) {
    body.add_recipients(r);
  }
  HUB_ASSIGN_OR_RETURN(std::string envelope,
                       wire::SealEnvelope(h, body, seal_keys, keys_.signing_secret()));

  SealedAlert sealed;
  sealed.message_id = id;
  sealed.envelope = std::move(envelope);
  sealed.created_ms = now;
  sealed.expires_ms = h.expires_at_ms();
  sealed.header = std::move(h);
  return sealed;
}

}  // namespace hub::sdk
