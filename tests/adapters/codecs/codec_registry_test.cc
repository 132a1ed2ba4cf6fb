#include "adapters/codecs/codec_registry.h"

#include <memory>

#include <gtest/gtest.h>

#include "adapters/codecs/council_json_codec.h"

namespace hub::codecs {
namespace {

TEST(CodecRegistryTest, BuiltinsAreRegisteredByName) {
  CodecRegistry registry;
  RegisterBuiltinCodecs(registry);
  EXPECT_EQ(registry.Names(),
            (std::vector<std::string>{"council_json", "fhir_r4", "police_json"}));
  for (const std::string& name : registry.Names()) {
    Result<CodecPtr> codec = registry.Make(name);
    ASSERT_TRUE(codec.ok());
    EXPECT_EQ((*codec)->name(), name);
    EXPECT_EQ((*codec)->file_extension(), ".json");
  }
}

TEST(CodecRegistryTest, RegisteringANameTwiceIsAnError) {
  CodecRegistry registry;
  auto factory = [] { return CodecPtr(std::make_unique<CouncilJsonCodec>()); };
  ASSERT_TRUE(registry.Register("council_json", factory).ok());
  Status again = registry.Register("council_json", factory);
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists);
}

TEST(CodecRegistryTest, RefusesEmptyNamesAndFactories) {
  CodecRegistry registry;
  EXPECT_TRUE(registry.Register("", [] { return CodecPtr(); }).IsInvalidArgument());
  EXPECT_TRUE(registry.Register("x", nullptr).IsInvalidArgument());
}

TEST(CodecRegistryTest, MakingAnUnknownNameListsTheKnownOnes) {
  CodecRegistry registry;
  RegisterBuiltinCodecs(registry);
  Result<CodecPtr> codec = registry.Make("hl7v2");
  ASSERT_FALSE(codec.ok());
  EXPECT_TRUE(codec.status().IsNotFound());
  EXPECT_NE(codec.status().message().find("fhir_r4"), std::string::npos);
}

TEST(CodecRegistryTest, FormatFieldErrorsWritesOneLinePerField) {
  EXPECT_EQ(FormatFieldErrors({{"/kind", "required"}, {"/urgency", "must be a string"}}),
            "/kind: required\n/urgency: must be a string\n");
  EXPECT_EQ(FormatFieldErrors({}), "");
}

}  // namespace
}  // namespace hub::codecs
