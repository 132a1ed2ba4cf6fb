// Fixed keys shared by the envelope fuzzer and the seed-corpus generator, so that the checked-in
// seed envelopes verify and open inside the fuzzer and mutations explore past the signature.
// Test keys only: derived from constant bytes, never used outside tests/fuzz.
#pragma once

#include <string>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"

namespace hub::fuzz {

inline constexpr char kFuzzSender[] = "nhs-fuzz";
inline constexpr char kFuzzRecipient[] = "council-fuzz";

// The keys of `id` built from 32-byte secrets filled with `fill`, `fill`+1, `fill`+2.
inline Result<wire::AgencyKeys> FixedKeys(const std::string& id, sghub::v1::AgencyKind kind,
                                          unsigned char fill) {
  std::string transport(32, static_cast<char>(fill));
  std::string signing(32, static_cast<char>(fill + 1));
  std::string sealing(32, static_cast<char>(fill + 2));
  return wire::AgencyKeys::FromSecrets(id, kind, AsBytes(transport), AsBytes(signing),
                                       AsBytes(sealing));
}

inline Result<wire::AgencyKeys> SenderKeys() {
  return FixedKeys(kFuzzSender, sghub::v1::AGENCY_KIND_NHS_MH, 0x11);
}
inline Result<wire::AgencyKeys> RecipientKeys() {
  return FixedKeys(kFuzzRecipient, sghub::v1::AGENCY_KIND_COUNCIL, 0x41);
}

}  // namespace hub::fuzz
