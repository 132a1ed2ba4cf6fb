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
      Error(key, UnknownEnumReason<E>(*s));
    }
    return v;
  }
  template <typename E>
  std::vector<E> EnumArray(std::string_view key) {
    std::vector<E> out;
    ForEachItem(key, nlohmann::json::value_t::string, "must be a string",
                [this, &out](std::string path, const nlohmann::json& item) {
                  const std::string& name = item.get_ref<const std::string&>();
                  if (std::optional<E> v = EnumFromName<E>(name)) {
                    out.push_back(*v);
                  } else {
                    errors_->push_back({std::move(path), UnknownEnumReason<E>(name)});
                  }
                });
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
  // The error for `name`, which is not a name of enum E: quotes it (truncated) and lists the
  // accepted names.
  template <typename E>
  static std::string UnknownEnumReason(std::string_view name) {
    return "unknown value \"" + Truncated(name) + "\" (expected one of: " + EnumNames<E>() + ")";
  }
  // `hex` in lower case when it is a message id (32 hex characters), else nullopt.
  static std::optional<std::string> NormalisedMessageId(std::string_view hex);

 private:
  // The value of `key`, or null when absent or null.
  const nlohmann::json* Get(std::string_view key);
  // As Get; a value of another type than `type` is recorded as `reason` and gives null.
  const nlohmann::json* Typed(std::string_view key, nlohmann::json::value_t type,
                              const char* reason);
  // A string that must satisfy `valid`; one that does not is recorded as `reason`.
  std::optional<std::string> StringWhere(std::string_view key, bool (*valid)(std::string_view),
                                         const char* reason);
  // Calls visit(item_path, item) for each item of the array `key` of type `type`, and records
  // `reason` for each item of another type.
  template <typename F>
  void ForEachItem(std::string_view key, nlohmann::json::value_t type, const char* reason,
                   F visit) {
    const nlohmann::json* arr = Typed(key, nlohmann::json::value_t::array, "must be an array");
    if (arr == nullptr) {
      return;
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      std::string item_path = PathOf(key) + "/" + std::to_string(i);
      const nlohmann::json& item = (*arr)[i];
      if (item.type() != type) {
        errors_->push_back({std::move(item_path), reason});
        continue;
      }
      visit(std::move(item_path), item);
    }
  }

  const nlohmann::json* obj_;  // null when absent or not an object
  std::string path_;
  std::vector<FieldError>* errors_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace hub::codecs
