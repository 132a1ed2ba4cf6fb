// Key files on disk. The secret key file holds an agency's three secret keys in a small
// binary format (docs/wire_format.md, "Secret key file"); it must be mode 0600. The agency
// card is TOML holding only public keys, safe to share with the hub operator.
#pragma once

#include <filesystem>

#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"

namespace hub::wire {

// Writes `keys` to `path` with mode 0600. Never overwrites: AlreadyExists if `path` exists.
Status WriteSecretKeyFile(const AgencyKeys& keys, const std::filesystem::path& path);

// Loads a secret key file. PermissionDenied unless it is a regular file with no group or
// other permission bits (the message names the path and the mode and says chmod 600);
// Corruption for a bad magic, version, length or checksum, or when the public keys derived
// from the secrets differ from the stored ones. The secrets are read straight into locked
// memory.
Result<AgencyKeys> LoadSecretKeyFile(const std::filesystem::path& path);

// Writes the public card as TOML (mode 0644). Never overwrites.
Status WriteCardFile(const AgencyCard& card, const std::filesystem::path& path);

// Parses a card. Errors name the file, the line and the key at fault (InvalidArgument), or
// NotFound/IOError when the file cannot be read. Unknown keys are refused, so a misspelt key
// is not silently ignored.
Result<AgencyCard> LoadCardFile(const std::filesystem::path& path);

}  // namespace hub::wire
