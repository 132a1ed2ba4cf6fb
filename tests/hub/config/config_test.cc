#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "hub/config/hub_config.h"
#include "tests/hub/config/config_fixture.h"

namespace hub::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using HubConfigTest = ConfigFixture;

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

TEST_F(HubConfigTest, ParsesAFullConfigToTheRightValues) {
  wire::AgencyCard north = NewCard("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH);
  wire::AgencyCard lead = NewCard("nhs-north-lead", sghub::v1::AGENCY_KIND_NHS_MH);
  wire::AgencyCard police = NewCard("police-east", sghub::v1::AGENCY_KIND_POLICE);
  WriteCard(north, "agencies/nhs-north.card.toml");
  WriteFile("policy.toml", "# policy\n");
  std::string text = R"(
[hub]
id = "hub-east"
listen = "ipc://run/hub.sock"
status_socket = "run/status.sock"
data_dir = "data"
key_file = "keys/../hub.key"
policy_file = "policy.toml"

[limits]
max_frame_bytes = 524288
max_header_bytes = 16384
max_body_bytes = 393216
max_recipients = 8
max_subject_refs = 4
parse_depth = 32
max_clock_skew_ms = 60000
max_in_flight = 128
redeliver_after_ms = 45000
batch_max = 512

[transport]
heartbeat_ivl_ms = 2000
heartbeat_timeout_ms = 9000
handshake_ivl_ms = 3000
offline_threshold_ms = 600000

[deadlines]
immediate = "30m"
urgent = "2d"
routine_working_days = 10

[audit]
checkpoint_interval = "5m"

[retention]
body_days = 90

[[agency]]
id = "nhs-north"
name = "North Trust mental health"
card = "agencies/nhs-north.card.toml"
escalation_contact = "nhs-north-lead"

)" + InlineAgency(lead, "nhs_mh") +
                     InlineAgency(police, "police") + "revoked = true\n";

  Result<HubConfig> parsed = Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const HubConfig& c = *parsed;
  const std::filesystem::path dir = dir_.path();
  EXPECT_EQ(c.source, dir / "sghubd.toml");
  EXPECT_EQ(c.hub_id, "hub-east");
  EXPECT_EQ(c.listen_endpoint, "ipc://" + (dir / "run/hub.sock").string());
  EXPECT_FALSE(c.allow_public_bind);
  EXPECT_EQ(c.status_socket, dir / "run/status.sock");
  EXPECT_EQ(c.data_dir, dir / "data");
  EXPECT_EQ(c.key_file, dir / "hub.key");
  EXPECT_EQ(c.policy_file, dir / "policy.toml");

  EXPECT_EQ(c.limits.max_frame_bytes, 524288u);
  EXPECT_EQ(c.limits.max_header_bytes, 16384u);
  EXPECT_EQ(c.limits.max_body_bytes, 393216u);
  EXPECT_EQ(c.limits.max_recipients, 8u);
  EXPECT_EQ(c.limits.max_subject_refs, 4u);
  EXPECT_EQ(c.limits.parse_depth, 32);
  EXPECT_EQ(c.max_clock_skew_ms, 60000);
  EXPECT_EQ(c.max_in_flight, 128u);
  EXPECT_EQ(c.redeliver_after_ms, 45000);
  EXPECT_EQ(c.batch_max, 512u);

  EXPECT_EQ(c.heartbeat_ivl_ms, 2000);
  EXPECT_EQ(c.heartbeat_timeout_ms, 9000);
  EXPECT_EQ(c.handshake_ivl_ms, 3000);
  EXPECT_EQ(c.offline_threshold_ms, 600000);

  EXPECT_EQ(c.deadlines.immediate_ms, 30 * 60 * 1000);
  EXPECT_EQ(c.deadlines.urgent_ms, 2 * 24 * 3600 * 1000);
  EXPECT_EQ(c.deadlines.routine_working_days, 10);
  EXPECT_EQ(c.checkpoint_interval_ms, 5 * 60 * 1000);
  EXPECT_EQ(c.retention_days, 90);

  ASSERT_EQ(c.agencies.size(), 3u);
  const AgencyEntry* n = c.FindAgency("nhs-north");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->card.kind, sghub::v1::AGENCY_KIND_NHS_MH);
  EXPECT_EQ(n->card.transport, north.transport);
  EXPECT_EQ(n->card.signing, north.signing);
  EXPECT_EQ(n->card.sealing, north.sealing);
  EXPECT_EQ(n->display_name, "North Trust mental health");
  EXPECT_EQ(n->escalation_contact, "nhs-north-lead");
  EXPECT_FALSE(n->revoked);

  const AgencyEntry* l = c.FindAgency("nhs-north-lead");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->card.id, "nhs-north-lead");
  EXPECT_EQ(l->card.transport, lead.transport);
  EXPECT_EQ(l->card.signing, lead.signing);
  EXPECT_EQ(l->card.sealing, lead.sealing);
  EXPECT_EQ(l->display_name, "nhs-north-lead");  // no name given: the id
  EXPECT_TRUE(l->escalation_contact.empty());

  const AgencyEntry* p = c.FindAgency("police-east");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->card.kind, sghub::v1::AGENCY_KIND_POLICE);
  EXPECT_TRUE(p->revoked);
  EXPECT_EQ(c.FindAgency("council-east"), nullptr);
}

TEST_F(HubConfigTest, AppliesDefaultsWhenOptionalSectionsAreAbsent) {
  Result<HubConfig> parsed = Parse(kHubSection);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const HubConfig& c = *parsed;
  HubConfig defaults;
  wire::Limits limits;
  EXPECT_EQ(c.hub_id, "hub");
  EXPECT_EQ(c.listen_endpoint, "tcp://127.0.0.1:7800");
  EXPECT_TRUE(c.policy_file.empty());
  EXPECT_EQ(c.limits.max_frame_bytes, limits.max_frame_bytes);
  EXPECT_EQ(c.limits.max_body_bytes, limits.max_body_bytes);
  EXPECT_EQ(c.limits.parse_depth, limits.parse_depth);
  EXPECT_EQ(c.max_clock_skew_ms, 300000);
  EXPECT_EQ(c.max_in_flight, 64u);
  EXPECT_EQ(c.redeliver_after_ms, 30000);
  EXPECT_EQ(c.batch_max, 256u);
  EXPECT_EQ(c.heartbeat_ivl_ms, 5000);
  EXPECT_EQ(c.heartbeat_timeout_ms, 15000);
  EXPECT_EQ(c.handshake_ivl_ms, 5000);
  EXPECT_EQ(c.offline_threshold_ms, 900000);
  EXPECT_EQ(c.deadlines.immediate_ms, 3600000);
  EXPECT_EQ(c.deadlines.urgent_ms, 86400000);
  EXPECT_EQ(c.deadlines.routine_working_days, 5);
  EXPECT_EQ(c.checkpoint_interval_ms, defaults.checkpoint_interval_ms);
  EXPECT_EQ(c.retention_days, 30);
  EXPECT_TRUE(c.agencies.empty());
}

TEST_F(HubConfigTest, ShippedExampleFileParses) {
  std::ifstream in(std::filesystem::path(SGHUB_SOURCE_DIR) / "deploy/config/sghubd.toml.example");
  ASSERT_TRUE(in.good());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Point the example's absolute paths into the temp dir and give it the files it names.
  const std::string dir = dir_.path().string();
  text = ReplaceAll(text, "/etc/sghub/", dir + "/");
  text = ReplaceAll(text, "/var/lib/sghub", dir + "/data");
  text = ReplaceAll(text, "/run/sghub/", dir + "/");
  WriteFile("policy.toml", "# policy\n");
  WriteCard(NewCard("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH), "agencies/nhs-north.card.toml");
  WriteFile("sghubd.toml", text);

  Result<HubConfig> parsed = LoadHubConfig(Path("sghubd.toml"));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->listen_endpoint, "tcp://127.0.0.1:7800");
  EXPECT_EQ(parsed->key_file, Path("hub.key"));
  ASSERT_EQ(parsed->agencies.size(), 5u);
  EXPECT_EQ(parsed->FindAgency("nhs-north")->escalation_contact, "nhs-north-safeguarding");
  EXPECT_EQ(parsed->FindAgency("council-east")->card.kind, sghub::v1::AGENCY_KIND_COUNCIL);
  EXPECT_EQ(parsed->FindAgency("police-east")->card.kind, sghub::v1::AGENCY_KIND_POLICE);
  EXPECT_TRUE(parsed->FindAgency("council-east-2019")->revoked);
}

TEST_F(HubConfigTest, ResolvesRelativePathsAgainstTheConfigFileNotTheWorkingDirectory) {
  WriteFile("etc/hub.key", "stand-in\n");
  std::string text = R"([hub]
listen = "tcp://127.0.0.1:7800"
status_socket = "status.sock"
data_dir = "../var"
key_file = "hub.key"
)";
  WriteFile("etc/sghubd.toml", text);
  std::filesystem::path cwd = std::filesystem::current_path();
  std::filesystem::current_path("/");
  Result<HubConfig> parsed = LoadHubConfig(Path("etc/sghubd.toml"));
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->key_file, Path("etc/hub.key"));
  EXPECT_EQ(parsed->status_socket, Path("etc/status.sock"));
  EXPECT_EQ(parsed->data_dir, Path("var"));
}

TEST_F(HubConfigTest, UnknownKeysAreErrorsAtTheirLine) {
  std::string text = R"([hub]
lisen = "tcp://127.0.0.1:7800"
listen = "tcp://127.0.0.1:7800"
status_socket = "status.sock"
data_dir = "data"
key_file = "hub.key"

[limits]
max_frame = 1000

[deadline]
urgent = "1h"
)";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(2, "hub.lisen", "unknown key (did you mean \"listen\"?)"),
                          Err(9, "limits.max_frame", "unknown key"),
                          Err(11, "deadline", "unknown key (did you mean \"deadlines\"?)")));
}

TEST_F(HubConfigTest, WrongTypesAreErrors) {
  std::string text = std::string(kHubSection) + R"(allow_public_bind = "yes"
[limits]
batch_max = "256"
max_in_flight = 64.0
[deadlines]
urgent = 3600
)";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(6, "hub.allow_public_bind", "expected a boolean, got a string"),
                          Err(8, "limits.batch_max", "expected an integer, got a string"),
                          Err(9, "limits.max_in_flight", "expected an integer, got a float"),
                          Err(11, "deadlines.urgent", "expected a string, got an integer")));
}

TEST_F(HubConfigTest, OutOfRangeNumbersAreErrors) {
  std::string text = std::string(kHubSection) + R"(
[limits]
max_recipients = 0
max_clock_skew_ms = 86400000
batch_max = -1
[retention]
body_days = 4000
)";
  EXPECT_THAT(
      Errors(text),
      ElementsAre(Err(8, "limits.max_recipients", "must be from 1 to 256, got 0"),
                  Err(9, "limits.max_clock_skew_ms", "must be from 1000 to 3600000, got 86400000"),
                  Err(10, "limits.batch_max", "must be from 1 to 10000, got -1"),
                  Err(12, "retention.body_days", "must be from 1 to 3650, got 4000")));
}

TEST_F(HubConfigTest, DurationsAreParsedStrictly) {
  std::string text = std::string(kHubSection) + R"([deadlines]
immediate = "1.5h"
urgent = "24 h"
[audit]
checkpoint_interval = "0s"
)";
  std::vector<std::string> errors = Errors(text);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], StartsWith(Err(7, "deadlines.immediate", "\"1.5h\" is not a duration")));
  EXPECT_THAT(errors[1], StartsWith(Err(8, "deadlines.urgent", "\"24 h\" is not a duration")));
  EXPECT_EQ(errors[2], Err(10, "audit.checkpoint_interval", "must be from 1s to 1d, got \"0s\""));
}

TEST_F(HubConfigTest, MissingRequiredKeyIsReportedAtItsTableLine) {
  std::string text = R"(# sghubd
# with comments first

[hub]
listen = "tcp://127.0.0.1:7800"
data_dir = "data"
)";
  EXPECT_THAT(Errors(text), ElementsAre(Err(4, "hub.status_socket", "missing (required)"),
                                        Err(4, "hub.key_file", "missing (required)")));
}

TEST_F(HubConfigTest, MissingHubTableIsReportedAtLineOne) {
  EXPECT_THAT(Errors("[limits]\nbatch_max = 10\n"),
              ElementsAre(Err(1, "hub", "missing (required)")));
  EXPECT_THAT(Errors("hub = 3\n"), ElementsAre(Err(1, "hub", "expected a table, got an integer")));
}

TEST_F(HubConfigTest, SyntaxErrorsNameTheirLine) {
  std::string text = std::string(kHubSection) + "[limits]\nbatch_max = = 3\n";
  std::vector<std::string> errors = Errors(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], StartsWith(File() + ":7: syntax error: "));
  // A key given twice is a TOML error, caught by the parser with the second line.
  errors = Errors(std::string(kHubSection) + "listen = \"tcp://127.0.0.1:1\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], StartsWith(File() + ":6: syntax error: "));
}

TEST_F(HubConfigTest, ListenEndpointShapeIsChecked) {
  auto with_listen = [](std::string_view listen) {
    return "[hub]\nstatus_socket = \"s.sock\"\ndata_dir = \"d\"\nkey_file = \"hub.key\"\n"
           "listen = \"" +
           std::string(listen) + "\"\n";
  };
  EXPECT_THAT(Errors(with_listen("tcp://localhost:7800")),
              ElementsAre(StartsWith(Err(5, "hub.listen", "\"localhost\" is not an IP address"))));
  EXPECT_THAT(Errors(with_listen("tcp://127.0.0.1")),
              ElementsAre(StartsWith(Err(5, "hub.listen", "\"tcp://127.0.0.1\" has no port"))));
  EXPECT_THAT(Errors(with_listen("zmq://127.0.0.1:7800")),
              ElementsAre(Err(5, "hub.listen",
                              "\"zmq://127.0.0.1:7800\" must be tcp://IP:PORT or ipc://PATH")));
  EXPECT_THAT(Errors(with_listen("tcp://10.0.0.1:70000")),
              ElementsAre(StartsWith(Err(5, "hub.listen", "\"tcp://10.0.0.1:70000\": port must"))));
  EXPECT_TRUE(Parse(with_listen("tcp://[::1]:7800")).ok());
  EXPECT_TRUE(Parse(with_listen("ipc:///run/sghub/hub.sock")).ok());
}

TEST_F(HubConfigTest, WildcardBindIsRefusedUnlessAllowed) {
  std::string text =
      "[hub]\nstatus_socket = \"s.sock\"\ndata_dir = \"d\"\nkey_file = \"hub.key\"\n"
      "listen = \"tcp://*:7800\"\n";
  EXPECT_THAT(
      Errors(text),
      ElementsAre(StartsWith(Err(5, "hub.listen", "\"tcp://*:7800\" binds every interface"))));
  Result<HubConfig> allowed = Parse(text + "allow_public_bind = true\n");
  ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_TRUE(allowed->allow_public_bind);
  EXPECT_EQ(allowed->listen_endpoint, "tcp://*:7800");
  EXPECT_FALSE(Parse(text + "allow_public_bind = false\n").ok());
}

TEST_F(HubConfigTest, KeyFileMustExistAndBeARegularFile) {
  std::string missing =
      "[hub]\nlisten = \"tcp://127.0.0.1:7800\"\nstatus_socket = \"s.sock\"\n"
      "data_dir = \"d\"\nkey_file = \"nope.key\"\n";
  EXPECT_THAT(Errors(missing),
              ElementsAre(Err(5, "hub.key_file",
                              "\"" + Path("nope.key").string() +
                                  "\" does not exist (create it with: sghubctl keygen --kind "
                                  "hub)")));
  std::filesystem::create_directories(Path("keydir"));
  std::string dir = ReplaceAll(missing, "nope.key", "keydir");
  EXPECT_THAT(Errors(dir),
              ElementsAre(Err(5, "hub.key_file",
                              "\"" + Path("keydir").string() + "\" is not a regular file")));
}

TEST_F(HubConfigTest, PolicyFileMustExistWhenGiven) {
  std::string text = std::string(kHubSection) + "policy_file = \"policy.toml\"\n";
  EXPECT_THAT(
      Errors(text),
      ElementsAre(StartsWith(
          Err(6, "hub.policy_file", "\"" + Path("policy.toml").string() + "\" does not exist"))));
  WriteFile("policy.toml", "");
  EXPECT_TRUE(Parse(text).ok());
}

TEST_F(HubConfigTest, StatusSocketMustBeAFilePathThatIsNotARegularFile) {
  std::string text =
      "[hub]\nlisten = \"tcp://127.0.0.1:7800\"\ndata_dir = \"d\"\n"
      "key_file = \"hub.key\"\nstatus_socket = \"ipc:///run/sghub/s.sock\"\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(5, "hub.status_socket", "give a file path, not an ipc:// endpoint")));
  text = ReplaceAll(text, "ipc:///run/sghub/s.sock", "hub.key");
  EXPECT_THAT(Errors(text), ElementsAre(StartsWith(Err(5, "hub.status_socket",
                                                       "\"" + Path("hub.key").string() +
                                                           "\" exists and is not a socket"))));
  text =
      "[hub]\nlisten = \"tcp://127.0.0.1:7800\"\ndata_dir = \"d\"\nkey_file = \"hub.key\"\n"
      "status_socket = \"/" +
      std::string(120, 's') + "\"\n";
  EXPECT_THAT(Errors(text), ElementsAre(StartsWith(Err(5, "hub.status_socket", "socket path"))));
  text =
      "[hub]\nlisten = \"ipc://hub.sock\"\ndata_dir = \"d\"\nkey_file = \"hub.key\"\n"
      "status_socket = \"./hub.sock\"\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(Err(5, "hub.status_socket", "is the same socket as hub.listen")));
}

TEST_F(HubConfigTest, DataDirMustBeADirectoryIfItExists) {
  std::string text = ReplaceAll(std::string(kHubSection), "\"data\"", "\"hub.key\"");
  EXPECT_THAT(Errors(text), ElementsAre(Err(4, "hub.data_dir",
                                            "\"" + Path("hub.key").string() +
                                                "\" exists and is not a directory")));
}

TEST_F(HubConfigTest, HubIdMustBeAValidAgencyId) {
  std::string text = std::string(kHubSection) + "id = \"The Hub\"\n";
  EXPECT_THAT(Errors(text), ElementsAre(StartsWith(Err(6, "hub.id", "agency id has a character"))));
}

TEST_F(HubConfigTest, CrossFieldLimitsAreChecked) {
  std::string text = std::string(kHubSection) + R"([limits]
max_frame_bytes = 65536
[transport]
heartbeat_ivl_ms = 20000
[deadlines]
immediate = "2d"
)";
  EXPECT_THAT(
      Errors(text),
      ElementsAre(Err(7, "limits.max_frame_bytes",
                      "max_header_bytes + max_body_bytes (204800) must not exceed "
                      "max_frame_bytes (65536), or the largest valid alert could not be sent"),
                  Err(9, "transport.heartbeat_ivl_ms",
                      "heartbeat_timeout_ms (15000) must be longer than heartbeat_ivl_ms (20000)"),
                  Err(11, "deadlines.immediate",
                      "the immediate deadline must not be longer than the urgent one")));
}

TEST_F(HubConfigTest, ReportsEveryErrorInLineOrderInOneStatus) {
  std::string text = R"([hub]
listen = "tcp://0.0.0.0:7800"
status_socket = "s.sock"
data_dir = "d"
key_file = "missing.key"
[transport]
heartbeat_ivl_ms = 1
zzz = 1
[limits]
batch_max = 0
)";
  Result<HubConfig> parsed = Parse(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  std::vector<std::string> errors = Errors(text);
  ASSERT_EQ(errors.size(), 5u) << parsed.status().message();
  EXPECT_THAT(errors[0], StartsWith(File() + ":2: hub.listen: "));
  EXPECT_THAT(errors[1], StartsWith(File() + ":5: hub.key_file: "));
  EXPECT_THAT(errors[2], StartsWith(File() + ":7: transport.heartbeat_ivl_ms: "));
  EXPECT_THAT(errors[3], StartsWith(File() + ":8: transport.zzz: unknown key"));
  EXPECT_THAT(errors[4], StartsWith(File() + ":10: limits.batch_max: "));
}

TEST_F(HubConfigTest, LoadReportsAMissingFile) {
  Result<HubConfig> r = LoadHubConfig(Path("absent.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
  EXPECT_THAT(r.status().message(), HasSubstr(Path("absent.toml").string()));
}

TEST_F(HubConfigTest, LoadReadsTheFileAndNamesItInErrors) {
  WriteFile("sghubd.toml", std::string(kHubSection) + "bogus = 1\n");
  Result<HubConfig> r = LoadHubConfig(Path("sghubd.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), Err(6, "hub.bogus", "unknown key"));
  WriteFile("sghubd.toml", kHubSection);
  EXPECT_TRUE(LoadHubConfig(Path("sghubd.toml")).ok());
}

}  // namespace
}  // namespace hub::config
