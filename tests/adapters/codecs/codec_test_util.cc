#include "tests/adapters/codecs/codec_test_util.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

namespace hub::codecs::testing {

std::filesystem::path SourceDir() {
  const char* dir = std::getenv("SGHUB_SOURCE_DIR");
  if (dir != nullptr && *dir != '\0') {
    return dir;
  }
  // Running the binary by hand: tests/adapters/codecs/ is three levels below the root.
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
}

std::filesystem::path ExamplesDir() { return SourceDir() / "docs" / "adapters" / "examples"; }

std::filesystem::path FhirFixturesDir() {
  return SourceDir() / ".." / "shared" / "fixtures" / "fhir";
}

std::string ReadFileOrFail(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::set<std::string> Fields(const std::vector<FieldError>& errors) {
  std::set<std::string> out;
  for (const FieldError& e : errors) {
    out.insert(e.field);
  }
  return out;
}

DeliveredAlert Deliver(const InboundAlert& a, const std::string& sender) {
  DeliveredAlert d;
  sghub::v1::Header& h = d.header;
  h.set_version(1);
  h.set_message_id(std::string("\x10\x21\x32\x43\x54\x65\x76\x87\x98\xa9\xba\xcb\xdc\xed\xfe\x0f", 16));
  h.set_sender(sender);
  for (const std::string& r : a.recipients) {
    h.add_recipients(r);
  }
  h.set_kind(a.kind);
  h.set_category(a.category);
  h.set_urgency(a.urgency);
  h.set_purpose(a.purpose);
  h.set_created_at_ms(1'710'412'920'000);
  h.set_expires_at_ms(1'710'499'320'000);
  *h.mutable_consent() = a.consent;
  *h.mutable_lawful_basis() = a.lawful_basis;
  if (!a.in_reply_to_hex.empty()) {
    std::string id;
    for (size_t i = 0; i + 1 < a.in_reply_to_hex.size(); i += 2) {
      id += static_cast<char>(std::stoi(a.in_reply_to_hex.substr(i, 2), nullptr, 16));
    }
    h.set_in_reply_to(id);
  }
  h.set_outcome_code(a.outcome_code);
  d.body = a.body;
  d.body.set_message_id(h.message_id());
  d.body.set_sender(sender);
  *d.body.mutable_recipients() = h.recipients();
  return d;
}

void ExpectSameAlert(const InboundAlert& want, const InboundAlert& got) {
  using google::protobuf::util::MessageDifferencer;
  EXPECT_EQ(want.kind, got.kind);
  EXPECT_EQ(want.category, got.category);
  EXPECT_EQ(want.urgency, got.urgency);
  EXPECT_EQ(want.purpose, got.purpose);
  EXPECT_EQ(want.recipients, got.recipients);
  EXPECT_EQ(want.in_reply_to_hex, got.in_reply_to_hex);
  EXPECT_EQ(want.outcome_code, got.outcome_code);
  EXPECT_TRUE(MessageDifferencer::Equals(want.consent, got.consent))
      << "want " << want.consent.DebugString() << "got " << got.consent.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(want.lawful_basis, got.lawful_basis));
  EXPECT_TRUE(MessageDifferencer::Equals(want.body, got.body))
      << "want " << want.body.DebugString() << "got " << got.body.DebugString();
}

std::string Without(const nlohmann::json& doc, const std::string& pointer) {
  nlohmann::json copy = doc;
  nlohmann::json::json_pointer p(pointer);
  nlohmann::json& parent = copy[p.parent_pointer()];
  if (parent.is_array()) {
    parent.erase(std::stoul(p.back()));
  } else {
    parent.erase(p.back());
  }
  return copy.dump();
}

}  // namespace hub::codecs::testing
