#include "tests/testutil/test_world.h"

#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

#include "hub/wire/envelope.h"
#include "hub/wire/key_files.h"
#include "hub/wire/subject_ref.h"
#include "tests/testutil/paths.h"

namespace hub::testutil {

std::filesystem::path BuiltProgram(const std::string& relative) { return BuildDir() / relative; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<std::unique_ptr<TestWorld>> TestWorld::Create(const std::filesystem::path& dir,
                                                     const std::vector<AgencySpec>& agencies,
                                                     const std::string& extra_limits,
                                                     const std::string& listen) {
  std::unique_ptr<TestWorld> world(new TestWorld());
  world->dir_ = dir;
  world->listen_ = listen;
  world->specs_ = agencies;
  world->extra_limits_ = extra_limits;
  std::filesystem::create_directories(dir / "keys");
  HUB_ASSIGN_OR_RETURN(auto hub, wire::AgencyKeys::Generate("hub", sghub::v1::AGENCY_KIND_HUB));
  world->hub_ = std::make_unique<wire::AgencyKeys>(std::move(hub));
  HUB_RETURN_IF_ERROR(wire::WriteSecretKeyFile(*world->hub_, dir / "keys" / "hub.key"));
  for (const AgencySpec& spec : agencies) {
    HUB_ASSIGN_OR_RETURN(auto keys, wire::AgencyKeys::Generate(spec.id, spec.kind));
    HUB_RETURN_IF_ERROR(wire::WriteCardFile(keys.card(), dir / "keys" / (spec.id + ".card.toml")));
    world->agencies_[spec.id] = std::make_unique<wire::AgencyKeys>(std::move(keys));
  }
  HUB_ASSIGN_OR_RETURN(auto subject_key, wire::SubjectKey::Generate());
  world->subject_key_ = std::make_unique<wire::SubjectKey>(std::move(subject_key));
  HUB_RETURN_IF_ERROR(world->WriteConfig());
  return world;
}

Status TestWorld::WriteConfig() {
  std::ostringstream toml;
  toml << "[hub]\n"
       << "id = \"hub\"\n"
       << "listen = \"" << endpoint() << "\"\n"
       << "status_socket = \"" << (dir_ / "status.sock").string() << "\"\n"
       << "data_dir = \"" << (dir_ / "data").string() << "\"\n"
       << "key_file = \"" << (dir_ / "keys" / "hub.key").string() << "\"\n\n"
       << "[limits]\n"
       << extra_limits_ << "\n";
  for (const AgencySpec& spec : specs_) {
    bool revoked = std::find(revoked_.begin(), revoked_.end(), spec.id) != revoked_.end();
    toml << "[[agency]]\n"
         << "id = \"" << spec.id << "\"\n"
         << "card = \"" << (dir_ / "keys" / (spec.id + ".card.toml")).string() << "\"\n"
         << (spec.escalation_contact.empty()
                 ? std::string()
                 : "escalation_contact = \"" + spec.escalation_contact + "\"\n")
         << "revoked = " << (revoked ? "true" : "false") << "\n\n";
  }
  std::ofstream out(config_path());
  out << toml.str();
  out.close();
  if (!out) {
    return Status::IOError("cannot write " + config_path().string());
  }
  return Status::Ok();
}

Status TestWorld::RevokeInConfig(const std::string& id) {
  revoked_.push_back(id);
  return WriteConfig();
}

Result<std::string> TestWorld::MakeAlert(const AlertSpec& spec,
                                         std::string* message_id_out) const {
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  sghub::v1::Header h;
  h.set_version(1);
  std::string id = spec.message_id;
  if (id.empty()) {
    id.resize(16);
    randombytes_buf(id.data(), id.size());
  }
  h.set_message_id(id);
  h.set_sender(spec.sender);
  for (const std::string& r : spec.recipients) {
    h.add_recipients(r);
  }
  h.set_kind(spec.kind);
  h.set_category(spec.category);
  h.set_urgency(spec.urgency);
  h.set_purpose(sghub::v1::PURPOSE_SAFEGUARDING);
  h.set_created_at_ms(spec.created_at_ms != 0 ? spec.created_at_ms : now);
  h.set_expires_at_ms(h.created_at_ms() + spec.lifetime_ms);
  HUB_ASSIGN_OR_RETURN(auto ref, wire::SubjectRefFromNhsNumber(*subject_key_, spec.nhs_number));
  h.add_subject_refs(std::string(reinterpret_cast<const char*>(ref.data()), ref.size()));
  auto* consent = h.mutable_consent();
  consent->set_state(sghub::v1::CONSENT_STATE_GIVEN);
  auto* scope = consent->mutable_scope();
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_NHS_MH);
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_COUNCIL);
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_POLICE);
  scope->add_purposes(sghub::v1::PURPOSE_SAFEGUARDING);
  scope->add_purposes(sghub::v1::PURPOSE_CRIME_PREVENTION);
  scope->set_expires_at_ms(now + 180LL * 24 * 3600 * 1000);
  h.mutable_lawful_basis()->set_art6(sghub::v1::ART6_BASIS_PUBLIC_TASK);
  h.mutable_lawful_basis()->set_art9(sghub::v1::ART9_CONDITION_SCH1_PARA18_SAFEGUARDING);
  if (spec.kind == sghub::v1::ALERT_KIND_OUTCOME) {
    h.set_outcome_code(sghub::v1::OUTCOME_CODE_S42_ENQUIRY_OPENED);
  }
  if (spec.edit_header) {
    spec.edit_header(h);
  }

  sghub::v1::AlertBody body;
  body.set_message_id(h.message_id());
  body.set_sender(h.sender());
  for (const std::string& r : h.recipients()) {
    body.add_recipients(r);
  }
  body.mutable_person()->set_nhs_number(spec.nhs_number);
  body.mutable_incident()->set_summary(std::string(spec.body_bytes, 'x'));
  body.mutable_voice()->set_own_words("They keep coming round and taking my money.");

  std::vector<wire::RecipientSealKey> keys;
  for (const std::string& r : h.recipients()) {
    auto it = agencies_.find(r);
    wire::PublicKey sealing = it != agencies_.end() ? it->second->card().sealing : hub_->card().sealing;
    keys.push_back({r, sealing});
  }
  const wire::AgencyKeys& sender = spec.sender == "hub" ? *hub_ : *agencies_.at(spec.sender);
  if (message_id_out != nullptr) {
    *message_id_out = h.message_id();
  }
  return wire::SealEnvelope(h, body, keys, sender.signing_secret());
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::StartHub(
    const std::filesystem::path& config, const std::filesystem::path& log_file,
    const std::vector<std::string>& extra_env) {
  return Start(BuiltProgram("hub/daemon/sghubd"), {"--config", config.string()}, log_file,
               extra_env);
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::filesystem::path& program_path, const std::vector<std::string>& args,
    const std::filesystem::path& log_file, const std::vector<std::string>& extra_env) {
  const std::string program = program_path.string();
  // The child's environment is built before fork: the parent may have threads (zmq), so the
  // child does nothing between fork and exec that could allocate.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const std::string& extra : extra_env) {
      const size_t eq = extra.find('=');
      if (eq != std::string::npos && entry.substr(0, eq + 1) == extra.substr(0, eq + 1)) {
        replaced = true;
      }
    }
    if (!replaced) {
      env_strings.emplace_back(entry);
    }
  }
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (std::string& entry : env_strings) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    return Status::IOError("fork failed");
  }
  if (pid == 0) {
    int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, 2);
      dup2(fd, 1);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

ChildProcess::~ChildProcess() {
  if (Running()) {
    kill(pid_, SIGKILL);
    Wait(5000);
  }
}

void ChildProcess::Signal(int signo) {
  if (exit_code_ < 0) {
    kill(pid_, signo);
  }
}

bool ChildProcess::Running() {
  if (exit_code_ >= 0) {
    return false;
  }
  return Wait(0) < 0;
}

int ChildProcess::Wait(int timeout_ms) {
  if (exit_code_ >= 0) {
    return exit_code_;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace hub::testutil
