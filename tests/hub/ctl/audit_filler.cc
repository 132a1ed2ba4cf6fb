#include "tests/hub/ctl/audit_filler.h"

#include <sodium.h>

#include <string>

#include "hub/store/audit_chain.h"
#include "hub/store/sqlite_store.h"
#include "hub/wire/signed_message.h"

namespace hub::ctl {
namespace {

constexpr int64_t kBatch = 10000;
constexpr int64_t kStartMs = 1714557600000;  // 2024-05-01T10:00:00Z

Status AppendCheckpoint(store::MessageStore& store, const wire::AgencyKeys& hub, int64_t at_ms) {
  auto [seq, hash] = store.AuditHead();
  store::Checkpoint c;
  c.audit_seq = seq;
  c.audit_hash = hash;
  c.at_ms = at_ms;
  HUB_ASSIGN_OR_RETURN(c.signature, wire::SignDetached(store::CheckpointMessage(seq, hash, at_ms),
                                                       hub.signing_secret()));
  return store.AppendCheckpoint(c);
}

}  // namespace

Status FillAuditTrail(const std::filesystem::path& path, int64_t entries, int64_t checkpoint_every,
                      const wire::AgencyKeys& hub) {
  if (std::filesystem::exists(path)) {
    return Status::AlreadyExists(path.string() + " exists");
  }
  HUB_ASSIGN_OR_RETURN(store::MessageStorePtr store, store::SqliteStore::Open(path));
  HUB_RETURN_IF_ERROR(store->Begin());
  HUB_RETURN_IF_ERROR(store->PutMeta("hub_signing_public", hub.card().signing.Hex()));
  std::string message_id(16, '\0');
  std::string subject_ref(32, '\0');
  const char* const kEvents[] = {"accepted", "queued", "delivered"};
  for (int64_t i = 0; i < entries; ++i) {
    const int64_t at_ms = kStartMs + i;  // one entry per millisecond
    if (i % 3 == 0) {
      randombytes_buf(message_id.data(), message_id.size());
      randombytes_buf(subject_ref.data(), subject_ref.size());
    }
    store::AuditEntry e;
    e.at_ms = at_ms;
    e.event = kEvents[i % 3];
    e.actor = i % 3 == 2 ? "council-west" : "nhs-north";
    e.message_id = message_id;
    e.recipient = i % 3 == 0 ? "" : "council-west";
    e.subject_refs = i % 3 == 2 ? "" : subject_ref;
    e.detail = i % 3 == 0 ? R"({"category":11,"kind":1,"urgency":2})"
               : i % 3 == 1
                   ? R"({"art6":1,"art9":2,"category":11,"consent_based":true,"consent_state":1,)"
                     R"("kind":1,"rule":"R1.consent-in-scope"})"
                   : "";
    HUB_RETURN_IF_ERROR(store->AppendAudit(e));
    if (checkpoint_every > 0 && (i + 1) % checkpoint_every == 0) {
      HUB_RETURN_IF_ERROR(AppendCheckpoint(*store, hub, at_ms));
    }
    if ((i + 1) % kBatch == 0) {
      HUB_RETURN_IF_ERROR(store->Commit());
      HUB_RETURN_IF_ERROR(store->Begin());
    }
  }
  // The shutdown checkpoint, unless the last entry already has one.
  if (checkpoint_every <= 0 || entries % checkpoint_every != 0) {
    HUB_RETURN_IF_ERROR(AppendCheckpoint(*store, hub, kStartMs + entries));
  }
  return store->Commit();
}

}  // namespace hub::ctl
