// FhirBundle indexes the resources of a FHIR R4 Bundle so references can be resolved the
// ways real NHS systems write them: by entry fullUrl ("urn:uuid:..." or an absolute URL) and
// by "ResourceType/id" (relative or at the end of an absolute URL). It also has the small
// JSON helpers the FHIR codec reads with. Borrows the parsed document; never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/codecs/codec.h"

namespace hub::codecs {

// The base URL of every extension and code system sghub defines for FHIR.
inline constexpr std::string_view kSghubFhirBase = "https://sghub.example/fhir/";
inline constexpr std::string_view kSghubExtensionBase =
    "https://sghub.example/fhir/StructureDefinition/";

struct FhirResource {
  const nlohmann::json* json = nullptr;  // the resource object
  std::string path;                      // JSON pointer, e.g. "/entry/3/resource"
  std::string type;                      // resourceType
  std::string full_url;
};

// One extension found on an element, with its JSON pointer.
struct FhirExtension {
  const nlohmann::json* json = nullptr;
  std::string path;  // e.g. "/entry/1/resource/extension/2"
};

class FhirBundle {
 public:
  // Indexes bundle["entry"]; records an error for each entry without a resource object or
  // resourceType, and for duplicate fullUrls (a reference to them would be ambiguous).
  FhirBundle(const nlohmann::json& bundle, std::vector<FieldError>* errors);

  const std::vector<FhirResource>& resources() const { return resources_; }
  std::vector<const FhirResource*> OfType(std::string_view type) const;

  // Resolves a Reference object ({"reference": "..."}); null when absent or not found.
  const FhirResource* Resolve(const nlohmann::json* reference) const;
  const FhirResource* ResolveString(std::string_view reference) const;

 private:
  std::vector<FhirResource> resources_;
};

// j[key] when j is an object that has it (and it is not null); else null.
const nlohmann::json* Member(const nlohmann::json* j, std::string_view key);
// The string at j[key], or "" when absent or not a string.
std::string StringAt(const nlohmann::json* j, std::string_view key);
// The element's extensions whose url is kSghubExtensionBase + name (or, inside a complex
// extension, exactly `name`).
std::vector<FhirExtension> Extensions(const nlohmann::json* element, const std::string& path,
                                      std::string_view name, bool relative = false);
// The path an absent sghub extension is reported at: "<path>/extension[<name>]".
std::string MissingExtensionPath(const std::string& path, std::string_view name);
// The codeable's text, else a coding's display, else a coding's code ("" if none).
std::string ConceptText(const nlohmann::json* codeable);
// True when any coding of the CodeableConcept has this code.
bool ConceptHasCode(const nlohmann::json* codeable, std::string_view code);

}  // namespace hub::codecs
