#include "tests/adapters/integration/adapter_process_fixture.h"

#include "tests/testutil/paths.h"

namespace hub::testutil {
namespace {

// `text` with the first `from` replaced by `to`; a (non-fatal) test failure when `from` is
// not in `text` (the example changed), which is then returned unchanged.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace

void AdapterProcessFixture::SetUp() {
  auto env = AdapterTestEnv::Create(dir_.path(), "redeliver_after_ms = 1000\n");
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  env_ = std::move(*env);
  for (const char* agency : {kNhs, kCouncil, kPolice}) {
    env_->WriteConfig(agency, transport_, TransportToml(agency));
  }
}

void AdapterProcessFixture::TearDown() { adapters_.clear(); }

void AdapterProcessFixture::Start(const std::string& agency) {
  auto p = env_->StartAdapter(agency);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  adapters_[agency] = std::move(*p);
}

std::string AdapterProcessFixture::Logs() const {
  std::string out = "--- hub\n" + env_->HubLog();
  for (const char* agency : {kNhs, kCouncil, kPolice}) {
    out += std::string("--- ") + agency + "\n" + env_->AdapterLog(agency);
  }
  return out;
}

std::string Example(const std::string& name) {
  std::string text = ReadFile(SourceDir() / "docs" / "adapters" / "examples" / name);
  for (size_t at = text.find("2024-09-14"); at != std::string::npos;
       at = text.find("2024-09-14", at)) {
    text.replace(at, 4, "2099");
  }
  return text;
}

std::string CouncilConcernWithTwoBadFields() {
  std::string bad = Example("council-concern.json");
  bad = Replace(bad, "\"abuse_category\": \"targeted_hostility\"",
                "\"abuse_category\": \"rudeness\"");
  return Replace(bad, "\"urgency\": \"urgent\"", "\"urgency\": \"whenever\"");
}

std::string NumberedCouncilConcernToNhs(int i) {
  std::string text = Example("council-concern.json");
  text = Replace(text, "\"recipients\": [\"police.north\", \"nhs.north-trust\"]",
                 "\"recipients\": [\"nhs.north-trust\"]");
  return Replace(text, "\"MOS-ASC-778812\"", "\"MOS-ASC-" + std::to_string(1000 + i) + "\"");
}

}  // namespace hub::testutil
