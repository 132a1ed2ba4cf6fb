#include "hub/core/hub_signer.h"

#include <sodium.h>

#include "hub/store/audit_chain.h"
#include "hub/wire/notice.h"

namespace hub::core {

Result<SignedNotice> HubSigner::Sign(sghub::v1::NoticeBody body) const {
  std::string id(16, '\0');
  randombytes_buf(id.data(), id.size());
  body.set_notice_id(id);
  HUB_ASSIGN_OR_RETURN(sghub::v1::Notice notice, wire::SignNotice(body, signing_secret_));
  return SignedNotice{std::move(id), notice.SerializeAsString()};
}

Status HubSigner::SignCheckpoint(store::Checkpoint& checkpoint) const {
  if (signing_secret_.size() != crypto_sign_SECRETKEYBYTES) {
    return Status::Internal("the hub signing key has the wrong size");
  }
  const std::string msg =
      store::CheckpointMessage(checkpoint.audit_seq, checkpoint.audit_hash, checkpoint.at_ms);
  checkpoint.signature.assign(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(checkpoint.signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(signing_secret_.bytes().data()));
  return Status::Ok();
}

}  // namespace hub::core
