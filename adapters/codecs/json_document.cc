#include "adapters/codecs/json_document.h"

#include <string>

namespace hub::codecs {
namespace {

// The deepest nesting of [ and { outside strings; stops counting past the limit.
int MaxDepth(std::string_view text) {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        max_depth = depth;
        if (max_depth > kMaxNestingDepth) {
          return max_depth;
        }
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

std::optional<nlohmann::json> ParseJsonDocument(std::string_view document,
                                                std::vector<FieldError>* errors) {
  if (document.size() > kMaxDocumentBytes) {
    errors->push_back({"/", "document is " + std::to_string(document.size()) +
                                " bytes; the limit is " + std::to_string(kMaxDocumentBytes)});
    return std::nullopt;
  }
  if (document.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    errors->push_back({"/", "document is empty"});
    return std::nullopt;
  }
  if (MaxDepth(document) > kMaxNestingDepth) {
    errors->push_back({"/", "document nests deeper than " + std::to_string(kMaxNestingDepth) +
                                " levels"});
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(document.begin(), document.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte says where; the message never quotes the document's content.
    errors->push_back({"/", "not valid JSON (syntax error at byte " + std::to_string(e.byte) +
                                ")"});
  } catch (const std::exception&) {
    errors->push_back({"/", "not valid JSON"});
  }
  return std::nullopt;
}

std::optional<nlohmann::json> ParseJsonObjectDocument(std::string_view document,
                                                      std::string_view what,
                                                      std::vector<FieldError>* errors) {
  std::optional<nlohmann::json> doc = ParseJsonDocument(document, errors);
  if (doc && !doc->is_object()) {
    errors->push_back({"/", "must be " + std::string(what)});
    return std::nullopt;
  }
  return doc;
}

}  // namespace hub::codecs
