#include "tests/adapters/sdk/adapter_test_env.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "hub/wire/key_files.h"

namespace hub::testutil {

namespace fs = std::filesystem;

std::string KindOf(const std::string& agency) {
  if (agency.rfind("nhs", 0) == 0) {
    return "nhs_mh";
  }
  if (agency.rfind("council", 0) == 0) {
    return "council";
  }
  return "police";
}

Result<std::unique_ptr<AdapterTestEnv>> AdapterTestEnv::Create(const fs::path& dir,
                                                               const std::string& extra_limits) {
  std::unique_ptr<AdapterTestEnv> env(new AdapterTestEnv());
  env->dir_ = dir;
  HUB_ASSIGN_OR_RETURN(env->world_, TestWorld::Create(dir,
                                                      {{kNhs, sghub::v1::AGENCY_KIND_NHS_MH},
                                                       {kCouncil, sghub::v1::AGENCY_KIND_COUNCIL},
                                                       {kPolice, sghub::v1::AGENCY_KIND_POLICE}},
                                                      extra_limits));
  for (const char* id : {kNhs, kCouncil, kPolice}) {
    HUB_RETURN_IF_ERROR(wire::WriteSecretKeyFile(env->world_->agency(id),
                                                 dir / "keys" / (std::string(id) + ".key")));
  }
  HUB_RETURN_IF_ERROR(env->world_->subject_key().WriteFile(dir / "keys" / "subject.key"));
  HUB_RETURN_IF_ERROR(
      wire::WriteCardFile(env->world_->hub().card(), dir / "keys" / "hub.card.toml"));
  return env;
}

sdk::AdapterConfig AdapterTestEnv::BaseConfig(const std::string& agency,
                                              const std::string& transport) const {
  sdk::AdapterConfig c;
  c.source = dir_ / (agency + ".toml");
  c.agency_id = agency;
  c.kind = world_->agency(agency).card().kind;
  c.key_file = dir_ / "keys" / (agency + ".key");
  c.subject_key_file = dir_ / "keys" / "subject.key";
  c.state_dir = dir_ / "state" / agency;
  c.hub_endpoint = world_->endpoint();
  c.hub_card = dir_ / "keys" / "hub.card.toml";
  c.reconnect_min_ms = 50;
  c.reconnect_max_ms = 500;
  c.heartbeat_ms = 1000;
  c.submit_timeout_ms = 5000;
  c.answer_timeout_ms = 5000;
  c.cards_dir = dir_ / "keys";
  c.default_lawful_basis.set_art6(sghub::v1::ART6_BASIS_PUBLIC_TASK);
  c.default_lawful_basis.set_art9(sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);
  c.transport = transport;
  c.spool.root = SpoolRoot(agency);
  c.spool.poll_interval_ms = 50;
  return c;
}

fs::path AdapterTestEnv::WriteConfig(const std::string& agency, const std::string& transport,
                                     const std::string& transport_toml,
                                     const std::string& extra_toml) const {
  const fs::path path = dir_ / (agency + ".toml");
  std::ofstream out(path);
  out << "[agency]\n"
      << "id = \"" << agency << "\"\n"
      << "kind = \"" << KindOf(agency) << "\"\n"
      << "key_file = \"keys/" << agency << ".key\"\n"
      << "subject_key_file = \"keys/subject.key\"\n"
      << "state_dir = \"state/" << agency << "\"\n\n"
      << "[hub]\n"
      << "endpoint = \"" << world_->endpoint() << "\"\n"
      << "card = \"keys/hub.card.toml\"\n"
      << "reconnect_min = \"50ms\"\n"
      << "reconnect_max = \"500ms\"\n"
      << "heartbeat = \"1s\"\n"
      << "submit_timeout = \"5s\"\n"
      << "answer_timeout = \"5s\"\n\n"
      << "[peers]\n"
      << "dir = \"keys\"\n\n"
      << "[defaults]\n"
      << "art6 = \"public_task\"\n"
      << "art9 = \"sch1_para18_safeguarding\"\n\n"
      << extra_toml << "\n"
      << "[transport]\n"
      << "name = \"" << transport << "\"\n\n"
      << transport_toml;
  return path;
}

Status AdapterTestEnv::StartHub() {
  HUB_ASSIGN_OR_RETURN(
      hub_, ChildProcess::Start(BuiltProgram("hub/daemon/sghubd"),
                                {"--config", world_->config_path().string()}, dir_ / "sghubd.log"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!hub_->Running()) {
      return Status::Internal("sghubd exited during start:\n" + HubLog());
    }
    auto probe = HubClient::Connect(context_, world_->endpoint(), world_->agency(kPolice),
                                    world_->hub().card().transport, 200);
    if (probe.ok()) {
      return Status::Ok();
    }
  }
  return Status::Unavailable("sghubd did not become ready:\n" + HubLog());
}

void AdapterTestEnv::KillHub() {
  if (hub_) {
    hub_->Signal(SIGKILL);
    hub_->Wait(10000);
  }
}

int AdapterTestEnv::StopHub() {
  hub_->Signal(SIGTERM);
  return hub_->Wait(20000);
}

std::string AdapterTestEnv::HubLog() const { return ReadFile(dir_ / "sghubd.log"); }

Result<std::unique_ptr<ChildProcess>> AdapterTestEnv::StartAdapter(const std::string& agency) {
  return ChildProcess::Start(
      BuiltProgram("adapters/" + KindOf(agency) + "/sghub-adapter-" + KindOf(agency)),
      {"--config", (dir_ / (agency + ".toml")).string()}, dir_ / (agency + ".log"));
}

std::string AdapterTestEnv::AdapterLog(const std::string& agency) const {
  return ReadFile(dir_ / (agency + ".log"));
}

std::unique_ptr<HubClient> AdapterTestEnv::ConnectAs(const std::string& agency) {
  auto client = HubClient::Connect(context_, world_->endpoint(), world_->agency(agency),
                                   world_->hub().card().transport, 5000);
  return client.ok() ? std::move(*client) : nullptr;
}

std::vector<std::string> ListFiles(const fs::path& dir, const std::string& suffix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !it->is_regular_file()) {
      continue;
    }
    if (suffix.empty() || name.ends_with(suffix)) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool WaitFor(const std::function<bool()>& cond, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (cond()) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace hub::testutil
