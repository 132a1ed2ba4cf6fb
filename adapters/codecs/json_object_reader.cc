#include "adapters/codecs/json_object_reader.h"

#include <cctype>
#include <utility>

#include "adapters/codecs/time_format.h"

namespace hub::codecs {
namespace {

// JSON pointer escaping (RFC 6901) for a key.
std::string EscapeKey(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool IsHex32(std::string_view s) {
  if (s.size() != 32) {
    return false;
  }
  for (char c : s) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) {
      return false;
    }
  }
  return true;
}

}  // namespace

JsonObjectReader::JsonObjectReader(const nlohmann::json* value, std::string path,
                                   std::vector<FieldError>* errors)
    : obj_(nullptr), path_(std::move(path)), errors_(errors) {
  if (value == nullptr || value->is_null()) {
    return;
  }
  if (!value->is_object()) {
    errors_->push_back({path_.empty() ? "/" : path_, "must be an object"});
    return;
  }
  obj_ = value;
}

std::string JsonObjectReader::PathOf(std::string_view key) const {
  return path_ + "/" + EscapeKey(key);
}

std::string JsonObjectReader::Truncated(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) {
    return std::string(s);
  }
  // Cut on a UTF-8 boundary so the message stays valid text.
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(s.substr(0, cut)) + "...";
}

const nlohmann::json* JsonObjectReader::Get(std::string_view key) {
  if (obj_ == nullptr) {
    return nullptr;
  }
  seen_.emplace(key);
  auto it = obj_->find(key);
  if (it == obj_->end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

bool JsonObjectReader::Has(std::string_view key) { return Get(key) != nullptr; }

void JsonObjectReader::Error(std::string_view key, std::string reason) {
  errors_->push_back({PathOf(key), std::move(reason)});
}

std::optional<std::string> JsonObjectReader::String(std::string_view key) {
  const nlohmann::json* v = Get(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    Error(key, "must be a string");
    return std::nullopt;
  }
  const std::string& s = v->get_ref<const std::string&>();
  if (s.empty()) {
    return std::nullopt;  // an empty string is treated as absent
  }
  return s;
}

std::optional<bool> JsonObjectReader::Bool(std::string_view key) {
  const nlohmann::json* v = Get(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_boolean()) {
    Error(key, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<int64_t> JsonObjectReader::Int(std::string_view key) {
  const nlohmann::json* v = Get(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_number_integer()) {
    return v->get<int64_t>();
  }
  if (v->is_number_unsigned()) {
    Error(key, "integer out of range");
    return std::nullopt;
  }
  Error(key, "must be an integer");
  return std::nullopt;
}

const nlohmann::json* JsonObjectReader::Array(std::string_view key) {
  const nlohmann::json* v = Get(key);
  if (v == nullptr) {
    return nullptr;
  }
  if (!v->is_array()) {
    Error(key, "must be an array");
    return nullptr;
  }
  return v;
}

std::vector<std::string> JsonObjectReader::StringArray(std::string_view key) {
  std::vector<std::string> out;
  const nlohmann::json* arr = Array(key);
  if (arr == nullptr) {
    return out;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const nlohmann::json& item = (*arr)[i];
    if (!item.is_string()) {
      errors_->push_back({PathOf(key) + "/" + std::to_string(i), "must be a string"});
      continue;
    }
    if (!item.get_ref<const std::string&>().empty()) {
      out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::optional<std::string> JsonObjectReader::Date(std::string_view key) {
  std::optional<std::string> s = String(key);
  if (s && !IsIsoDate(*s)) {
    Error(key, "must be a date YYYY-MM-DD");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonObjectReader::DateOrDateTime(std::string_view key) {
  std::optional<std::string> s = String(key);
  if (s && !IsIsoDateOrDateTime(*s)) {
    Error(key, "must be an ISO 8601 date or date-time with zone");
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> JsonObjectReader::TimestampMs(std::string_view key) {
  std::optional<std::string> s = String(key);
  if (!s) {
    return std::nullopt;
  }
  std::optional<int64_t> ms = ParseIsoTimestampMs(*s);
  if (!ms) {
    Error(key, "must be an ISO 8601 date or date-time with zone");
  }
  return ms;
}

std::optional<std::string> JsonObjectReader::MessageIdHex(std::string_view key) {
  std::optional<std::string> s = String(key);
  if (s && !IsHex32(*s)) {
    Error(key, "must be a message id of 32 hex characters");
    return std::nullopt;
  }
  if (s) {
    for (char& c : *s) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return s;
}

JsonObjectReader JsonObjectReader::Object(std::string_view key) {
  return JsonObjectReader(Get(key), PathOf(key), errors_);
}

std::vector<JsonObjectReader> JsonObjectReader::ObjectArray(std::string_view key) {
  std::vector<JsonObjectReader> out;
  const nlohmann::json* arr = Array(key);
  if (arr == nullptr) {
    return out;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const nlohmann::json& item = (*arr)[i];
    std::string p = PathOf(key) + "/" + std::to_string(i);
    if (!item.is_object()) {
      errors_->push_back({std::move(p), "must be an object"});
      continue;
    }
    out.emplace_back(&item, std::move(p), errors_);
  }
  return out;
}

void JsonObjectReader::Ignore(std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    seen_.emplace(k);
  }
}

void JsonObjectReader::RejectUnknownKeys() {
  if (obj_ == nullptr) {
    return;
  }
  for (const auto& [key, value] : obj_->items()) {
    if (!seen_.contains(key)) {
      errors_->push_back({PathOf(key), "unknown field"});
    }
  }
}

}  // namespace hub::codecs
