// JsonObjectReader reads the fields of one JSON object and records a FieldError, with the
// field's JSON pointer, for every wrong type, malformed value or unknown enum string, so a
// decoder can go on and report every problem in one pass instead of stopping at the first.
// Required-ness is checked by the decoder afterwards (see alert_checks.h), because whether a
// field is required usually depends on other fields.
//
// Error messages never quote free text or personal data; only short enum strings.
//
// Unknown keys are refused: in a safeguarding document a misspelt key ("concent") must not
// silently drop what the sender meant. Call RejectUnknownKeys() after reading every field.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/codecs/codec.h"
#include "adapters/codecs/enum_names.h"

namespace hub::codecs {

class JsonObjectReader {
 public:
  // `value` may be null (the object is absent: every read returns nothing) or any JSON value
  // (not an object: one type error is recorded at `path`). Borrows value and errors.
  JsonObjectReader(const nlohmann::json* value, std::string path,
                   std::vector<FieldError>* errors);

  bool present() const { return obj_ != nullptr; }
  const std::string& path() const { return path_; }
  std::vector<FieldError>* errors() const { return errors_; }
  // JSON pointer of `key` inside this object ("/person/postcode").
  std::string PathOf(std::string_view key) const;
  // True when `key` is present and not null.
  bool Has(std::string_view key);

  std::optional<std::string> String(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  std::optional<int64_t> Int(std::string_view key);
  std::vector<std::string> StringArray(std::string_view key);
  // A date "YYYY-MM-DD".
  std::optional<std::string> Date(std::string_view key);
  // A date or date-time with zone; returned as text (kept as the sender wrote it).
  std::optional<std::string> DateOrDateTime(std::string_view key);
  // A timestamp converted to epoch milliseconds.
  std::optional<int64_t> TimestampMs(std::string_view key);
  // 32 hex characters (a message id).
  std::optional<std::string> MessageIdHex(std::string_view key);

  // An enum by its readable name; unknown names are an error listing the accepted names.
  template <typename E>
  std::optional<E> Enum(std::string_view key) {
    std::optional<std::string> s = String(key);
    if (!s) {
      return std::nullopt;
    }
    std::optional<E> v = EnumFromName<E>(*s);
    if (!v) {
      Error(key, "unknown value \"" + Truncated(*s) + "\" (expected one of: " + EnumNames<E>() +
                     ")");
    }
    return v;
  }
  template <typename E>
  std::vector<E> EnumArray(std::string_view key) {
    std::vector<E> out;
    const nlohmann::json* arr = Array(key);
    if (arr == nullptr) {
      return out;
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string p = PathOf(key) + "/" + std::to_string(i);
      const nlohmann::json& item = (*arr)[i];
      if (!item.is_string()) {
        errors_->push_back({p, "must be a string"});
        continue;
      }
      std::optional<E> v = EnumFromName<E>(item.get_ref<const std::string&>());
      if (!v) {
        errors_->push_back({p, "unknown value \"" + Truncated(item.get_ref<const std::string&>()) +
                                   "\" (expected one of: " + EnumNames<E>() + ")"});
        continue;
      }
      out.push_back(*v);
    }
    return out;
  }

  // A nested object (absent: a reader with present() == false).
  JsonObjectReader Object(std::string_view key);
  // An array of objects.
  std::vector<JsonObjectReader> ObjectArray(std::string_view key);

  // Marks keys as known without reading them (e.g. delivery-only keys a decoder ignores).
  void Ignore(std::initializer_list<std::string_view> keys);
  // Records "unknown field" for every key not read, in key order.
  void RejectUnknownKeys();

  void Error(std::string_view key, std::string reason);

  // At most 40 characters of a value, for error messages (never whole free text).
  static std::string Truncated(std::string_view s);

 private:
  const nlohmann::json* Get(std::string_view key);
  const nlohmann::json* Array(std::string_view key);

  const nlohmann::json* obj_;  // null when absent or not an object
  std::string path_;
  std::vector<FieldError>* errors_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace hub::codecs
