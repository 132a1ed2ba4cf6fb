// Byte buffers. Anything on disk or on the wire is passed as ByteView; protobuf's
// std::string byte fields are converted at the edge with AsBytes/AsString.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hub {

using ByteView = std::span<const std::byte>;
using Bytes = std::vector<std::byte>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

inline std::string_view AsStringView(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

inline std::string AsString(ByteView b) { return std::string(AsStringView(b)); }

inline Bytes ToBytes(std::string_view s) {
  ByteView v = AsBytes(s);
  return Bytes(v.begin(), v.end());
}

// Lower-case hex of the bytes, e.g. for message ids in logs.
std::string HexEncode(ByteView b);

}  // namespace hub
