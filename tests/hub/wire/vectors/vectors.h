// The sghub.v1 test vectors: fixed keys, nonces and messages run through hub_wire, with
// every intermediate byte string in hex. v1.json holds the expected output, docs/
// wire_format.md shows it, and check_vectors.py re-derives it with PyNaCl.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "hub/base/result.h"

namespace hub::wire::vectors {

// Computes every vector from the fixed inputs. Fails only if hub_wire itself fails.
Result<nlohmann::ordered_json> ComputeVectorsV1();

// The markdown block that docs/wire_format.md embeds (section "Test vectors").
std::string RenderVectorsMarkdown(const nlohmann::ordered_json& vectors);

}  // namespace hub::wire::vectors
