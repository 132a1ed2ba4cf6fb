#include "hub/base/bytes.h"

namespace hub {

std::string HexEncode(ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (std::byte byte : b) {
    auto v = std::to_integer<unsigned>(byte);
    out.push_back(kDigits[v >> 4]);
    out.push_back(kDigits[v & 0xf]);
  }
  return out;
}

}  // namespace hub
