// Envelope parse, verify, open: the accept path's handling of a submitted envelope, with the
// fixed fuzz keys so that seeds (tests/fuzz/make_corpus.cc) verify and mutations reach the
// decryption and the body checks. An envelope that verifies and opens must name the
// recipient and agree with its header.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "hub/base/bytes.h"
#include "hub/wire/crypto_init.h"
#include "hub/wire/envelope.h"
#include "hub/wire/limits.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_keys.h"

namespace {

struct Keys {
  hub::wire::AgencyKeys sender;
  hub::wire::AgencyKeys recipient;
};

const Keys& FuzzKeys() {
  static const Keys* keys = [] {
    FUZZ_CHECK(hub::wire::InitCrypto().ok());
    auto sender = hub::fuzz::SenderKeys();
    auto recipient = hub::fuzz::RecipientKeys();
    FUZZ_CHECK(sender.ok() && recipient.ok());
    // Leaked on purpose: lives for the whole fuzzing process.
    return new Keys{std::move(*sender), std::move(*recipient)};  // NOLINT
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Keys& keys = FuzzKeys();
  const hub::wire::Limits limits;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = hub::wire::ParseEnvelope(hub::AsBytes(bytes), limits);
  if (!parsed.ok()) {
    return 0;
  }
  FUZZ_CHECK(parsed->header.recipients_size() == parsed->envelope.keys_size());
  if (!hub::wire::VerifyEnvelopeSignature(parsed.value(), keys.sender.card().signing).ok()) {
    return 0;
  }
  auto body = hub::wire::OpenEnvelope(parsed.value(), hub::fuzz::kFuzzRecipient,
                                      keys.recipient.sealing_secret(),
                                      keys.recipient.card().sealing);
  if (body.ok()) {
    FUZZ_CHECK(body->message_id() == parsed->header.message_id());
    FUZZ_CHECK(body->sender() == parsed->header.sender());
  }
  return 0;
}
