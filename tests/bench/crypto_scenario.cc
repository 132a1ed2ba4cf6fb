#include <chrono>
#include <functional>

#include "hub/wire/envelope.h"
#include "hub/wire/signed_message.h"
#include "tests/bench/scenarios.h"

namespace hub::bench {
namespace {

// Runs `op` repeatedly for about `seconds` on this thread; returns operations per second.
Result<double> PerSecond(double seconds, const std::function<Status()>& op) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  uint64_t count = 0;
  while (Clock::now() < until) {
    for (int i = 0; i < 16; ++i) {
      HUB_RETURN_IF_ERROR(op());
    }
    count += 16;
  }
  return static_cast<double>(count) /
         std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

Result<Figures> RunCrypto(BenchEnv& env, const BenchOptions& options) {
  const testutil::TestWorld& world = *env.world;
  AlertSource& source = *env.source;
  HUB_ASSIGN_OR_RETURN(std::string sealed, source.Resign(0));
  HUB_ASSIGN_OR_RETURN(auto parsed, wire::ParseEnvelope(AsBytes(sealed), wire::Limits{}));
  const std::string sender = source.SenderOf(0);
  const std::string message = wire::EnvelopeSignedMessage(
      parsed.envelope.header(), parsed.envelope.body_nonce(), parsed.envelope.body_ciphertext());
  const auto& sender_keys = world.agency(sender);
  const auto& council = world.agency("council");

  Figures figures;
  HUB_ASSIGN_OR_RETURN(figures["sign_per_s"], PerSecond(options.crypto_seconds, [&]() {
                         return wire::SignDetached(message, sender_keys.signing_secret()).status();
                       }));
  HUB_ASSIGN_OR_RETURN(figures["verify_per_s"], PerSecond(options.crypto_seconds, [&]() {
                         return wire::VerifyEnvelopeSignature(parsed, sender_keys.card().signing);
                       }));
  testutil::AlertSpec spec;
  spec.sender = sender;
  spec.recipients = {"council", "police"};
  spec.body_bytes = options.body_bytes;
  HUB_ASSIGN_OR_RETURN(figures["seal_per_s"], PerSecond(options.crypto_seconds, [&]() {
                         return world.MakeAlert(spec).status();
                       }));
  // Open needs an envelope whose body is bound to its header: a freshly sealed one.
  HUB_ASSIGN_OR_RETURN(std::string whole, world.MakeAlert(spec));
  HUB_ASSIGN_OR_RETURN(auto whole_parsed, wire::ParseEnvelope(AsBytes(whole), wire::Limits{}));
  HUB_ASSIGN_OR_RETURN(figures["open_per_s"], PerSecond(options.crypto_seconds, [&]() {
                         return wire::OpenEnvelope(whole_parsed, "council",
                                                   council.sealing_secret(),
                                                   council.card().sealing)
                             .status();
                       }));
  return figures;
}

}  // namespace hub::bench
