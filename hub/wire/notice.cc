#include "hub/wire/notice.h"

#include "hub/wire/proto_parse.h"
#include "hub/wire/signed_message.h"
#include "hub/wire/unknown_fields.h"
#include "hub/wire/wire_status.h"

namespace hub::wire {

Result<sghub::v1::Notice> SignNotice(const sghub::v1::NoticeBody& body,
                                     const SecretKey& hub_signing_secret) {
  std::string body_bytes;
  if (!body.SerializeToString(&body_bytes)) {
    return Status::Internal("serialising the notice body failed");
  }
  HUB_ASSIGN_OR_RETURN(std::string signature,
                       SignDetached(NoticeSignedMessage(body_bytes), hub_signing_secret));
  sghub::v1::Notice notice;
  notice.set_body(std::move(body_bytes));
  notice.set_signature(std::move(signature));
  return notice;
}

Result<sghub::v1::NoticeBody> VerifyNotice(const sghub::v1::Notice& notice,
                                           const PublicKey& hub_signing_public,
                                           const Limits& limits) {
  HUB_RETURN_IF_ERROR(RejectUnknownFields(notice, "notice"));
  if (notice.body().size() > limits.max_frame_bytes) {
    return LimitError(sghub::v1::REASON_CODE_FRAME_TOO_LARGE, "notice.body", "size in bytes",
                      notice.body().size(), "max_frame_bytes", limits.max_frame_bytes);
  }
  if (!VerifyDetached(NoticeSignedMessage(notice.body()), notice.signature(), hub_signing_public)) {
    return Status::Unauthenticated(
               "notice.signature: does not verify under the hub signing key "
               "(fingerprint " +
               hub_signing_public.Fingerprint() + ")")
        .WithReason(sghub::v1::REASON_CODE_BAD_SIGNATURE, "notice.signature");
  }
  sghub::v1::NoticeBody body;
  HUB_RETURN_IF_ERROR(ParseMessageStrict(notice.body(), limits, &body, "notice.body"));
  return body;
}

}  // namespace hub::wire
