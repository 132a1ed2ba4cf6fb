#include "hub/policy/policy_toml.h"

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "hub/policy/names.h"

namespace hub::policy {
namespace {

using sghub::v1::AgencyKind;
using sghub::v1::Category;
using sghub::v1::OverrideBasis;

// Collects the location of every error so each message reads "source:line:key: why".
class PolicyReader {
 public:
  explicit PolicyReader(std::string_view source) : source_(source) {}

  Status Error(const toml::node& node, std::string_view key, std::string_view why) const {
    return Status::InvalidArgument(std::string(source_) + ":" +
                                   std::to_string(node.source().begin.line) + ":" +
                                   std::string(key) + ": " + std::string(why));
  }

  Result<bool> ReadBool(const toml::node& node, std::string_view key) const {
    const auto* value = node.as_boolean();
    if (value == nullptr) {
      return Error(node, key, "expected true or false");
    }
    return value->get();
  }

  // Reads an array of names, each parsed by `parse`. Unknown names and duplicates are
  // refused at the line of the offending entry.
  template <typename Enum>
  Result<std::set<Enum>> ReadNames(
      const toml::node& node, std::string_view key, std::string_view what,
      const std::function<std::optional<Enum>(std::string_view)>& parse) const {
    const auto* array = node.as_array();
    if (array == nullptr) {
      return Error(node, key, "expected an array of " + std::string(what) + " names");
    }
    std::set<Enum> out;
    for (const toml::node& element : *array) {
      const auto* name = element.as_string();
      if (name == nullptr) {
        return Error(element, key, "expected a string naming a " + std::string(what));
      }
      std::optional<Enum> value = parse(name->get());
      if (!value.has_value()) {
        return Error(element, key, "unknown " + std::string(what) + " \"" + name->get() + "\"");
      }
      if (!out.insert(*value).second) {
        return Error(element, key, "\"" + name->get() + "\" is listed twice");
      }
    }
    return out;
  }

  Result<std::set<OverrideBasis>> ReadBases(const toml::node& node, std::string_view key,
                                            AgencyKind kind) const {
    HUB_ASSIGN_OR_RETURN(
        auto bases, ReadNames<OverrideBasis>(node, key, "override basis", &ParseOverrideBasis));
    const std::set<OverrideBasis> statutory = StatutoryOverrideBases(kind);
    for (const toml::node& element : *node.as_array()) {
      OverrideBasis basis = *ParseOverrideBasis(element.as_string()->get());
      if (statutory.count(basis) == 0) {
        return Error(element, key,
                     OverrideBasisName(basis) + " is not allowed for " + AgencyKindName(kind) +
                         " by the statutory default, and a policy file may only remove "
                         "bases, never add them");
      }
    }
    return bases;
  }

  Result<std::set<Category>> ReadCategories(const toml::node& node, std::string_view key) const {
    return ReadNames<Category>(node, key, "category", &ParseCategory);
  }

 private:
  std::string_view source_;
};

// Where each kind's override bases were set, to refuse setting them twice.
struct BasesSource {
  const toml::node* node = nullptr;
  std::string key;
};

Status ReadKindTable(const PolicyReader& reader, const toml::table& table,
                     const std::string& prefix, AgencyKind kind, KindPolicy& kp,
                     BasesSource& bases_source) {
  const toml::node* categories_node = nullptr;
  for (const auto& [key_obj, node] : table) {
    const std::string key(key_obj.str());
    const std::string path = prefix + "." + key;
    if (key == "categories") {
      HUB_ASSIGN_OR_RETURN(auto categories, reader.ReadCategories(node, path));
      if (categories.empty()) {
        return reader.Error(node, path,
                            "an empty list would stop every alert to " + AgencyKindName(kind) +
                                "; list the categories it may receive, or remove the key");
      }
      kp.allowed_categories = std::move(categories);
      categories_node = &node;
    } else if (key == "denied_categories") {
      HUB_ASSIGN_OR_RETURN(kp.denied_categories, reader.ReadCategories(node, path));
    } else if (key == "allowed_override_bases") {
      if (bases_source.node != nullptr) {
        return reader.Error(node, path,
                            "the override bases for " + AgencyKindName(kind) +
                                " are already set by " + bases_source.key + " on line " +
                                std::to_string(bases_source.node->source().begin.line) +
                                "; set them in one place");
      }
      HUB_ASSIGN_OR_RETURN(kp.allowed_override_bases, reader.ReadBases(node, path, kind));
      bases_source = {&node, path};
    } else {
      return reader.Error(node, path,
                          "unknown key; expected categories, denied_categories or "
                          "allowed_override_bases");
    }
  }
  // Contradictions between keys are reported at the denial, the later statement of intent.
  if (kp.allowed_categories.has_value()) {
    if (const toml::node* denied = table.get("denied_categories")) {
      for (const toml::node& element : *denied->as_array()) {
        std::optional<Category> c = ParseCategory(element.as_string()->get());
        if (kp.allowed_categories->count(*c) != 0) {
          return reader.Error(element, prefix + ".denied_categories",
                              "category " + CategoryName(*c) + " is both allowed (" + prefix +
                                  ".categories, line " +
                                  std::to_string(categories_node->source().begin.line) +
                                  ") and denied");
        }
      }
    }
  }
  if (const toml::node* denied = table.get("denied_categories")) {
    int all = 0;
    for (int v = sghub::v1::Category_MIN; v <= sghub::v1::Category_MAX; ++v) {
      all += (v != 0 && sghub::v1::Category_IsValid(v)) ? 1 : 0;
    }
    if (static_cast<int>(kp.denied_categories.size()) >= all) {
      return reader.Error(
          *denied, prefix + ".denied_categories",
          "denies every category, so " + AgencyKindName(kind) + " could never receive an alert");
    }
  }
  return Status::Ok();
}

Result<PolicyConfig> ReadPolicyTable(const PolicyReader& reader, const toml::table& policy) {
  PolicyConfig config = DefaultPolicy();
  std::map<AgencyKind, BasesSource> bases_sources;
  // Top-level keys first so that a kind table can say where a duplicate setting came from.
  for (const auto& [key_obj, node] : policy) {
    const std::string key(key_obj.str());
    const std::string path = "policy." + key;
    if (node.is_table()) {
      continue;
    }
    if (key == "require_consent_expiry") {
      HUB_ASSIGN_OR_RETURN(bool value, reader.ReadBool(node, path));
      if (!value) {
        return reader.Error(node, path,
                            "false would accept consent with no expiry, which the statutory "
                            "default refuses; a policy file may only tighten");
      }
      config.require_consent_expiry = value;
    } else if (key == "require_advice_sought") {
      HUB_ASSIGN_OR_RETURN(config.require_advice_sought, reader.ReadBool(node, path));
    } else if (key.rfind("allowed_override_bases_", 0) == 0) {
      std::string kind_name = key.substr(std::string("allowed_override_bases_").size());
      std::optional<AgencyKind> kind = ParseAgencyKind(kind_name);
      if (!kind.has_value() || config.kinds.count(*kind) == 0) {
        return reader.Error(
            node, path,
            "unknown recipient kind \"" + kind_name + "\"; expected nhs_mh, council or police");
      }
      HUB_ASSIGN_OR_RETURN(config.kinds[*kind].allowed_override_bases,
                           reader.ReadBases(node, path, *kind));
      bases_sources[*kind] = {&node, path};
    } else {
      return reader.Error(node, path,
                          "unknown key; expected require_consent_expiry, "
                          "require_advice_sought, allowed_override_bases_<kind> or a "
                          "[policy.<kind>] table");
    }
  }
  for (const auto& [key_obj, node] : policy) {
    if (!node.is_table()) {
      continue;
    }
    const std::string key(key_obj.str());
    const std::string path = "policy." + key;
    std::optional<AgencyKind> kind = ParseAgencyKind(key);
    if (!kind.has_value() || config.kinds.count(*kind) == 0) {
      return reader.Error(node, path,
                          "unknown recipient kind table; expected [policy.nhs_mh], "
                          "[policy.council] or [policy.police]");
    }
    HUB_RETURN_IF_ERROR(ReadKindTable(reader, *node.as_table(), path, *kind, config.kinds[*kind],
                                      bases_sources[*kind]));
  }
  return config;
}

}  // namespace

Result<PolicyConfig> ParsePolicyToml(std::string_view toml_text, std::string_view source_name) {
  PolicyReader reader(source_name);
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(std::string(source_name) + ":" +
                                   std::to_string(e.source().begin.line) + ": " +
                                   std::string(e.description()));
  }
  const toml::node* policy_node = root.get("policy");
  if (policy_node == nullptr) {
    return DefaultPolicy();
  }
  const toml::table* policy = policy_node->as_table();
  if (policy == nullptr) {
    return reader.Error(*policy_node, "policy", "expected a [policy] table");
  }
  HUB_ASSIGN_OR_RETURN(PolicyConfig config, ReadPolicyTable(reader, *policy));
  // Everything ValidatePolicy checks should already have been reported with a line; this is
  // the backstop that keeps the two in step.
  Status valid = ValidatePolicy(config);
  if (!valid.ok()) {
    return valid.WithContext(source_name);
  }
  return config;
}

}  // namespace hub::policy
