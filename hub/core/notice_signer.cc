#include "hub/core/notice_signer.h"

#include <sodium.h>

#include "hub/wire/notice.h"

namespace hub::core {

Result<SignedNotice> NoticeSigner::Sign(sghub::v1::NoticeBody body) const {
  std::string id(16, '\0');
  randombytes_buf(id.data(), id.size());
  body.set_notice_id(id);
  HUB_ASSIGN_OR_RETURN(sghub::v1::Notice notice, wire::SignNotice(body, signing_secret_));
  return SignedNotice{std::move(id), notice.SerializeAsString()};
}

}  // namespace hub::core
