// AlertSource makes the envelopes sghub-bench submits, before any timed window: 1 KiB
// bodies, two recipients, signed by one of the sender agencies. Alert i comes from sender
// i % senders and carries a message id that encodes i, so answers and deliveries map back
// to their submission without a lookup table.
//
// Two ways to make them:
//   - Seal: the full sender-side work (encrypt the body, seal the key to both recipients,
//     sign), spread over threads. Used for throughput and latency.
//   - Resign: one sealed template per sender; each alert gets its own id in a fresh header
//     and a fresh Ed25519 signature. The hub does exactly the same work for it (parse,
//     verify, policy, store), but the body's AEAD is bound to the template's header, so a
//     recipient could not open it. Used to queue a million alerts without sealing a million
//     bodies (about 3 minutes of CPU on this machine); the bench's recipients never open.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hub/base/result.h"
#include "sghub/v1/envelope.pb.h"
#include "tests/testutil/test_world.h"

namespace hub::bench {

class AlertSource {
 public:
  // `senders` are agency ids of `world`; every alert goes to both `recipients`.
  AlertSource(const testutil::TestWorld& world, std::vector<std::string> senders,
              std::vector<std::string> recipients, size_t body_bytes);

  // Seals alerts [0, count) using `threads` threads. Replaces what Sealed() returns.
  Status SealAll(size_t count, int threads);
  const std::vector<std::string>& Sealed() const { return sealed_; }

  // Alert `index` made by re-signing its sender's template (see above).
  Result<std::string> Resign(uint64_t index);

  const std::string& SenderOf(uint64_t index) const { return senders_[index % senders_.size()]; }
  size_t sender_count() const { return senders_.size(); }
  // The index encoded in a message id made by this source; -1 for any other id.
  int64_t IndexOf(const std::string& message_id) const;
  std::string MessageId(uint64_t index) const;

 private:
  Result<std::string> SealOne(uint64_t index) const;
  Status MakeTemplates();

  const testutil::TestWorld& world_;
  std::vector<std::string> senders_;
  std::vector<std::string> recipients_;
  size_t body_bytes_;
  std::string tag_;  // 8 random bytes: this source's ids never collide with another's
  std::vector<std::string> sealed_;
  struct Template {
    sghub::v1::Envelope envelope;
    sghub::v1::Header header;
  };
  std::vector<Template> templates_;  // one per sender, made on the first Resign
};

}  // namespace hub::bench
