#include "hub/core/daemon.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <zmq.hpp>

#include "hub/base/logging.h"
#include "hub/core/agency_registry.h"
#include "hub/core/broker.h"
#include "hub/core/hub_signer.h"
#include "hub/core/listener.h"
#include "hub/core/status_collector.h"
#include "hub/core/status_server.h"
#include "hub/core/zap_handler.h"
#include "hub/policy/policy_config.h"
#include "hub/policy/policy_engine.h"
#include "hub/policy/policy_toml.h"
#include "hub/store/sqlite_store.h"
#include "hub/wire/key_files.h"
#include "hub/wire/process_hardening.h"

// A draft option of libzmq 4.3 that Debian's build accepts: with it set, a handshake that
// gets no ZAP reply fails instead of succeeding unauthenticated.
#ifndef SGHUB_VERSION
#define SGHUB_VERSION "unknown"
#endif

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

namespace hub::core {
namespace {

// Closes the signalfd when it goes out of scope.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int StartupFailed(const std::string& what, const Status& why) {
  Logger(Component::kBroker).critical("{}: {}", what, why.message());
  return kExitStartupFailed;
}

Result<policy::PolicyConfig> LoadPolicy(const config::HubConfig& config) {
  if (config.policy_file.empty()) {
    return policy::DefaultPolicy();
  }
  std::ifstream in(config.policy_file);
  if (!in) {
    return Status::NotFound("cannot read policy file " + config.policy_file.string());
  }
  std::stringstream text;
  text << in.rdbuf();
  HUB_ASSIGN_OR_RETURN(policy::PolicyConfig policy,
                       policy::ParsePolicyToml(text.str(), config.policy_file.string()));
  HUB_RETURN_IF_ERROR(policy::ValidatePolicy(policy));
  return policy;
}

}  // namespace

int Daemon::Run() {
  auto& log = Logger(Component::kBroker);
  // Also done by InitProcess in main(); repeated because Run() loads the secret keys and
  // must not depend on how it was embedded.
  Status hardened = wire::DisableCoreDumps();
  if (!hardened.ok()) {
    return StartupFailed("cannot disable core dumps", hardened);
  }
  auto hub_keys = wire::LoadSecretKeyFile(config_.key_file);
  if (!hub_keys.ok()) {
    return StartupFailed("hub key file", hub_keys.status());
  }
  auto policy_config = LoadPolicy(config_);
  if (!policy_config.ok()) {
    return StartupFailed("policy", policy_config.status());
  }
  policy::PolicyEngine policy(std::move(*policy_config));

  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) {
    return StartupFailed("data directory " + config_.data_dir.string(),
                         Status::IOError(ec.message()));
  }
  // Block the signals before any thread starts (the store starts its checkpointer), so that
  // every thread inherits the mask and only the signalfd sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto store = store::SqliteStore::Open(config_.data_dir / "sghub.db");
  if (!store.ok()) {
    return StartupFailed("store refused", store.status());
  }

  // The status socket is bound before any thread starts: Start() narrows the umask around
  // bind(). Its provider reads through `collector`, set once the broker exists; requests are
  // only served from inside broker.Run(), so it is never called while still null.
  SystemClock system_clock;
  const Clock& clock = clock_ != nullptr ? *clock_ : system_clock;
  const StatusCollector* collector = nullptr;
  auto status = StatusServer::Start(config_.status_socket, clock,
                                    [&collector]() { return collector->Collect(); });
  if (!status.ok()) {
    return StartupFailed("status socket", status.status());
  }

  // Checkpoints are verified against the hub signing key; record which key signs them.
  Status recorded = [&]() -> Status {
    HUB_RETURN_IF_ERROR((*store)->Begin());
    Status put = (*store)->PutMeta("hub_signing_public", hub_keys->card().signing.Hex());
    if (!put.ok()) {
      (*store)->Rollback();
      return put;
    }
    return (*store)->Commit();
  }();
  if (!recorded.ok()) {
    return StartupFailed("store", recorded);
  }

  ScopedFd signal_fd(signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));
  if (signal_fd.get() < 0) {
    return StartupFailed("signalfd", Status::IOError(std::strerror(errno)));
  }

  RegistryHolder registry(std::make_shared<const AgencyRegistry>(config_.agencies));
  zmq::context_t context(1);
  ZapHandler zap(context, registry, kZapDomain);
  Status zap_started = zap.Start();  // before the listener binds: never an unguarded moment
  if (!zap_started.ok()) {
    return StartupFailed("authentication handler", zap_started);
  }
  zmq::socket_t listener(context, zmq::socket_type::router);
  Status listening = ConfigureListener(listener, config_, *hub_keys);
  if (!listening.ok()) {
    return StartupFailed("listener", listening);
  }

  HubSigner notices(hub_keys->signing_secret());
  uint64_t watchdog_usec = 0;
  const bool watchdog = sd_watchdog_enabled(0, &watchdog_usec) > 0;
  int64_t next_watchdog_ms = 0;
  Broker::Hooks hooks;
  const std::filesystem::path config_file = config_.source;
  hooks.reload_registry = [config_file]() -> Result<std::shared_ptr<const AgencyRegistry>> {
    HUB_ASSIGN_OR_RETURN(auto agencies, config::LoadAgencies(config_file));
    return std::make_shared<const AgencyRegistry>(std::move(agencies));
  };
  hooks.on_turn = [&]() {
    if (watchdog && clock.MonotonicMs() >= next_watchdog_ms) {
      sd_notify(0, "WATCHDOG=1");
      next_watchdog_ms = clock.MonotonicMs() + static_cast<int64_t>(watchdog_usec / 2000);
    }
  };
  hooks.watch_fds = [&status]() { return (*status)->WatchFds(); };
  hooks.on_fd_readable = [&status](int fd) { (*status)->OnReadable(fd); };
  Broker broker(config_, registry, **store, policy, notices, clock, listener, zap,
                std::move(hooks));
  StatusCollector status_collector(config_, broker, registry, **store, clock, SGHUB_VERSION);
  collector = &status_collector;

  log.info("sghubd {} listening on {} with {} agencies, store {}", SGHUB_VERSION,
           config_.listen_endpoint, config_.agencies.size(),
           (config_.data_dir / "sghub.db").string());
  sd_notify(0, "READY=1\nSTATUS=accepting alerts");
  int code = broker.Run(signal_fd.get());
  sd_notify(0, "STOPPING=1");
  if (code == kExitOk) {
    // The next start may skip the O(store size) integrity check (SqliteStore).
    Status marked = (*store)->MarkCleanShutdown();
    if (!marked.ok()) {
      log.error("cannot record the clean shutdown; the next start checks the store in full: {}",
                marked.message());
    }
  }
  listener.close();
  zap.Stop();
  return code;
}

}  // namespace hub::core
