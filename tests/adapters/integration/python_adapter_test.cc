// "Any language": docs/adapters/examples/python_adapter.py, written from the documents and
// the .proto files only, run with /usr/bin/python3 against a real sghubd. It submits an
// alert that a C++ client receives and opens, and it receives, verifies, opens and acks an
// alert from the C++ side (whose sender then gets a delivery report).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hub/base/bytes.h"
#include "hub/wire/envelope.h"
#include "tests/adapters/sdk/adapter_test_env.h"
#include "tests/testutil/paths.h"
#include "tests/testutil/temp_dir.h"

namespace hub::testutil {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class PythonAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/python3") || !fs::exists("/usr/bin/protoc") ||
        std::system("/usr/bin/python3 -c 'import zmq, nacl, google.protobuf' 2>/dev/null") != 0) {
      GTEST_SKIP() << "needs /usr/bin/python3 with python3-zmq, python3-nacl, python3-protobuf "
                      "and protoc";
    }
    auto env = AdapterTestEnv::Create(dir_.path());
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    env_ = std::move(*env);
    env_->WriteConfig(kNhs, "spool", "[transport.spool]\nroot = \"unused\"\n");
    ASSERT_TRUE(env_->StartHub().ok());
  }

  // Runs the Python adapter; returns its exit code, its stdout+stderr in `output`.
  int RunPython(const std::vector<std::string>& args, std::string* output) {
    const fs::path log = dir_ / "python.log";
    fs::remove(log);
    std::vector<std::string> argv = {
        (SourceDir() / "docs/adapters/examples/python_adapter.py").string(), "--config",
        (dir_ / (std::string(kNhs) + ".toml")).string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto p = ChildProcess::Start("/usr/bin/python3", argv, log);
    EXPECT_TRUE(p.ok());
    int code = p.ok() ? (*p)->Wait(60000) : -1;
    *output = ReadFile(log);
    return code;
  }

  static std::vector<json> JsonLines(const std::string& output) {
    std::vector<json> out;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] == '{') {
        out.push_back(json::parse(line));
      }
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<AdapterTestEnv> env_;
};

TEST_F(PythonAdapterTest, SubmitsAnAlertThatTheRecipientCanVerifyAndOpen) {
  auto council = env_->ConnectAs(kCouncil);
  ASSERT_NE(council, nullptr);
  std::string output;
  ASSERT_EQ(RunPython({"submit", "--to", kCouncil, "--nhs", "9434765919", "--summary",
                       "Two men take his money on payday"},
                      &output),
            0)
      << output << env_->HubLog();
  auto lines = JsonLines(output);
  ASSERT_EQ(lines.size(), 1u) << output;
  EXPECT_EQ(lines[0]["accepted"], true) << output;
  EXPECT_EQ(lines[0]["results"][0]["queued"], true) << output;

  auto delivery = council->NextDelivery(10000);
  ASSERT_TRUE(delivery.ok()) << delivery.status().ToString();
  EXPECT_EQ(HexEncode(AsBytes(delivery->message_id)), lines[0]["message_id"]);
  auto parsed = wire::ParseEnvelope(AsBytes(delivery->envelope), wire::Limits{});
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(
      wire::VerifyEnvelopeSignature(*parsed, env_->world().agency(kNhs).card().signing).ok());
  const auto& keys = env_->world().agency(kCouncil);
  auto body = wire::OpenEnvelope(*parsed, kCouncil, keys.sealing_secret(), keys.card().sealing);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(body->incident().summary(), "Two men take his money on payday");
  // The Python side computed the same subject reference as the C++ wire library.
  AlertSpec spec;
  spec.sender = kCouncil;
  spec.recipients = {kNhs};
  sghub::v1::Header reference;
  spec.edit_header = [&](sghub::v1::Header& h) { reference = h; };
  ASSERT_TRUE(env_->world().MakeAlert(spec).ok());
  EXPECT_EQ(parsed->header.subject_refs(0), reference.subject_refs(0));
}

TEST_F(PythonAdapterTest, ReceivesVerifiesOpensAndAcknowledgesAnAlert) {
  auto council = env_->ConnectAs(kCouncil);
  ASSERT_NE(council, nullptr);
  AlertSpec spec;
  spec.sender = kCouncil;
  spec.recipients = {kNhs};
  std::string message_id;
  auto envelope = env_->world().MakeAlert(spec, &message_id);
  ASSERT_TRUE(envelope.ok());
  auto answer = council->Submit(*envelope, 5000);
  ASSERT_TRUE(answer.ok() && answer->accepted);

  std::string output;
  ASSERT_EQ(RunPython({"receive", "--count", "1", "--alerts-only", "--timeout", "20"}, &output), 0)
      << output;
  auto lines = JsonLines(output);
  ASSERT_FALSE(lines.empty()) << output;
  EXPECT_EQ(lines.back()["type"], "alert");
  EXPECT_EQ(lines.back()["message_id"], HexEncode(AsBytes(message_id)));
  EXPECT_EQ(lines.back()["sender"], kCouncil);
  EXPECT_EQ(lines.back()["summary"], std::string(200, 'x'));

  // The Python adapter's ACK reached the hub: the sender gets a delivery report.
  auto report = council->NextDelivery(10000);
  ASSERT_TRUE(report.ok()) << report.status().ToString() << env_->HubLog();
  ASSERT_TRUE(report->is_notice);
  sghub::v1::NoticeBody body;
  ASSERT_TRUE(body.ParseFromString(report->notice.body()));
  EXPECT_EQ(body.kind(), sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
  ASSERT_EQ(body.delivered_size(), 1);
  EXPECT_EQ(body.delivered(0).message_id(), message_id);
  EXPECT_EQ(body.delivered(0).recipient(), kNhs);
}

}  // namespace
}  // namespace hub::testutil
