// Hub notices (delivery reports, non-delivery reports, escalations, withdrawals) are signed
// by the hub's Ed25519 signing key over the exact NoticeBody bytes, so an adapter can trust
// a notice that reached it through any path.
#pragma once

#include "hub/base/result.h"
#include "hub/wire/limits.h"
#include "hub/wire/public_key.h"
#include "hub/wire/secret_key.h"
#include "sghub/v1/frames.pb.h"

namespace hub::wire {

// Serialises `body` once and signs "sghub.v1.notice" 0x00 | u32be len | body bytes.
// delivery_id is left 0 for the caller to set (it is not signed: it is the hub's per-
// recipient sequence). InvalidArgument when the signing secret is not 64 bytes.
Result<sghub::v1::Notice> SignNotice(const sghub::v1::NoticeBody& body,
                                     const SecretKey& hub_signing_secret);

// Verifies the signature over the exact body bytes, then parses them (recursion limit,
// unknown fields refused). Unauthenticated with REASON_CODE_BAD_SIGNATURE when the signature
// does not verify; InvalidArgument for limits, malformed bytes and unknown fields.
Result<sghub::v1::NoticeBody> VerifyNotice(const sghub::v1::Notice& notice,
                                           const PublicKey& hub_signing_public,
                                           const Limits& limits);

}  // namespace hub::wire
