// Shared fixture for the hub_config tests: a temp directory holding the config file, a
// stand-in hub key file, and helpers that generate real agency cards and format the expected
// "FILE:LINE: KEY: reason" messages.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "hub/config/hub_config.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/crypto_init.h"
#include "hub/wire/key_files.h"
#include "tests/testutil/temp_dir.h"

namespace hub::config {

// The [hub] section every small test config starts with: exactly lines 1 to 5, so that test
// text appended after it starts at line 6.
inline constexpr std::string_view kHubSection =
    "[hub]\n"
    "listen = \"tcp://127.0.0.1:7800\"\n"
    "status_socket = \"status.sock\"\n"
    "data_dir = \"data\"\n"
    "key_file = \"hub.key\"\n";

class ConfigFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wire::InitCrypto().ok());
    // The config only checks that the key file exists; the daemon loads it.
    WriteFile("hub.key", "stand-in; hub_config never reads key contents\n");
  }

  std::filesystem::path Path(std::string_view name) const { return dir_.path() / name; }
  std::string File() const { return Path("sghubd.toml").string(); }

  void WriteFile(std::string_view name, std::string_view content) const {
    std::filesystem::path path = Path(name);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    ASSERT_TRUE(out.good()) << path;
  }

  Result<HubConfig> Parse(std::string_view text) const {
    return ParseHubConfig(text, Path("sghubd.toml"));
  }

  // The error lines of a config that must fail; {"(parsed)"} when it parsed.
  std::vector<std::string> Errors(std::string_view text) const {
    Result<HubConfig> r = Parse(text);
    if (r.ok()) {
      return {"(parsed)"};
    }
    EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
    std::vector<std::string> lines;
    std::istringstream in(r.status().message());
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
    return lines;
  }

  // The message hub_config must produce for an error in this fixture's config file.
  std::string Err(int line, std::string_view key, std::string_view reason) const {
    return File() + ":" + std::to_string(line) + ": " + std::string(key) + ": " +
           std::string(reason);
  }

  static wire::AgencyCard NewCard(std::string id, sghub::v1::AgencyKind kind) {
    Result<wire::AgencyKeys> keys = wire::AgencyKeys::Generate(std::move(id), kind);
    EXPECT_TRUE(keys.ok()) << keys.status().ToString();
    return keys->card();
  }

  // Writes `card` under the temp dir at `name` (relative), as `sghubctl keygen` would.
  void WriteCard(const wire::AgencyCard& card, std::string_view name) const {
    std::filesystem::create_directories(Path(name).parent_path());
    Status s = wire::WriteCardFile(card, Path(name));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // An [[agency]] section with the card inline: exactly 6 lines.
  static std::string InlineAgency(const wire::AgencyCard& card, std::string_view kind) {
    return "[[agency]]\n"
           "id = \"" +
           card.id +
           "\"\n"
           "kind = \"" +
           std::string(kind) +
           "\"\n"
           "transport_public = \"" +
           card.transport.Hex() +
           "\"\n"
           "signing_public = \"" +
           card.signing.Hex() +
           "\"\n"
           "sealing_public = \"" +
           card.sealing.Hex() + "\"\n";
  }

  testutil::TempDir dir_;
};

}  // namespace hub::config
