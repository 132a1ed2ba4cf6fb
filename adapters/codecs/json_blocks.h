// The JSON blocks the council and police formats share: person, consent, lawful basis,
// risks and contacts. Both formats use the same keys for these so a practitioner who knows
// one knows the other; see docs/adapters/council.md for the schema.
//
// Readers record every problem in the reader's error list and fill what they could; the
// writers omit empty fields, so encoding then decoding gives back the same values.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/codecs/alert_checks.h"
#include "adapters/codecs/json_object_reader.h"
#include "sghub/v1/alert.pb.h"
#include "sghub/v1/envelope.pb.h"
#include "sghub/v1/frames.pb.h"

namespace hub::codecs {

void ReadPersonJson(JsonObjectReader r, sghub::v1::Person* out);
nlohmann::json PersonJson(const sghub::v1::Person& person);

// `narrative` receives the "narrative" key (how consent was discussed).
void ReadConsentJson(JsonObjectReader r, sghub::v1::Consent* out, std::string* narrative);
nlohmann::json ConsentJson(const sghub::v1::Consent& consent, const std::string& narrative);
// The paths of the consent block's fields under `base` (e.g. "/consent").
ConsentPaths ConsentPathsUnder(const std::string& base);

void ReadLawfulBasisJson(JsonObjectReader r, sghub::v1::LawfulBasis* out);
nlohmann::json LawfulBasisJson(const sghub::v1::LawfulBasis& basis);

void ReadRiskJson(JsonObjectReader r, sghub::v1::Risk* out);
nlohmann::json RiskJson(const sghub::v1::Risk& risk);

void ReadContactJson(JsonObjectReader r, sghub::v1::Contact* out);
nlohmann::json ContactJson(const sghub::v1::Contact& contact);

// Sets j[key] when the value is not empty / not unspecified.
void PutString(nlohmann::json& j, const char* key, const std::string& value);
void PutStrings(nlohmann::json& j, const char* key,
                const google::protobuf::RepeatedPtrField<std::string>& values);
// Sets j[key] to the ISO 8601 form of `ms` unless it is 0 (unset).
void PutTimestamp(nlohmann::json& j, const char* key, int64_t ms);
template <typename E>
void PutEnum(nlohmann::json& j, const char* key, E value) {
  std::string name = EnumName(value);
  if (!name.empty()) {
    j[key] = std::move(name);
  }
}

// Assigns *out = *v when v is set.
template <typename T, typename U>
void Assign(const std::optional<T>& v, U setter) {
  if (v) {
    setter(*v);
  }
}

// The document text, or InvalidArgument if it cannot be written (never throws).
Result<std::string> DumpJson(const nlohmann::json& j);

// A hub notice as the council and police formats write it (see docs/adapters/council.md).
nlohmann::json NoticeJson(const sghub::v1::NoticeBody& notice);

// Hex of a bytes field ("" when empty).
std::string HexOf(const std::string& bytes);

}  // namespace hub::codecs
