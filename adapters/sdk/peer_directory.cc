#include "adapters/sdk/peer_directory.h"

#include <algorithm>

#include "hub/wire/key_files.h"

namespace hub::sdk {

Result<PeerDirectory> PeerDirectory::Load(const std::filesystem::path& dir,
                                          const std::vector<std::filesystem::path>& files,
                                          const std::string& own_id) {
  std::vector<std::filesystem::path> paths = files;
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec) {
      return Status::NotFound(dir.string() + ": cannot read the cards directory: " + ec.message());
    }
    std::vector<std::filesystem::path> found;
    for (const auto& entry : it) {
      const std::string name = entry.path().filename().string();
      if (name.size() > 10 && name.ends_with(".card.toml")) {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  PeerDirectory directory;
  for (const auto& path : paths) {
    HUB_ASSIGN_OR_RETURN(wire::AgencyCard card, wire::LoadCardFile(path));
    if (card.id == own_id || card.kind == sghub::v1::AGENCY_KIND_HUB) {
      continue;
    }
    Status added = directory.Add(card);
    if (!added.ok()) {
      return Status::InvalidArgument(path.string() + ": " + added.message());
    }
  }
  return directory;
}

Status PeerDirectory::Add(const wire::AgencyCard& card) {
  auto [it, inserted] = cards_.emplace(card.id, card);
  if (!inserted && !(it->second.signing == card.signing && it->second.sealing == card.sealing)) {
    return Status::AlreadyExists("two different cards for agency '" + card.id + "'");
  }
  return Status::Ok();
}

const wire::AgencyCard* PeerDirectory::Find(const std::string& agency) const {
  auto it = cards_.find(agency);
  return it == cards_.end() ? nullptr : &it->second;
}

}  // namespace hub::sdk
