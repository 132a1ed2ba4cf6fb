// Every codec must turn garbage, empty, deeply nested and oversized input into field errors:
// never a crash, an exception or an alert.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "adapters/codecs/codec_registry.h"
#include "adapters/codecs/json_document.h"

namespace hub::codecs {
namespace {

class HostileInputTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    RegisterBuiltinCodecs(registry_);
    Result<CodecPtr> codec = registry_.Make(GetParam());
    ASSERT_TRUE(codec.ok());
    codec_ = std::move(*codec);
  }
  // Expects a refusal that names at least one field.
  void ExpectRefused(std::string_view doc) {
    DecodeResult r = codec_->Decode(doc);
    EXPECT_FALSE(r.alert.has_value());
    ASSERT_FALSE(r.errors.empty());
    for (const FieldError& e : r.errors) {
      EXPECT_FALSE(e.field.empty());
      EXPECT_FALSE(e.reason.empty());
    }
  }
  CodecRegistry registry_;
  CodecPtr codec_;
};

TEST_P(HostileInputTest, RefusesEmptyAndBlankDocuments) {
  ExpectRefused("");
  ExpectRefused(" \n\t ");
}

TEST_P(HostileInputTest, RefusesNonJson) {
  ExpectRefused("not json");
  ExpectRefused("{");
  ExpectRefused("{\"kind\":");
  ExpectRefused("{\"a\":\"\xff\xfe\"}");  // not UTF-8
  ExpectRefused(std::string("\0\0\0\0", 4));
}

TEST_P(HostileInputTest, RefusesJsonThatIsNotAnObject) {
  ExpectRefused("[]");
  ExpectRefused("42");
  ExpectRefused("\"concern\"");
  ExpectRefused("null");
  ExpectRefused("{}");
}

TEST_P(HostileInputTest, RefusesDeepNestingWithoutRecursing) {
  const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
  DecodeResult r = codec_->Decode(deep);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].reason.find("deeper"), std::string::npos);
  // Brackets inside strings do not count.
  ExpectRefused("{\"x\":\"" + std::string(1000, '[') + "\"}");
}

TEST_P(HostileInputTest, RefusesDocumentsOverTheSizeLimit) {
  const std::string huge = "{\"x\":\"" + std::string(kMaxDocumentBytes, 'a') + "\"}";
  DecodeResult r = codec_->Decode(huge);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "/");
  EXPECT_NE(r.errors[0].reason.find("limit"), std::string::npos);
}

TEST_P(HostileInputTest, RefusesWrongTypesEverywhereWithoutThrowing) {
  ExpectRefused(R"({"kind":5,"person":"x","consent":[1,2],"entry":{"a":1},"resourceType":7})");
  ExpectRefused(
      R"({"resourceType":"Bundle","type":"collection","entry":[1,"x",{"resource":[]},{"resource":{"resourceType":"ServiceRequest","subject":{"reference":7},"priority":["stat"],"extension":"x"}}]})");
  ExpectRefused(R"({"kind":"concern","risks":[1,null,{"description":false}],"contacts":{}})");
}

TEST_P(HostileInputTest, EncodingAnEmptyAlertDoesNotCrash) {
  EXPECT_TRUE(codec_->Encode(DeliveredAlert{}).ok());
  EXPECT_TRUE(codec_->EncodeNotice(sghub::v1::NoticeBody{}).ok());
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, HostileInputTest,
                         ::testing::Values("fhir_r4", "council_json", "police_json"));

}  // namespace
}  // namespace hub::codecs
