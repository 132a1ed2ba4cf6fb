// AdapterTestEnv is a small sghub deployment in a temp dir for adapter tests: the three
// agencies the example documents name (nhs.north-trust, council.north, police.north), their
// key files (mode 0600), the subject key, the hub card, a real sghubd, adapter config files,
// and helpers to run the real sghub-adapter-<kind> binaries.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "adapters/sdk/adapter_config.h"
#include "hub/base/result.h"
#include "tests/testutil/hub_client.h"
#include "tests/testutil/test_world.h"

namespace hub::testutil {

inline constexpr const char* kNhs = "nhs.north-trust";
inline constexpr const char* kCouncil = "council.north";
inline constexpr const char* kPolice = "police.north";

// A child process running a built program; killed with SIGKILL by the destructor.
class AdapterTestEnv {
 public:
  // `extra_limits` is appended to the hub's [limits] table.
  static Result<std::unique_ptr<AdapterTestEnv>> Create(const std::filesystem::path& dir,
                                                        const std::string& extra_limits = "");

  const std::filesystem::path& dir() const { return dir_; }
  TestWorld& world() { return *world_; }

  // The adapter config of `agency` (kind from the id), built from the SDK's defaults plus
  // test-friendly timings. Write it with WriteConfig.
  sdk::AdapterConfig BaseConfig(const std::string& agency, const std::string& transport) const;
  // Writes `dir`/<agency>.toml for an adapter process; `transport_toml` is the
  // [transport.*] sub-table text. Returns the path.
  std::filesystem::path WriteConfig(const std::string& agency, const std::string& transport,
                                    const std::string& transport_toml,
                                    const std::string& extra_toml = "") const;
  std::filesystem::path SpoolRoot(const std::string& agency) const {
    return dir_ / "spool" / agency;
  }

  Status StartHub();
  void KillHub();
  int StopHub();
  std::string HubLog() const;

  // Runs sghub-adapter-<kind> for `agency` with WriteConfig's file; stderr to
  // `dir`/<agency>.log.
  Result<std::unique_ptr<ChildProcess>> StartAdapter(const std::string& agency);
  std::string AdapterLog(const std::string& agency) const;

  std::unique_ptr<HubClient> ConnectAs(const std::string& agency);

 private:
  std::filesystem::path dir_;
  std::unique_ptr<TestWorld> world_;
  std::unique_ptr<ChildProcess> hub_;
  zmq::context_t context_{1};
};

// Files in `dir` whose names pass `keep` (all regular non-dot files when empty).
std::vector<std::string> ListFiles(const std::filesystem::path& dir,
                                   const std::string& suffix = "");

// Polls `cond` every 20 ms until it holds or timeout_ms passes.
bool WaitFor(const std::function<bool()>& cond, int timeout_ms);

// The kind name ("nhs_mh", "council", "police") of one of the three test agencies.
std::string KindOf(const std::string& agency);

}  // namespace hub::testutil
