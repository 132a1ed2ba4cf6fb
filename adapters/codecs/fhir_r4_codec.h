// fhir_r4: NHS mental-health systems' HL7 FHIR R4 (UK Core) JSON.
//
// Decode reads a Bundle of type "message" or "collection": Patient, Flag (category SG
// "Safeguarding Concern"), Consent, ServiceRequest or Communication, Practitioner /
// PractitionerRole. Safeguarding facts FHIR has no element for (abuse category, lawful basis,
// override decision, the person's voice...) come from extensions under kSghubExtensionBase.
// A bundle that lacks what an alert needs is refused with one error per missing or invalid
// field; nothing is guessed. Encode writes a message Bundle (MessageHeader, Communication,
// Flag, Patient, Practitioner, Consent). The mapping: docs/adapters/nhs_mh.md.
//
// Decode lives in fhir_r4_decode.cc, Encode and EncodeNotice in fhir_r4_encode.cc.
#pragma once

#include "adapters/codecs/codec.h"

namespace hub::codecs {

class FhirR4Codec final : public Codec {
 public:
  std::string_view name() const override { return "fhir_r4"; }
  DecodeResult Decode(std::string_view document) const override;
  Result<std::string> Encode(const DeliveredAlert& alert) const override;
  Result<std::string> EncodeNotice(const sghub::v1::NoticeBody& notice) const override;
  std::string_view file_extension() const override { return ".json"; }
};

}  // namespace hub::codecs
