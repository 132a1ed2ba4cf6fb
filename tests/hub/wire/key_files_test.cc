#include "hub/wire/key_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "tests/testutil/temp_dir.h"

namespace hub::wire {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

mode_t ModeOf(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 07777;
}

class KeyFilesTest : public ::testing::Test {
 protected:
  KeyFilesTest()
      : keys_(std::move(AgencyKeys::Generate("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH)).value()),
        key_path_(dir_ / "nhs-north.key") {}

  hub::testutil::TempDir dir_;
  AgencyKeys keys_;
  fs::path key_path_;
};

TEST_F(KeyFilesTest, SecretKeyFileRoundTripsWithMode0600) {
  ASSERT_TRUE(WriteSecretKeyFile(keys_, key_path_).ok());
  EXPECT_EQ(ModeOf(key_path_), 0600u);
  EXPECT_EQ(fs::file_size(key_path_), 12u + 9u + 6 * 32 + 32);
  auto loaded = LoadSecretKeyFile(key_path_);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->card().id, "nhs-north");
  EXPECT_EQ(loaded->card().kind, sghub::v1::AGENCY_KIND_NHS_MH);
  EXPECT_EQ(loaded->card().transport, keys_.card().transport);
  EXPECT_EQ(loaded->card().signing, keys_.card().signing);
  EXPECT_EQ(loaded->card().sealing, keys_.card().sealing);
  EXPECT_TRUE(std::equal(loaded->signing_secret().bytes().begin(),
                         loaded->signing_secret().bytes().end(),
                         keys_.signing_secret().bytes().begin()));
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator()), 1);
}

TEST_F(KeyFilesTest, RefusesToOverwriteAnExistingFile) {
  WriteAll(key_path_, "precious");
  const Status s = WriteSecretKeyFile(keys_, key_path_);
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(ReadAll(key_path_), "precious");
}

TEST_F(KeyFilesTest, RefusesGroupOrWorldReadableKeyFiles) {
  ASSERT_TRUE(WriteSecretKeyFile(keys_, key_path_).ok());
  for (mode_t mode : {0644u, 0640u, 0604u, 0660u, 0601u, 0700u | 0040u}) {
    ASSERT_EQ(::chmod(key_path_.c_str(), mode), 0);
    auto loaded = LoadSecretKeyFile(key_path_);
    ASSERT_FALSE(loaded.ok()) << std::oct << mode;
    EXPECT_TRUE(loaded.status().IsPermissionDenied());
    const std::string& msg = loaded.status().message();
    EXPECT_NE(msg.find(key_path_.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("chmod 600"), std::string::npos) << msg;
  }
  ASSERT_EQ(::chmod(key_path_.c_str(), 0644), 0);
  EXPECT_NE(LoadSecretKeyFile(key_path_).status().message().find("0644"), std::string::npos);
  ASSERT_EQ(::chmod(key_path_.c_str(), 0640), 0);
  EXPECT_NE(LoadSecretKeyFile(key_path_).status().message().find("0640"), std::string::npos);
  ASSERT_EQ(::chmod(key_path_.c_str(), 0400), 0);
  EXPECT_TRUE(LoadSecretKeyFile(key_path_).ok());
}

TEST_F(KeyFilesTest, RefusesADirectory) {
  fs::create_directory(dir_ / "dir.key");
  ::chmod((dir_ / "dir.key").c_str(), 0700);
  EXPECT_FALSE(LoadSecretKeyFile(dir_ / "dir.key").ok());
}

TEST_F(KeyFilesTest, MissingFileIsNotFound) {
  EXPECT_TRUE(LoadSecretKeyFile(dir_ / "nope.key").status().IsNotFound());
}

TEST_F(KeyFilesTest, AnyDamagedByteIsDetected) {
  ASSERT_TRUE(WriteSecretKeyFile(keys_, key_path_).ok());
  const std::string good = ReadAll(key_path_);
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    WriteAll(key_path_, bad);
    auto loaded = LoadSecretKeyFile(key_path_);
    EXPECT_TRUE(loaded.status().IsCorruption())
        << "byte " << i << ": " << loaded.status().ToString();
  }
  WriteAll(key_path_, good.substr(0, good.size() - 1));
  EXPECT_TRUE(LoadSecretKeyFile(key_path_).status().IsCorruption());
}

TEST_F(KeyFilesTest, CardRoundTripsAsToml) {
  const fs::path card_path = dir_ / "nhs-north.card.toml";
  ASSERT_TRUE(WriteCardFile(keys_.card(), card_path).ok());
  const std::string text = ReadAll(card_path);
  EXPECT_EQ(text.rfind("# sghub agency card: public keys only, safe to share\n[agency]\n", 0), 0u);
  EXPECT_NE(text.find("id = \"nhs-north\""), std::string::npos);
  EXPECT_NE(text.find("kind = \"nhs_mh\""), std::string::npos);
  EXPECT_NE(text.find("signing_public = \"" + keys_.card().signing.Hex() + "\""),
            std::string::npos);
  auto card = LoadCardFile(card_path);
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  EXPECT_EQ(card->id, keys_.card().id);
  EXPECT_EQ(card->kind, keys_.card().kind);
  EXPECT_EQ(card->transport, keys_.card().transport);
  EXPECT_EQ(card->signing, keys_.card().signing);
  EXPECT_EQ(card->sealing, keys_.card().sealing);
  EXPECT_EQ(WriteCardFile(keys_.card(), card_path).code(), Status::Code::kAlreadyExists);
}

TEST_F(KeyFilesTest, CardErrorsNameTheFileAndTheKey) {
  const std::string hex(64, 'a');
  struct Case {
    std::string text;
    std::string expect;
  };
  const Case cases[] = {
      {"[agency]\nid = \"x\"\nkind = \"nhs_mh\"\ntransport_public = \"" + hex +
           "\"\nsigning_public = \"abc\"\nsealing_public = \"" + hex + "\"\n",
       "agency.signing_public"},
      {"[agency]\nid = \"x\"\nkind = \"ambulance\"\n", "agency.kind"},
      {"[agency]\nid = \"Bad Id\"\n", "agency.id"},
      {"[agency]\nid = \"x\"\nkind = \"police\"\ntransport_public = \"" + hex +
           "\"\nsigning_public = \"" + hex + "\"\n",
       "agency.sealing_public"},
      {"[agency]\nidd = \"x\"\n", "agency.idd"},
      {"[agency\n", "card.toml:1"},
      {"other = 1\n", "other"},
  };
  for (const Case& c : cases) {
    const fs::path p = dir_ / "card.toml";
    WriteAll(p, c.text);
    auto card = LoadCardFile(p);
    ASSERT_FALSE(card.ok()) << c.text;
    EXPECT_TRUE(card.status().IsInvalidArgument()) << card.status().ToString();
    EXPECT_NE(card.status().message().find(p.string()), std::string::npos)
        << card.status().message();
    EXPECT_NE(card.status().message().find(c.expect), std::string::npos) << card.status().message();
  }
}

}  // namespace
}  // namespace hub::wire
