// HubSigner signs what the hub itself says, with the hub's Ed25519 signing key: notices to
// agencies (delivery reports, non-delivery reports, escalations, withdrawal notices) and
// checkpoints of the audit trail. Notices carry ids, codes and subject refs only, never
// personal data.
#pragma once

#include <string>

#include "hub/base/result.h"
#include "hub/store/message_store.h"
#include "hub/wire/secret_key.h"
#include "sghub/v1/frames.pb.h"

namespace hub::core {

struct SignedNotice {
  std::string notice_id;   // 16 random bytes
  std::string serialized;  // a serialised sghub.v1.Notice (delivery_id set at delivery)
};

class HubSigner {
 public:
  // `hub_signing_secret` must outlive the signer.
  explicit HubSigner(const wire::SecretKey& hub_signing_secret)
      : signing_secret_(hub_signing_secret) {}

  // Fills body.notice_id with a fresh id and signs the body.
  Result<SignedNotice> Sign(sghub::v1::NoticeBody body) const;

  // Signs checkpoint.audit_seq, audit_hash and at_ms (store::CheckpointMessage) into
  // checkpoint.signature.
  Status SignCheckpoint(store::Checkpoint& checkpoint) const;

 private:
  const wire::SecretKey& signing_secret_;
};

}  // namespace hub::core
