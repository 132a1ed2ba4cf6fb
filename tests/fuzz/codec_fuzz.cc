// One adapter codec (FUZZ_CODEC_NAME: fhir_r4, council_json or police_json): Decode of any
// document, then Encode of whatever decoded, as the receiving adapter would render it.
// Decode either succeeds with no errors or fails naming at least one field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "adapters/codecs/codec_registry.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

const hub::codecs::Codec& TheCodec() {
  static const hub::codecs::Codec* codec = [] {
    hub::codecs::CodecRegistry registry;
    hub::codecs::RegisterBuiltinCodecs(registry);
    auto made = registry.Make(FUZZ_CODEC_NAME);
    FUZZ_CHECK(made.ok());
    return made->release();  // lives for the whole fuzzing process
  }();
  return *codec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const hub::codecs::Codec& codec = TheCodec();
  std::string_view document(reinterpret_cast<const char*>(data), size);
  hub::codecs::DecodeResult decoded = codec.Decode(document);
  if (!decoded.ok()) {
    FUZZ_CHECK(!decoded.errors.empty());
    return 0;
  }
  const hub::codecs::InboundAlert& a = *decoded.alert;
  hub::codecs::DeliveredAlert delivered;
  sghub::v1::Header& h = delivered.header;
  h.set_version(1);
  h.set_message_id(std::string(16, '\x5a'));
  h.set_sender("nhs-fuzz");
  for (const std::string& r : a.recipients) {
    h.add_recipients(r);
  }
  h.set_kind(a.kind);
  h.set_category(a.category);
  h.set_urgency(a.urgency);
  h.set_purpose(a.purpose);
  h.set_created_at_ms(1'710'412'920'000);
  h.set_expires_at_ms(1'710'412'920'000 + (a.expires_in_ms > 0 ? a.expires_in_ms : 86'400'000));
  *h.mutable_consent() = a.consent;
  *h.mutable_lawful_basis() = a.lawful_basis;
  h.set_outcome_code(a.outcome_code);
  delivered.body = a.body;
  delivered.body.set_message_id(h.message_id());
  delivered.body.set_sender(h.sender());
  *delivered.body.mutable_recipients() = h.recipients();
  (void)codec.Encode(delivered);
  return 0;
}
