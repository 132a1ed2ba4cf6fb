#include "adapters/codecs/fhir_bundle.h"

#include <set>

namespace hub::codecs {

const nlohmann::json* Member(const nlohmann::json* j, std::string_view key) {
  if (j == nullptr || !j->is_object()) {
    return nullptr;
  }
  auto it = j->find(key);
  if (it == j->end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

std::string StringAt(const nlohmann::json* j, std::string_view key) {
  const nlohmann::json* v = Member(j, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

FhirBundle::FhirBundle(const nlohmann::json& bundle, std::vector<FieldError>* errors) {
  const nlohmann::json* entries = Member(&bundle, "entry");
  if (entries == nullptr || !entries->is_array()) {
    return;
  }
  std::set<std::string, std::less<>> urls;
  for (size_t i = 0; i < entries->size(); ++i) {
    const std::string entry_path = "/entry/" + std::to_string(i);
    const nlohmann::json& entry = (*entries)[i];
    const nlohmann::json* resource = Member(&entry, "resource");
    if (resource == nullptr || !resource->is_object()) {
      errors->push_back({entry_path + "/resource", "required: each entry holds a resource"});
      continue;
    }
    FhirResource r;
    r.json = resource;
    r.path = entry_path + "/resource";
    r.type = StringAt(resource, "resourceType");
    r.full_url = StringAt(&entry, "fullUrl");
    if (r.type.empty()) {
      errors->push_back({r.path + "/resourceType", "required"});
      continue;
    }
    if (!r.full_url.empty() && !urls.insert(r.full_url).second) {
      errors->push_back({entry_path + "/fullUrl",
                         "duplicate fullUrl: references to it would be ambiguous"});
      continue;
    }
    resources_.push_back(std::move(r));
  }
}

std::vector<const FhirResource*> FhirBundle::OfType(std::string_view type) const {
  std::vector<const FhirResource*> out;
  for (const FhirResource& r : resources_) {
    if (r.type == type) {
      out.push_back(&r);
    }
  }
  return out;
}

const FhirResource* FhirBundle::Resolve(const nlohmann::json* reference) const {
  std::string ref = StringAt(reference, "reference");
  return ref.empty() ? nullptr : ResolveString(ref);
}

const FhirResource* FhirBundle::ResolveString(std::string_view ref) const {
  for (const FhirResource& r : resources_) {
    if (!r.full_url.empty() && r.full_url == ref) {
      return &r;
    }
  }
  // "Type/id", possibly at the end of an absolute URL ("https://x/fhir/Patient/123").
  for (const FhirResource& r : resources_) {
    const std::string id = StringAt(r.json, "id");
    if (id.empty()) {
      continue;
    }
    const std::string tail = r.type + "/" + id;
    if (ref == tail || (ref.size() > tail.size() && ref.ends_with("/" + tail))) {
      return &r;
    }
  }
  return nullptr;
}

std::vector<FhirExtension> Extensions(const nlohmann::json* element, const std::string& path,
                                      std::string_view name, bool relative) {
  std::vector<FhirExtension> out;
  const nlohmann::json* exts = Member(element, "extension");
  if (exts == nullptr || !exts->is_array()) {
    return out;
  }
  const std::string want = relative ? std::string(name) : std::string(kSghubExtensionBase) +
                                                              std::string(name);
  for (size_t i = 0; i < exts->size(); ++i) {
    if (StringAt(&(*exts)[i], "url") == want) {
      out.push_back({&(*exts)[i], path + "/extension/" + std::to_string(i)});
    }
  }
  return out;
}

std::string MissingExtensionPath(const std::string& path, std::string_view name) {
  return path + "/extension[" + std::string(name) + "]";
}

std::string ConceptText(const nlohmann::json* codeable) {
  std::string text = StringAt(codeable, "text");
  if (!text.empty()) {
    return text;
  }
  const nlohmann::json* codings = Member(codeable, "coding");
  if (codings == nullptr || !codings->is_array()) {
    return "";
  }
  for (const char* key : {"display", "code"}) {
    for (const nlohmann::json& c : *codings) {
      std::string v = StringAt(&c, key);
      if (!v.empty()) {
        return v;
      }
    }
  }
  return "";
}

bool ConceptHasCode(const nlohmann::json* codeable, std::string_view code) {
  const nlohmann::json* codings = Member(codeable, "coding");
  if (codings == nullptr || !codings->is_array()) {
    return false;
  }
  for (const nlohmann::json& c : *codings) {
    if (StringAt(&c, "code") == code) {
      return true;
    }
  }
  return false;
}

}  // namespace hub::codecs
