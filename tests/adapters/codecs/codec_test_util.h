// Helpers shared by the codec tests: locating example files and fixtures, building a
// DeliveredAlert from a decoded alert, and comparing what must survive a round trip.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/codecs/codec.h"

namespace hub::codecs::testing {

// ${SGHUB_SOURCE_DIR}, or the source tree this file was compiled from.
std::filesystem::path SourceDir();
std::filesystem::path ExamplesDir();  // docs/adapters/examples
std::filesystem::path FhirFixturesDir();  // ../shared/fixtures/fhir

// The file's bytes; fails the test (and returns "") when it cannot be read.
std::string ReadFileOrFail(const std::filesystem::path& path);

// The fields named by the errors.
std::set<std::string> Fields(const std::vector<FieldError>& errors);

// A delivered copy of `alert` as the SDK would build it, with a fixed message id, sender
// and creation time.
DeliveredAlert Deliver(const InboundAlert& alert, const std::string& sender);

// Expects every field that round-trips to be equal (all but expires_in_ms).
void ExpectSameAlert(const InboundAlert& want, const InboundAlert& got);

// `doc` with the value at JSON pointer `pointer` removed.
std::string Without(const nlohmann::json& doc, const std::string& pointer);

}  // namespace hub::codecs::testing
