#include "adapters/codecs/codec.h"

namespace hub::codecs {

std::string FormatFieldErrors(const std::vector<FieldError>& errors) {
  std::string out;
  for (const FieldError& e : errors) {
    out += e.field;
    out += ": ";
    out += e.reason;
    out += '\n';
  }
  return out;
}

}  // namespace hub::codecs
