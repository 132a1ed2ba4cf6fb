#include "hub/core/accept_path.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "sghub/v1/common.pb.h"

namespace hub::core {
namespace {

using sghub::v1::ReasonCode;

Status Refuse(ReasonCode code, std::string field, std::string reason) {
  return Status::InvalidArgument(std::move(reason)).WithReason(code, std::move(field));
}

Status CheckTimes(const sghub::v1::Header& h, const config::HubConfig& config, int64_t now_ms) {
  if (h.created_at_ms() > now_ms + config.max_clock_skew_ms) {
    return Refuse(sghub::v1::REASON_CODE_FUTURE_DATED, "header.created_at_ms",
                  "the alert is dated " + std::to_string(h.created_at_ms() - now_ms) +
                      " ms in the future, beyond the hub's clock-skew bound of " +
                      std::to_string(config.max_clock_skew_ms) + " ms; check the sender's clock");
  }
  if (h.expires_at_ms() <= now_ms) {
    return Refuse(sghub::v1::REASON_CODE_EXPIRED, "header.expires_at_ms",
                  "the alert expired before the hub received it; raise it again");
  }
  if (h.created_at_ms() < now_ms - kMaxAlertLifetimeMs - config.max_clock_skew_ms) {
    return Refuse(sghub::v1::REASON_CODE_EXPIRED, "header.created_at_ms",
                  "the alert was created more than 30 days ago; raise it again");
  }
  if (h.expires_at_ms() - h.created_at_ms() > kMaxAlertLifetimeMs) {
    return Refuse(sghub::v1::REASON_CODE_INVALID_FIELD, "header.expires_at_ms",
                  "an alert may live at most 30 days after it was created");
  }
  return Status::Ok();
}

Status CheckKindFields(const sghub::v1::Header& h) {
  switch (h.kind()) {
    case sghub::v1::ALERT_KIND_OUTCOME:
      if (h.in_reply_to().size() != 16) {
        return Refuse(sghub::v1::REASON_CODE_MISSING_FIELD, "header.in_reply_to",
                      "an OUTCOME must name the 16-byte message id of the alert it answers");
      }
      if (h.outcome_code() == sghub::v1::OUTCOME_CODE_UNSPECIFIED ||
          !sghub::v1::OutcomeCode_IsValid(h.outcome_code())) {
        return Refuse(sghub::v1::REASON_CODE_MISSING_FIELD, "header.outcome_code",
                      "an OUTCOME must say what was decided or done (outcome_code)");
      }
      break;
    case sghub::v1::ALERT_KIND_UPDATE:
      if (h.in_reply_to().size() != 16) {
        return Refuse(sghub::v1::REASON_CODE_MISSING_FIELD, "header.in_reply_to",
                      "an UPDATE must name the 16-byte message id of the concern it updates");
      }
      break;
    case sghub::v1::ALERT_KIND_CONSENT_CHANGE:
      if (h.consent().state() == sghub::v1::CONSENT_STATE_UNSPECIFIED) {
        return Refuse(sghub::v1::REASON_CODE_MISSING_FIELD, "header.consent.state",
                      "a CONSENT_CHANGE must carry the new consent state");
      }
      break;
    default:
      if (!h.in_reply_to().empty() && h.in_reply_to().size() != 16) {
        return Refuse(sghub::v1::REASON_CODE_INVALID_FIELD, "header.in_reply_to",
                      "in_reply_to must be a 16-byte message id");
      }
      break;
  }
  if (h.kind() != sghub::v1::ALERT_KIND_OUTCOME &&
      h.outcome_code() != sghub::v1::OUTCOME_CODE_UNSPECIFIED) {
    return Refuse(sghub::v1::REASON_CODE_INVALID_FIELD, "header.outcome_code",
                  "only an OUTCOME carries an outcome_code");
  }
  return Status::Ok();
}

}  // namespace

std::string EnvelopeHash(ByteView envelope) {
  std::string hash(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                     reinterpret_cast<const unsigned char*>(envelope.data()), envelope.size(),
                     nullptr, 0);
  return hash;
}

Result<wire::ParsedEnvelope> AuthenticateSubmission(ByteView envelope,
                                                    std::string_view connection_agency,
                                                    const AgencyRegistry& registry,
                                                    const wire::Limits& limits) {
  const config::AgencyEntry* sender = registry.Find(connection_agency);
  if (!AgencyRegistry::IsAdmitted(sender)) {
    return Status::Unauthenticated("the connection's agency is not registered or is revoked")
        .WithReason(sghub::v1::REASON_CODE_UNKNOWN_SENDER, "connection");
  }
  HUB_ASSIGN_OR_RETURN(wire::ParsedEnvelope parsed, wire::ParseEnvelope(envelope, limits));
  if (parsed.header.sender() != connection_agency) {
    return Status::Unauthenticated("the header names sender '" + parsed.header.sender() +
                                   "' but the connection is authenticated as '" +
                                   std::string(connection_agency) + "'")
        .WithReason(sghub::v1::REASON_CODE_SENDER_MISMATCH, "header.sender");
  }
  HUB_RETURN_IF_ERROR(wire::VerifyEnvelopeSignature(parsed, sender->card.signing));
  return parsed;
}

Result<std::vector<policy::Decision>> CheckSubmission(const wire::ParsedEnvelope& parsed,
                                                      const AgencyRegistry& registry,
                                                      const config::HubConfig& config,
                                                      const policy::PolicyEngine& policy,
                                                      const policy::SubjectConsentHistory& history,
                                                      std::string_view original_sender,
                                                      int64_t now_ms) {
  const sghub::v1::Header& h = parsed.header;
  HUB_RETURN_IF_ERROR(CheckTimes(h, config, now_ms));
  HUB_RETURN_IF_ERROR(CheckKindFields(h));

  std::vector<policy::RecipientInfo> recipients;
  for (int i = 0; i < h.recipients_size(); ++i) {
    const std::string& id = h.recipients(i);
    std::string field = "header.recipients[" + std::to_string(i) + "]";
    if (id == h.sender()) {
      return Refuse(sghub::v1::REASON_CODE_INVALID_FIELD, field,
                    "an agency cannot address an alert to itself");
    }
    if (id == config.hub_id) {
      return Refuse(sghub::v1::REASON_CODE_INVALID_FIELD, field,
                    "the hub is not a recipient of alerts");
    }
    const config::AgencyEntry* entry = registry.Find(id);
    if (entry == nullptr) {
      return Refuse(sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT, field,
                    "recipient '" + id + "' is not a registered agency");
    }
    if (entry->revoked) {
      return Refuse(sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT, field,
                    "recipient '" + id + "' has been revoked and can no longer receive alerts");
    }
    recipients.push_back({id, entry->card.kind, !original_sender.empty() && id == original_sender});
  }
  return policy.Decide(h, recipients, history, now_ms);
}

}  // namespace hub::core

namespace hub::core {

std::string DecisionAuditDetail(const sghub::v1::Header& h, const policy::Decision& d) {
  nlohmann::json j{{"rule", d.rule},
                   {"kind", h.kind()},
                   {"category", h.category()},
                   {"consent_state", h.consent().state()},
                   {"consent_based", d.consent_based},
                   {"art6", h.lawful_basis().art6()},
                   {"art9", h.lawful_basis().art9()}};
  if (!d.consent_based && d.verdict == policy::Verdict::kAllow) {
    const auto& rec = h.consent().decision();
    j["basis"] = d.basis_used;
    j["decided_by_role"] = rec.decided_by_role();
    j["decided_by_organisation"] = rec.decided_by_organisation();
    j["decided_at_ms"] = rec.decided_at_ms();
    j["advice_sought"] = rec.advice_sought();
    j["person_told"] = rec.person_told();
    j["shown_not_consented"] = d.shown_not_consented;
  }
  return j.dump();
}

std::string BestEffortMessageId(std::string_view envelope_bytes) {
  sghub::v1::Envelope envelope;
  sghub::v1::Header header;
  if (envelope_bytes.size() > (1u << 20) ||
      !envelope.ParseFromArray(envelope_bytes.data(), static_cast<int>(envelope_bytes.size())) ||
      !header.ParseFromString(envelope.header()) || header.message_id().size() != 16) {
    return {};
  }
  return header.message_id();
}

std::string ShortId(const std::string& message_id) { return HexEncode(AsBytes(message_id)); }

std::string JoinedSubjectRefs(const sghub::v1::Header& h) {
  std::string out;
  for (const auto& ref : h.subject_refs()) {
    out += ref;
  }
  return out;
}

}  // namespace hub::core
