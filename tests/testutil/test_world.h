// TestWorld is a hub deployment in a temp directory for integration tests and benchmarks:
// the hub's keys, agencies with their keys and cards, the subject key, and a hub config
// that registers them, listening on an ipc socket inside the directory (or on the endpoint
// given to Create, e.g. tcp://127.0.0.1:PORT). ChildProcess runs the real sghubd binary on
// that config.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/subject_key.h"
#include "sghub/v1/alert.pb.h"
#include "sghub/v1/envelope.pb.h"

namespace hub::testutil {

struct AgencySpec {
  std::string id;
  sghub::v1::AgencyKind kind;
  std::string escalation_contact;  // agency id written as escalation_contact; empty: none
};

// What MakeAlert puts in the header; the defaults give a valid, consent-based concern.
struct AlertSpec {
  std::string sender;
  std::vector<std::string> recipients;
  sghub::v1::AlertKind kind = sghub::v1::ALERT_KIND_CONCERN;
  sghub::v1::Category category = sghub::v1::CATEGORY_TARGETED_HOSTILITY;
  sghub::v1::Urgency urgency = sghub::v1::URGENCY_URGENT;
  int64_t created_at_ms = 0;   // 0: now
  int64_t lifetime_ms = 3600000;
  std::string message_id;      // empty: random
  std::string nhs_number = "9434765919";
  size_t body_bytes = 200;     // size of the incident summary
  // Applied to the header after the defaults, before signing.
  std::function<void(sghub::v1::Header&)> edit_header;
};

class TestWorld {
 public:
  // Generates every key and writes `dir`/hub.toml. `extra_toml` is appended to the
  // [limits] table (e.g. "redeliver_after_ms = 500\n"). `listen` replaces the default
  // ipc endpoint when not empty (e.g. "tcp://127.0.0.1:5555").
  static Result<std::unique_ptr<TestWorld>> Create(const std::filesystem::path& dir,
                                                   const std::vector<AgencySpec>& agencies,
                                                   const std::string& extra_limits = "",
                                                   const std::string& listen = "");

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path config_path() const { return dir_ / "hub.toml"; }
  std::filesystem::path store_path() const { return dir_ / "data" / "sghub.db"; }
  std::string endpoint() const {
    return listen_.empty() ? "ipc://" + (dir_ / "hub.sock").string() : listen_;
  }
  const wire::AgencyKeys& hub() const { return *hub_; }
  const wire::AgencyKeys& agency(const std::string& id) const { return *agencies_.at(id); }
  const wire::SubjectKey& subject_key() const { return *subject_key_; }

  // A signed, sealed envelope from spec.sender to spec.recipients. `message_id_out`, when
  // given, receives the id.
  Result<std::string> MakeAlert(const AlertSpec& spec, std::string* message_id_out = nullptr) const;

  // Rewrites hub.toml with the agency `id` marked revoked (for SIGHUP tests).
  Status RevokeInConfig(const std::string& id);

 private:
  Status WriteConfig();

  std::filesystem::path dir_;
  std::unique_ptr<wire::AgencyKeys> hub_;
  std::map<std::string, std::unique_ptr<wire::AgencyKeys>> agencies_;
  std::vector<AgencySpec> specs_;
  std::vector<std::string> revoked_;
  std::string extra_limits_;
  std::string listen_;  // empty: the ipc socket in dir_
  std::unique_ptr<wire::SubjectKey> subject_key_;
};

// A running sghubd. The destructor kills it (SIGKILL) if it is still running.
class ChildProcess {
 public:
  // Starts `$SGHUB_BUILD_DIR/hub/daemon/sghubd --config config`, stderr to `log_file`.
  // `extra_env` entries ("NAME=value", e.g. NOTIFY_SOCKET=/path) are added to the inherited
  // environment, replacing a variable of the same name.
  static Result<std::unique_ptr<ChildProcess>> Start(
      const std::filesystem::path& program, const std::vector<std::string>& args,
      const std::filesystem::path& log_file, const std::vector<std::string>& extra_env = {});
  // Starts `$SGHUB_BUILD_DIR/hub/daemon/sghubd --config config`.
  static Result<std::unique_ptr<ChildProcess>> StartHub(
      const std::filesystem::path& config, const std::filesystem::path& log_file,
      const std::vector<std::string>& extra_env = {});
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Sends a signal.
  void Signal(int signo);
  // Waits up to timeout_ms for exit; returns the exit code, or 128+signal, or -1 on timeout.
  int Wait(int timeout_ms);
  bool Running();

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The path of a built program, from SGHUB_BUILD_DIR (set by ctest), e.g. "hub/daemon/sghubd".
std::filesystem::path BuiltProgram(const std::string& relative);

// Reads a whole file (for logs in failure messages).
std::string ReadFile(const std::filesystem::path& path);

}  // namespace hub::testutil
