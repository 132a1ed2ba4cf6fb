// Shared fixtures for hub_wire tests: agencies with fresh keys and a valid header and body.
#pragma once

#include <string>
#include <vector>

#include "hub/wire/agency_keys.h"
#include "hub/wire/envelope.h"
#include "sghub/v1/alert.pb.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::wire::testing {

// Generates keys for `id`, aborting the test binary on failure (it cannot fail unless
// libsodium is broken).
AgencyKeys MakeAgency(const std::string& id, sghub::v1::AgencyKind kind);

// A header from `sender` to `recipients` that passes every structural check.
sghub::v1::Header MakeHeader(const std::string& sender, const std::vector<std::string>& recipients);

// A body that matches `header` (message id, sender, recipients) with some content.
sghub::v1::AlertBody MakeBody(const sghub::v1::Header& header);

// Seal keys for the given agencies, in the given order.
std::vector<RecipientSealKey> SealKeysFor(const std::vector<const AgencyKeys*>& agencies);

// Builds a signed Envelope from raw header and body bytes with none of SealEnvelope's
// checks, so tests can produce envelopes that a careless or hostile sender could send.
std::string BuildEnvelopeUnchecked(const std::string& header_bytes, const std::string& body_bytes,
                                   const std::vector<RecipientSealKey>& recipients,
                                   const SecretKey& signing_secret);

}  // namespace hub::wire::testing
