// PeerDirectory holds the public cards of the agencies an adapter exchanges alerts with:
// their sealing keys (to seal bodies to them) and their signing keys (to verify that a
// delivered envelope really comes from the agency its header names). Immutable after Load,
// so safe to read from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"

namespace hub::sdk {

class PeerDirectory {
 public:
  // Loads every "*.card.toml" in `dir` (when not empty) and every file in `files`. A card
  // for `own` agency or for the hub is skipped. InvalidArgument for a malformed card (the
  // message names the file, line and key) or for two different cards with the same id.
  static Result<PeerDirectory> Load(const std::filesystem::path& dir,
                                    const std::vector<std::filesystem::path>& files,
                                    const std::string& own_id);

  // Adds a card (tests and programs that build cards in memory). AlreadyExists for an id
  // that is already present with different keys.
  Status Add(const wire::AgencyCard& card);

  // The card of `agency`, or nullptr.
  const wire::AgencyCard* Find(const std::string& agency) const;
  size_t size() const { return cards_.size(); }

 private:
  std::map<std::string, wire::AgencyCard> cards_;
};

}  // namespace hub::sdk
