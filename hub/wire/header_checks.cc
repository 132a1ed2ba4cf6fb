#include "hub/wire/header_checks.h"

#include <set>
#include <string>

#include "hub/wire/agency_id.h"
#include "hub/wire/unknown_fields.h"
#include "hub/wire/wire_status.h"

namespace hub::wire {
namespace {

using sghub::v1::REASON_CODE_INVALID_FIELD;
using sghub::v1::REASON_CODE_MISSING_FIELD;

std::string Indexed(std::string_view field, int i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

// An enum field that must be set to a known, non-zero value.
template <typename IsValid>
Status RequireEnum(int value, std::string_view field, IsValid is_valid) {
  if (value == 0) {
    return FieldError(REASON_CODE_MISSING_FIELD, field, "is required (0 means unspecified)");
  }
  if (!is_valid(value)) {
    return FieldError(REASON_CODE_INVALID_FIELD, field,
                      std::to_string(value) + " is not a known value");
  }
  return Status::Ok();
}

Status CheckAgencyId(const std::string& id, std::string_view field) {
  if (Status s = ValidateAgencyId(id); !s.ok()) {
    // ValidateAgencyId says "agency id ..."; keep its sentence, name our field.
    return FieldError(REASON_CODE_INVALID_FIELD, field, s.message());
  }
  return Status::Ok();
}

}  // namespace

Status ValidateHeader(const sghub::v1::Header& header, size_t header_bytes, const Limits& limits) {
  if (header_bytes > limits.max_header_bytes) {
    return LimitError(sghub::v1::REASON_CODE_HEADER_TOO_LARGE, "envelope.header",
                      "header size in bytes", header_bytes, "max_header_bytes",
                      limits.max_header_bytes);
  }
  if (header.version() != kHeaderVersion) {
    return FieldError(REASON_CODE_INVALID_FIELD, "header.version",
                      "is " + std::to_string(header.version()) + "; sghub.v1 headers are 1");
  }
  if (header.message_id().empty()) {
    return FieldError(REASON_CODE_MISSING_FIELD, "header.message_id", "is required");
  }
  if (header.message_id().size() != kMessageIdBytes) {
    return FieldError(REASON_CODE_INVALID_FIELD, "header.message_id",
                      "must be 16 bytes, got " + std::to_string(header.message_id().size()));
  }
  if (header.sender().empty()) {
    return FieldError(REASON_CODE_MISSING_FIELD, "header.sender", "is required");
  }
  HUB_RETURN_IF_ERROR(CheckAgencyId(header.sender(), "header.sender"));

  const auto recipients = static_cast<uint32_t>(header.recipients_size());
  if (recipients == 0) {
    return FieldError(REASON_CODE_MISSING_FIELD, "header.recipients",
                      "at least one recipient is required");
  }
  if (recipients > limits.max_recipients) {
    return LimitError(sghub::v1::REASON_CODE_TOO_MANY_RECIPIENTS, "header.recipients",
                      "recipient count", recipients, "max_recipients", limits.max_recipients);
  }
  std::set<std::string> seen;
  for (int i = 0; i < header.recipients_size(); ++i) {
    const std::string field = Indexed("header.recipients", i);
    HUB_RETURN_IF_ERROR(CheckAgencyId(header.recipients(i), field));
    if (!seen.insert(header.recipients(i)).second) {
      return FieldError(REASON_CODE_INVALID_FIELD, field,
                        "recipient \"" + header.recipients(i) + "\" is listed twice");
    }
  }

  HUB_RETURN_IF_ERROR(RequireEnum(header.kind(), "header.kind", sghub::v1::AlertKind_IsValid));
  // A concern or an update is about a form of abuse; outcomes, consent changes and
  // information requests answer or concern a person and need not repeat it.
  if (header.kind() == sghub::v1::ALERT_KIND_CONCERN ||
      header.kind() == sghub::v1::ALERT_KIND_UPDATE) {
    HUB_RETURN_IF_ERROR(
        RequireEnum(header.category(), "header.category", sghub::v1::Category_IsValid));
  }
  HUB_RETURN_IF_ERROR(RequireEnum(header.urgency(), "header.urgency", sghub::v1::Urgency_IsValid));
  HUB_RETURN_IF_ERROR(RequireEnum(header.purpose(), "header.purpose", sghub::v1::Purpose_IsValid));
  HUB_RETURN_IF_ERROR(RejectUnknownEnumValues(header, "header"));

  if (header.created_at_ms() <= 0) {
    return FieldError(
        header.created_at_ms() == 0 ? REASON_CODE_MISSING_FIELD : REASON_CODE_INVALID_FIELD,
        "header.created_at_ms", "must be a positive Unix time in milliseconds");
  }
  if (header.expires_at_ms() <= header.created_at_ms()) {
    return FieldError(REASON_CODE_INVALID_FIELD, "header.expires_at_ms",
                      "must be later than header.created_at_ms");
  }

  const auto refs = static_cast<uint32_t>(header.subject_refs_size());
  if (refs == 0) {
    return FieldError(REASON_CODE_MISSING_FIELD, "header.subject_refs",
                      "at least one subject reference is required");
  }
  if (refs > limits.max_subject_refs) {
    return LimitError(sghub::v1::REASON_CODE_TOO_MANY_SUBJECT_REFS, "header.subject_refs",
                      "subject reference count", refs, "max_subject_refs", limits.max_subject_refs);
  }
  for (int i = 0; i < header.subject_refs_size(); ++i) {
    if (header.subject_refs(i).size() != kSubjectRefBytes) {
      return FieldError(REASON_CODE_INVALID_FIELD, Indexed("header.subject_refs", i),
                        "must be 32 bytes, got " + std::to_string(header.subject_refs(i).size()));
    }
  }
  if (!header.in_reply_to().empty() && header.in_reply_to().size() != kMessageIdBytes) {
    return FieldError(REASON_CODE_INVALID_FIELD, "header.in_reply_to",
                      "must be empty or a 16-byte message id, got " +
                          std::to_string(header.in_reply_to().size()) + " bytes");
  }
  return Status::Ok();
}

}  // namespace hub::wire
