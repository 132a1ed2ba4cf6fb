// Shared harness of the fault suite: a HubFixture with timed restarts, a de-duplicating
// receiver, the ledger every case prints, and the knobs that make a run long.
//
// Every case reports the same three figures (DESIGN.md section 5): acknowledged alerts lost,
// deliveries duplicated after the receiver's de-duplication, and recovery time. Raw duplicate
// deliveries are counted and printed too, since at-least-once delivery allows them.
//
// Knobs (environment): SGHUB_FAULT_LONG=1 runs the long form of every case (many cycles);
// SGHUB_FAULT_SEED=N replays a randomised run; SGHUB_FAULT_CYCLES=N overrides the number of
// kill cycles of the crash ledger.
#pragma once

#include <cstdint>
#include <sys/types.h>

#include <map>
#include <memory>
#include <utility>
#include <set>
#include <string>
#include <vector>

#include "tests/integration/hub_fixture.h"

namespace hub::testutil {

// True when SGHUB_FAULT_LONG is set to anything but "" or "0".
bool FaultLongRun();
// An integer from the environment, or `fallback` when unset or unparsable.
int64_t EnvInt(const char* name, int64_t fallback);
// SGHUB_FAULT_SEED, or a fresh random seed; printed by the caller so a run can be replayed.
uint64_t FaultSeed();
// Wall-clock milliseconds from a monotonic clock.
int64_t MonoMs();

// What one fault case measured. Print() writes one greppable line, "FAULT-LEDGER case=...".
struct FaultLedger {
  std::string name;
  int64_t submitted = 0;
  int64_t accepted = 0;
  int64_t refused = 0;
  int64_t delivered_unique = 0;
  int64_t raw_duplicates = 0;        // deliveries of an id already seen (allowed)
  int64_t duplicated_after_dedupe = 0;  // must be 0: an id handed to the application twice
  int64_t lost = 0;                  // must be 0: accepted but never delivered
  std::vector<int64_t> recovery_ms;  // per restart or per recovery
  std::map<std::string, std::string> extra;  // case-specific figures, printed as key=value

  int64_t MedianRecoveryMs() const;
  int64_t MaxRecoveryMs() const;
  void Print() const;
};

// A receiving adapter's de-duplication: the application sees each message id once, however
// many times the hub delivers it. Notices are acknowledged and counted apart.
struct DedupReceiver {
  std::set<std::string> seen;  // alert message ids handed to the application
  int64_t raw_deliveries = 0;
  int64_t raw_duplicates = 0;
  int64_t notices = 0;

  // Receives and acks until nothing arrives for idle_ms (or until max_ms in all).
  // Returns the number of new unique alerts.
  int64_t Drain(HubClient& client, int idle_ms, int max_ms);
  // Handles one delivery: records it and acks it. Returns true when it was new.
  bool Take(HubClient& client, const Delivery& d);
};

// How to launch sghubd: under a wrapper (e.g. strace with fault injection) and with extra
// environment (e.g. libfaketime).
struct Launch {
  std::vector<std::string> prefix;                          // argv before sghubd
  std::vector<std::pair<std::string, std::string>> env;     // set in the child
};

// A running sghubd (or its wrapper), started by the fault suite. The destructor SIGKILLs it.
class FaultHub {
 public:
  explicit FaultHub(pid_t pid) : pid_(pid) {}
  ~FaultHub();
  FaultHub(const FaultHub&) = delete;
  FaultHub& operator=(const FaultHub&) = delete;
  pid_t pid() const { return pid_; }
  void Signal(int signo);
  // Exit code, 128+signal, or -1 when still running after timeout_ms.
  int Wait(int timeout_ms);
  bool Running() { return Wait(0) < 0; }

 private:
  pid_t pid_;
  int exit_code_ = -1;
};

class FaultFixture : public HubFixture {
 protected:
  void TearDown() override;
  // Starts sghubd and returns the milliseconds until an agency completed HELLO/WELCOME
  // (the recovery time), or -1 when it did not within timeout_ms.
  int64_t StartHubTimed(int timeout_ms = 20000, const Launch& launch = {});
  // Starts sghubd without waiting for it.
  void SpawnHub(const Launch& launch = {});
  // SIGTERM; returns the exit code.
  int StopFaultHub();
  // Connects as `agency`, retrying briefly; nullptr when the hub does not answer.
  std::unique_ptr<HubClient> TryConnect(const std::string& agency, int timeout_ms,
                                        uint32_t max_in_flight = 0);
  // An alert from nhs-north to `recipients`; records its id in `id_out`.
  std::string Alert(const std::vector<std::string>& recipients, std::string* id_out,
                    int64_t lifetime_ms = 3600000);
  // Open file descriptors and resident set (KiB) of the running hub, from /proc.
  int64_t HubFdCount() const;
  int64_t HubRssKib() const;

  std::unique_ptr<FaultHub> proc_;
};

}  // namespace hub::testutil
