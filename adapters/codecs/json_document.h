// Parses an agency JSON document with the limits every codec applies: at most
// kMaxDocumentBytes and kMaxNestingDepth levels of arrays/objects. The depth is checked by a
// scan before nlohmann_json sees the text, so hostile nesting costs one linear pass and no
// recursion. Never throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/codecs/codec.h"

namespace hub::codecs {

inline constexpr size_t kMaxDocumentBytes = size_t{1} << 20;  // 1 MiB
inline constexpr int kMaxNestingDepth = 64;

// The parsed document, or nullopt with one FieldError on "/" saying why (empty, too large,
// too deep, not JSON, not UTF-8).
std::optional<nlohmann::json> ParseJsonDocument(std::string_view document,
                                                std::vector<FieldError>* errors);

// As ParseJsonDocument, and the document must be an object: otherwise nullopt with the
// error "must be <what>" on "/" (e.g. what = "a JSON object").
std::optional<nlohmann::json> ParseJsonObjectDocument(std::string_view document,
                                                      std::string_view what,
                                                      std::vector<FieldError>* errors);

}  // namespace hub::codecs
