#include "adapters/codecs/alert_checks.h"

#include <algorithm>
#include <utility>

namespace hub::codecs {
namespace {

using sghub::v1::Consent;

void CheckConsent(const Consent& c, const ConsentPaths& p, std::vector<FieldError>* errors) {
  switch (c.state()) {
    case sghub::v1::CONSENT_STATE_UNSPECIFIED:
      AddErrorOnce(errors, p.state, "required: the person's consent position");
      break;
    case sghub::v1::CONSENT_STATE_GIVEN:
      if (c.scope().recipient_kinds().empty()) {
        AddErrorOnce(errors, p.scope_recipient_kinds,
                     "required when consent is given: which kinds of agency it covers");
      }
      if (c.scope().purposes().empty()) {
        AddErrorOnce(errors, p.scope_purposes,
                     "required when consent is given: which purposes it covers");
      }
      if (c.scope().expires_at_ms() == 0) {
        AddErrorOnce(errors, p.scope_expires_at,
                     "required when consent is given: consent must have an end date");
      }
      break;
    case sghub::v1::CONSENT_STATE_NOT_SOUGHT:
      if (c.not_sought_reason() == sghub::v1::NOT_SOUGHT_REASON_UNSPECIFIED) {
        AddErrorOnce(errors, p.not_sought_reason, "required when consent was not sought");
      }
      break;
    case sghub::v1::CONSENT_STATE_LACKS_CAPACITY:
      if (c.capacity_assessment_ref().empty()) {
        AddErrorOnce(errors, p.capacity_assessment_ref,
                     "required when the person lacks capacity: the capacity assessment");
      }
      if (c.capacity_decision_by() == sghub::v1::CAPACITY_DECISION_BY_UNSPECIFIED) {
        AddErrorOnce(errors, p.capacity_decision_by,
                     "required when the person lacks capacity: who decided (best interests, "
                     "LPA or deputy)");
      }
      break;
    default:
      break;
  }

  const bool has_basis = c.override_basis() != sghub::v1::OVERRIDE_BASIS_UNSPECIFIED;
  if (!has_basis) {
    if (c.has_decision()) {
      AddErrorOnce(errors, p.override_basis, "required when a decision record is given");
    }
    return;
  }
  const sghub::v1::DecisionRecord& d = c.decision();
  if (d.decided_by_name().empty()) {
    AddErrorOnce(errors, p.decided_by_name, "required when basis is set");
  }
  if (d.decided_by_role().empty()) {
    AddErrorOnce(errors, p.decided_by_role, "required when basis is set");
  }
  if (d.decided_by_organisation().empty()) {
    AddErrorOnce(errors, p.decided_by_organisation, "required when basis is set");
  }
  if (d.decided_at_ms() == 0) {
    AddErrorOnce(errors, p.decided_at, "required when basis is set");
  }
  if (d.reason().empty()) {
    AddErrorOnce(errors, p.decision_reason,
                 "required when basis is set: why sharing without consent is necessary and "
                 "proportionate");
  }
  if (d.advice_sought() == sghub::v1::ADVICE_SOUGHT_UNSPECIFIED) {
    AddErrorOnce(errors, p.advice_sought, "required when basis is set (\"none\" if none)");
  }
  if (d.person_told() == sghub::v1::PERSON_TOLD_UNSPECIFIED) {
    AddErrorOnce(errors, p.person_told, "required when basis is set");
  } else if (d.person_told() == sghub::v1::PERSON_TOLD_NOT_TOLD && d.not_told_reason().empty()) {
    AddErrorOnce(errors, p.not_told_reason, "required when the person was not told");
  }
}

}  // namespace

void ClearEmptyParts(InboundAlert* a) {
  sghub::v1::AlertBody& b = a->body;
  if (b.has_person() && b.person().ByteSizeLong() == 0) {
    b.clear_person();
  }
  if (b.has_incident() && b.incident().ByteSizeLong() == 0) {
    b.clear_incident();
  }
  if (b.has_voice() && b.voice().ByteSizeLong() == 0) {
    b.clear_voice();
  }
  if (b.has_practitioner() && b.practitioner().ByteSizeLong() == 0) {
    b.clear_practitioner();
  }
  if (b.has_outcome() && b.outcome().ByteSizeLong() == 0) {
    b.clear_outcome();
  }
  sghub::v1::Consent& c = a->consent;
  if (c.has_scope() && c.scope().ByteSizeLong() == 0) {
    c.clear_scope();
  }
  if (c.has_decision() && c.decision().ByteSizeLong() == 0) {
    c.clear_decision();
  }
}

void FinishDecode(InboundAlert alert, const AlertPaths& paths, DecodeResult* result) {
  CheckAlertComplete(alert, paths, &result->errors);
  if (result->errors.empty()) {
    ClearEmptyParts(&alert);
    result->alert = std::move(alert);
  }
}

std::optional<int64_t> ExpiresInMsFromMinutes(int64_t minutes) {
  if (minutes <= 0 || minutes > kMaxExpiresInMinutes) {
    return std::nullopt;
  }
  return minutes * 60'000;
}

void AddErrorOnce(std::vector<FieldError>* errors, const std::string& field, std::string reason) {
  const bool named = std::any_of(errors->begin(), errors->end(),
                                 [&field](const FieldError& e) { return e.field == field; });
  if (!named) {
    errors->push_back({field, std::move(reason)});
  }
}

void CheckAlertComplete(const InboundAlert& a, const AlertPaths& p,
                        std::vector<FieldError>* errors) {
  using namespace sghub::v1;  // NOLINT(google-build-using-namespace): enum values only
  const AlertKind kind = a.kind;
  if (kind == ALERT_KIND_UNSPECIFIED) {
    AddErrorOnce(errors, p.kind, "required: what kind of alert this is");
  }
  if (a.urgency == URGENCY_UNSPECIFIED) {
    AddErrorOnce(errors, p.urgency, "required");
  }
  if (a.purpose == PURPOSE_UNSPECIFIED) {
    AddErrorOnce(errors, p.purpose, "required");
  }
  if ((kind == ALERT_KIND_CONCERN || kind == ALERT_KIND_UPDATE) &&
      a.category == CATEGORY_UNSPECIFIED) {
    AddErrorOnce(errors, p.category, "required for a concern or update: the abuse category");
  }
  if ((kind == ALERT_KIND_OUTCOME || kind == ALERT_KIND_UPDATE) && a.in_reply_to_hex.empty()) {
    AddErrorOnce(errors, p.in_reply_to,
                 "required for an outcome or update: the message id of the concern");
  }
  if (kind == ALERT_KIND_OUTCOME) {
    if (a.outcome_code == OUTCOME_CODE_UNSPECIFIED) {
      AddErrorOnce(errors, p.outcome_code, "required for an outcome");
    } else if (a.outcome_code == OUTCOME_CODE_CRIME_RECORDED &&
               a.body.outcome().crime_reference().empty()) {
      AddErrorOnce(errors, p.crime_reference, "required when the outcome is crime_recorded");
    } else if (a.outcome_code == OUTCOME_CODE_NO_FURTHER_ACTION &&
               a.body.outcome().detail().empty()) {
      AddErrorOnce(errors, p.outcome_detail,
                   "required when the outcome is no_further_action: the reason");
    }
  }
  if (kind == ALERT_KIND_CONCERN && a.body.incident().summary().empty()) {
    AddErrorOnce(errors, p.summary, "required for a concern: what happened");
  }
  if (kind == ALERT_KIND_INFO_REQUEST && a.body.request().empty()) {
    AddErrorOnce(errors, p.request, "required for an information request: what is asked and why");
  }
  if (kind == ALERT_KIND_CONCERN && a.body.practitioner().name().empty()) {
    AddErrorOnce(errors, p.practitioner_name, "required for a concern: who raised it");
  }

  // The SDK derives the pseudonymous subject references from these identifiers: an NHS
  // number, or family name + date of birth + postcode.
  const Person& person = a.body.person();
  if (person.nhs_number().empty()) {
    const std::string why = "required when there is no valid NHS number";
    if (person.family_name().empty()) {
      AddErrorOnce(errors, p.family_name, why);
    }
    if (person.date_of_birth().empty()) {
      AddErrorOnce(errors, p.date_of_birth, why);
    }
    if (person.postcode().empty()) {
      AddErrorOnce(errors, p.postcode, why);
    }
  }

  if (a.lawful_basis.art6() == ART6_BASIS_UNSPECIFIED) {
    AddErrorOnce(errors, p.art6, "required: the UK GDPR Article 6 basis");
  }
  if (a.lawful_basis.art9() == ART9_CONDITION_UNSPECIFIED) {
    AddErrorOnce(errors, p.art9, "required: the Article 9 / DPA 2018 condition");
  }
  CheckConsent(a.consent, p.consent, errors);
}

}  // namespace hub::codecs
