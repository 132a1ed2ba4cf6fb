#include "tests/hub/wire/vectors/vectors.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "hub/wire/agency_keys.h"
#include "hub/wire/envelope.h"

namespace hub::wire::vectors {
namespace {

using nlohmann::ordered_json;

// $SGHUB_SOURCE_DIR when set, else the source tree this test was built from.
std::filesystem::path SourceDir() {
  const char* dir = std::getenv("SGHUB_SOURCE_DIR");
  return dir != nullptr ? dir : SGHUB_SOURCE_DIR_AT_BUILD;
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Unhex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(),
                 nullptr, &len, nullptr);
  out.resize(len);
  return out;
}

bool IsHex(const std::string& s) {
  return s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class VectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto computed = ComputeVectorsV1();
    ASSERT_TRUE(computed.ok()) << computed.status().ToString();
    computed_ = *computed;
  }
  ordered_json computed_;
};

TEST_F(VectorsTest, RegeneratedVectorsMatchV1Json) {
  const auto path = SourceDir() / "tests/hub/wire/vectors/v1.json";
  const std::string text = ReadFile(path);
  ASSERT_FALSE(text.empty()) << path;
  const ordered_json stored = ordered_json::parse(text);
  EXPECT_EQ(computed_, stored) << "differences (stored -> computed):\n"
                               << ordered_json::diff(stored, computed_).dump(2)
                               << "\nRegenerate with: wire_vectors > " << path.string();
}

TEST_F(VectorsTest, WireFormatDocContainsEveryHexString) {
  const std::string doc = ReadFile(SourceDir() / "docs/wire_format.md");
  ASSERT_FALSE(doc.empty());
  int checked = 0;
  std::function<void(const ordered_json&, const std::string&)> walk = [&](const ordered_json& node,
                                                                          const std::string& path) {
    if (node.is_object()) {
      for (const auto& [k, v] : node.items()) {
        walk(v, path + "." + k);
      }
    } else if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) {
        walk(node[i], path + "[" + std::to_string(i) + "]");
      }
    } else if (node.is_string()) {
      const std::string s = node.get<std::string>();
      if (s.size() >= 32 && IsHex(s)) {
        EXPECT_NE(doc.find(s), std::string::npos) << path << " missing from wire_format.md";
        ++checked;
      }
    }
  };
  walk(computed_, "vectors");
  EXPECT_GT(checked, 20);
}

TEST_F(VectorsTest, SealedKeysOpenWithLibsodiumSealOpen) {
  const std::string content_key = Unhex(computed_["inputs"]["content_key"]);
  const auto& recipients = computed_["inputs"]["recipients"];
  const auto& wrapped = computed_["envelope"]["wrapped_keys"];
  ASSERT_EQ(recipients.size(), wrapped.size());
  for (size_t i = 0; i < wrapped.size(); ++i) {
    const std::string sealed = Unhex(wrapped[i]["sealed_key"]);
    const std::string sk = Unhex(recipients[i]["sealing_secret"]);
    const std::string pk = Unhex(recipients[i]["sealing_public"]);
    std::string opened(32, '\0');
    ASSERT_EQ(crypto_box_seal_open(reinterpret_cast<unsigned char*>(opened.data()),
                                   reinterpret_cast<const unsigned char*>(sealed.data()),
                                   sealed.size(), reinterpret_cast<const unsigned char*>(pk.data()),
                                   reinterpret_cast<const unsigned char*>(sk.data())),
              0);
    EXPECT_EQ(opened, content_key);
  }
}

TEST_F(VectorsTest, VectorEnvelopePassesTheNormalReceivePath) {
  const std::string bytes = Unhex(computed_["envelope"]["envelope"]);
  auto parsed = ParseEnvelope(AsBytes(bytes), Limits{});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  auto signing =
      PublicKey::FromHex(computed_["inputs"]["sender"]["signing_public"].get<std::string>(), "k");
  ASSERT_TRUE(signing.ok());
  EXPECT_TRUE(VerifyEnvelopeSignature(*parsed, *signing).ok());
  const auto& r = computed_["inputs"]["recipients"][0];
  const std::string secret = Unhex(r["sealing_secret"]);
  auto keys = AgencyKeys::FromSecrets(r["id"], sghub::v1::AGENCY_KIND_COUNCIL, AsBytes(secret),
                                      AsBytes(secret), AsBytes(secret));
  ASSERT_TRUE(keys.ok());
  auto body = OpenEnvelope(*parsed, r["id"].get<std::string>(), keys->sealing_secret(),
                           keys->card().sealing);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(HexEncode(AsBytes(body->SerializeAsString())),
            computed_["envelope"]["body_plaintext"].get<std::string>());
}

}  // namespace
}  // namespace hub::wire::vectors
