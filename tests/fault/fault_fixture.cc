#include "tests/fault/fault_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

namespace hub::testutil {

bool FaultLongRun() {
  const char* v = std::getenv("SGHUB_FAULT_LONG");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    return fallback;
  }
  char* end = nullptr;
  long long parsed = std::strtoll(v, &end, 10);
  return (end != nullptr && *end == '\0') ? parsed : fallback;
}

uint64_t FaultSeed() {
  int64_t fixed = EnvInt("SGHUB_FAULT_SEED", -1);
  if (fixed >= 0) {
    return static_cast<uint64_t>(fixed);
  }
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

int64_t MonoMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t FaultLedger::MedianRecoveryMs() const {
  if (recovery_ms.empty()) {
    return 0;
  }
  std::vector<int64_t> sorted = recovery_ms;
  std::sort(sorted.begin(), sorted.end());
  return sorted[sorted.size() / 2];
}

int64_t FaultLedger::MaxRecoveryMs() const {
  return recovery_ms.empty() ? 0 : *std::max_element(recovery_ms.begin(), recovery_ms.end());
}

void FaultLedger::Print() const {
  std::ostringstream line;
  line << "FAULT-LEDGER case=" << name << " submitted=" << submitted << " accepted=" << accepted
       << " refused=" << refused << " delivered_unique=" << delivered_unique
       << " raw_duplicates=" << raw_duplicates
       << " duplicated_after_dedupe=" << duplicated_after_dedupe << " lost=" << lost
       << " recoveries=" << recovery_ms.size() << " recovery_ms_median=" << MedianRecoveryMs()
       << " recovery_ms_max=" << MaxRecoveryMs();
  for (const auto& [key, value] : extra) {
    line << " " << key << "=" << value;
  }
  std::cout << line.str() << std::endl;
}

bool DedupReceiver::Take(HubClient& client, const Delivery& d) {
  (void)client.Ack(d);
  if (d.is_notice) {
    ++notices;
    return false;
  }
  ++raw_deliveries;
  if (!seen.insert(d.message_id).second) {
    ++raw_duplicates;
    return false;
  }
  return true;
}

int64_t DedupReceiver::Drain(HubClient& client, int idle_ms, int max_ms) {
  int64_t fresh = 0;
  const int64_t deadline = MonoMs() + max_ms;
  while (MonoMs() < deadline) {
    auto d = client.NextDelivery(idle_ms);
    if (!d.ok()) {
      break;
    }
    fresh += Take(client, *d) ? 1 : 0;
  }
  return fresh;
}

FaultHub::~FaultHub() {
  if (Running()) {
    kill(pid_, SIGCONT);
    kill(pid_, SIGKILL);
    Wait(5000);
  }
}

void FaultHub::Signal(int signo) {
  if (exit_code_ < 0) {
    kill(pid_, signo);
  }
}

int FaultHub::Wait(int timeout_ms) {
  const int64_t deadline = MonoMs() + timeout_ms;
  while (exit_code_ < 0) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (MonoMs() >= deadline) {
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return exit_code_;
}

void FaultFixture::TearDown() {
  proc_.reset();
  HubFixture::TearDown();
}

void FaultFixture::SpawnHub(const Launch& launch) {
  proc_.reset();
  std::vector<std::string> argv = launch.prefix;
  argv.push_back(BuiltProgram("hub/daemon/sghubd").string());
  argv.push_back("--config");
  argv.push_back(world_->config_path().string());
  const std::string log = (dir_ / "sghubd.log").string();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, 2);
      dup2(fd, 1);
    }
    for (const auto& [key, value] : launch.env) {
      setenv(key.c_str(), value.c_str(), 1);
    }
    std::vector<char*> args;
    for (std::string& a : argv) {
      args.push_back(a.data());
    }
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  proc_ = std::make_unique<FaultHub>(pid);
}

int64_t FaultFixture::StartHubTimed(int timeout_ms, const Launch& launch) {
  const int64_t start = MonoMs();
  SpawnHub(launch);
  if (proc_ == nullptr) {
    return -1;
  }
  while (MonoMs() - start < timeout_ms) {
    if (!proc_->Running()) {
      return -1;
    }
    auto probe = HubClient::Connect(context_, world_->endpoint(), world_->agency("police-west"),
                                    world_->hub().card().transport, 50);
    if (probe.ok()) {
      return MonoMs() - start;
    }
  }
  return -1;
}

int FaultFixture::StopFaultHub() {
  proc_->Signal(SIGTERM);
  return proc_->Wait(20000);
}

std::unique_ptr<HubClient> FaultFixture::TryConnect(const std::string& agency, int timeout_ms,
                                                    uint32_t max_in_flight) {
  auto client = HubClient::Connect(context_, world_->endpoint(), world_->agency(agency),
                                   world_->hub().card().transport, timeout_ms, max_in_flight);
  return client.ok() ? std::move(*client) : nullptr;
}

std::string FaultFixture::Alert(const std::vector<std::string>& recipients, std::string* id_out,
                                int64_t lifetime_ms) {
  auto envelope = world_->MakeAlert(
      {.sender = "nhs-north", .recipients = recipients, .lifetime_ms = lifetime_ms}, id_out);
  EXPECT_TRUE(envelope.ok()) << envelope.status().ToString();
  return envelope.ok() ? *envelope : std::string();
}

int64_t FaultFixture::HubFdCount() const {
  const std::string dir = "/proc/" + std::to_string(proc_->pid()) + "/fd";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    return -1;
  }
  int64_t n = 0;
  while (struct dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') {
      ++n;
    }
  }
  closedir(d);
  return n;
}

int64_t FaultFixture::HubRssKib() const {
  std::ifstream status("/proc/" + std::to_string(proc_->pid()) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtoll(line.c_str() + 6, nullptr, 10);
    }
  }
  return -1;
}

}  // namespace hub::testutil
