// NoticeSigner turns a NoticeBody into a hub notice signed with the hub's signing key, ready
// to be queued for an agency: delivery reports, non-delivery reports, escalations and
// withdrawal notices. Notices carry ids, codes and subject refs only, never personal data.
#pragma once

#include <string>

#include "hub/base/result.h"
#include "hub/wire/secret_key.h"
#include "sghub/v1/frames.pb.h"

namespace hub::core {

struct SignedNotice {
  std::string notice_id;   // 16 random bytes
  std::string serialized;  // a serialised sghub.v1.Notice (delivery_id set at delivery)
};

class NoticeSigner {
 public:
  // `hub_signing_secret` must outlive the signer.
  explicit NoticeSigner(const wire::SecretKey& hub_signing_secret)
      : signing_secret_(hub_signing_secret) {}

  // Fills body.notice_id with a fresh id and signs the body.
  Result<SignedNotice> Sign(sghub::v1::NoticeBody body) const;

 private:
  const wire::SecretKey& signing_secret_;
};

}  // namespace hub::core
