// A Codec converts one agency's own document format to and from the hub's model.
//
// Decode reads a document the agency's system produced (a FHIR Bundle, a council referral, a
// police notification) and returns everything the adapter SDK needs to build a signed header
// and a sealed body, or every field problem it found. Encode renders an alert, outcome or
// notice that arrived from the hub in the agency's format.
//
// Codecs are pure: no I/O, no sockets, no crypto, no logging of content. They never throw;
// malformed, oversized or deeply nested input gives field errors. Implementations are
// stateless and safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/result.h"
#include "sghub/v1/alert.pb.h"
#include "sghub/v1/common.pb.h"
#include "sghub/v1/envelope.pb.h"
#include "sghub/v1/frames.pb.h"

namespace hub::codecs {

// One problem with an input document: a JSON-pointer-like path and why.
struct FieldError {
  std::string field;   // e.g. "/consent/override/decision/decided_by_name"
  std::string reason;  // e.g. "required when basis is set"

  friend bool operator==(const FieldError&, const FieldError&) = default;
};

// What a codec reads out of an agency document: everything the SDK needs to build a header
// and a body.
struct InboundAlert {
  sghub::v1::AlertKind kind = sghub::v1::ALERT_KIND_UNSPECIFIED;
  sghub::v1::Category category = sghub::v1::CATEGORY_UNSPECIFIED;
  sghub::v1::Urgency urgency = sghub::v1::URGENCY_UNSPECIFIED;
  sghub::v1::Purpose purpose = sghub::v1::PURPOSE_UNSPECIFIED;
  std::vector<std::string> recipients;  // agency ids if the document names them; may be empty
  sghub::v1::Consent consent;
  sghub::v1::LawfulBasis lawful_basis;
  std::string in_reply_to_hex;          // OUTCOME/UPDATE: the concern's message id, 32 hex chars
  sghub::v1::OutcomeCode outcome_code = sghub::v1::OUTCOME_CODE_UNSPECIFIED;
  sghub::v1::AlertBody body;            // message_id/sender/recipients left empty (SDK fills them)
  int64_t expires_in_ms = 0;            // 0: default by urgency
};

// Decode either succeeds (alert set, errors empty) or returns EVERY field problem found.
struct DecodeResult {
  std::optional<InboundAlert> alert;
  std::vector<FieldError> errors;

  bool ok() const { return alert.has_value() && errors.empty(); }
};

// What a codec renders for the agency's system when a delivery or an outcome arrives.
struct DeliveredAlert {
  sghub::v1::Header header;
  sghub::v1::AlertBody body;
};

// The interface every codec implements. Register implementations by name in a CodecRegistry.
class Codec {
 public:
  virtual ~Codec() = default;

  // The registry name: "fhir_r4", "council_json" or "police_json".
  virtual std::string_view name() const = 0;

  // Reads one agency document. On success `alert` is set and `errors` is empty; otherwise
  // `alert` is empty and `errors` lists every problem found, each naming its field.
  virtual DecodeResult Decode(std::string_view document) const = 0;

  // Renders a delivered alert (or outcome) in the agency's format. Fails with
  // InvalidArgument only when the alert cannot be represented (e.g. a bad timestamp).
  virtual Result<std::string> Encode(const DeliveredAlert& alert) const = 0;

  // Renders a hub notice (delivery report, escalation, withdrawal...) in the agency's format.
  virtual Result<std::string> EncodeNotice(const sghub::v1::NoticeBody& notice) const = 0;

  // The file name extension of the documents this codec reads and writes, e.g. ".json".
  virtual std::string_view file_extension() const = 0;
};

using CodecPtr = std::unique_ptr<Codec>;

// One line per field: "field: reason". Empty for no errors.
std::string FormatFieldErrors(const std::vector<FieldError>& errors);

}  // namespace hub::codecs
