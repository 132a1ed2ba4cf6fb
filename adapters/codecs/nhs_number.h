// NHS number validation for the codecs.
//
// The wire library will own the one true normaliser (hub::wire::NormaliseNhsNumber, used
// to compute subject references). It was being written at the same time as the codecs, so
// the codecs call this seam instead of linking hub_wire; switch its body to the wire
// function once that lands so there is a single definition of a valid NHS number.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hub::codecs {

// The 10-digit form of an NHS number written with optional spaces or hyphens
// ("943 476 5919"), or nullopt when it is not 10 digits or fails the modulus-11 check.
std::optional<std::string> NormaliseNhsNumberForCodec(std::string_view raw);

}  // namespace hub::codecs
