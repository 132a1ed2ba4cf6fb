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

const nlohmann::json* JsonObjectReader::Typed(std::string_view key, nlohmann::json::value_t type,
                                              const char* reason) {
  const nlohmann::json* v = Get(key);
  if (v != nullptr && v->type() != type) {
    Error(key, reason);
    return nullptr;
  }
  return v;
}

std::optional<std::string> JsonObjectReader::String(std::string_view key) {
  const nlohmann::json* v = Typed(key, nlohmann::json::value_t::string, "must be a string");
  if (v == nullptr) {
    return std::nullopt;
  }
  const std::string& s = v->get_ref<const std::string&>();
  if (s.empty()) {
    return std::nullopt;  // an empty string is treated as absent
  }
  return s;
}

std::optional<bool> JsonObjectReader::Bool(std::string_view key) {
  const nlohmann::json* v = Typed(key, nlohmann::json::value_t::boolean, "must be true or false");
  if (v == nullptr) {
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

std::vector<std::string> JsonObjectReader::StringArray(std::string_view key) {
  std::vector<std::string> out;
  ForEachItem(key, nlohmann::json::value_t::string, "must be a string",
              [&out](std::string /*path*/, const nlohmann::json& item) {
                if (!item.get_ref<const std::string&>().empty()) {
                  out.push_back(item.get<std::string>());
                }
              });
  return out;
}

std::optional<std::string> JsonObjectReader::StringWhere(std::string_view key,
                                                         bool (*valid)(std::string_view),
                                                         const char* reason) {
  std::optional<std::string> s = String(key);
  if (s && !valid(*s)) {
    Error(key, reason);
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> JsonObjectReader::Date(std::string_view key) {
  return StringWhere(key, IsIsoDate, "must be a date YYYY-MM-DD");
}

std::optional<std::string> JsonObjectReader::DateOrDateTime(std::string_view key) {
  return StringWhere(key, IsIsoDateOrDateTime, "must be an ISO 8601 date or date-time with zone");
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

std::optional<std::string> JsonObjectReader::NormalisedMessageId(std::string_view hex) {
  constexpr std::string_view kHexDigits = "0123456789abcdefABCDEF";
  if (hex.size() != 32 || hex.find_first_not_of(kHexDigits) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out(hex);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::string> JsonObjectReader::MessageIdHex(std::string_view key) {
  std::optional<std::string> s = String(key);
  if (!s) {
    return std::nullopt;
  }
  std::optional<std::string> id = NormalisedMessageId(*s);
  if (!id) {
    Error(key, "must be a message id of 32 hex characters");
  }
  return id;
}

JsonObjectReader JsonObjectReader::Object(std::string_view key) {
  return JsonObjectReader(Get(key), PathOf(key), errors_);
}

std::vector<JsonObjectReader> JsonObjectReader::ObjectArray(std::string_view key) {
  std::vector<JsonObjectReader> out;
  ForEachItem(key, nlohmann::json::value_t::object, "must be an object",
              [this, &out](std::string path, const nlohmann::json& item) {
                out.emplace_back(&item, std::move(path), errors_);
              });
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
