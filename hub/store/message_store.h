// A MessageStore persists what the hub has accepted until every recipient has acknowledged
// it: sealed envelopes (never plaintext; the hub cannot read bodies), per-recipient delivery
// queues, the replay cache of original answers, and the hash-chained audit trail.
//
// Writes happen inside a batch (Begin ... Commit) so that many submissions share one fsync
// (group commit) and an audit entry is always committed with the state change it records.
// Commit returns OK only once the batch is durable; a failed Commit means durability is lost
// and the caller must stop (the hub exits and systemd restarts it). Rollback drops the batch.
//
// Not thread-safe: one owner thread (the broker loop) uses a store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/result.h"
#include "hub/base/status.h"

namespace hub::store {

// One accepted alert. Byte fields hold raw bytes in std::string (protobuf's convention).
struct MessageRecord {
  std::string message_id;    // 16 bytes
  std::string sender;        // agency id
  int32_t kind = 0;          // sghub.v1.AlertKind
  int32_t category = 0;      // sghub.v1.Category
  int32_t urgency = 0;       // sghub.v1.Urgency
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int64_t accepted_ms = 0;
  std::string in_reply_to;   // message id of the concern, for OUTCOME and UPDATE
  int32_t outcome_code = 0;  // sghub.v1.OutcomeCode
  std::string envelope;      // the serialised Envelope exactly as the sender submitted it
};

// The answer the hub gave to a submission, returned unchanged to any replay of it.
struct AnswerRecord {
  std::string sender;
  std::string message_id;
  std::string envelope_hash;  // BLAKE2b-256 of the envelope: same id with other bytes is a conflict
  int32_t frame_type = 0;     // sghub.v1.FrameType of the answer (ACCEPTED or REFUSED)
  std::string answer;         // the whole answer frame (preamble and payload), byte for byte
  int64_t keep_until_ms = 0;  // kept at least until the message could no longer be accepted
};

// One item waiting in a recipient's queue: an alert envelope or a hub notice.
struct QueuedItem {
  int64_t delivery_id = 0;  // unique forever, increasing in order of queueing
  std::string recipient;
  bool is_notice = false;
  int64_t message_seq = 0;  // for alerts: the MessageRecord it delivers
  std::string message_id;   // for alerts: the alert's id; for notices: the notice's id
  std::string sender;       // for alerts: the sending agency; for notices: empty
  std::string payload;      // the envelope (alerts) or the serialised signed Notice (notices)
  int64_t queued_ms = 0;
  int64_t expires_ms = 0;
};

struct QueueDepth {
  std::string recipient;
  int64_t depth = 0;
  int64_t oldest_queued_ms = 0;  // 0 when empty
};

// One decision, as recorded in the audit trail. No personal data: ids, codes, fingerprints.
struct AuditEntry {
  int64_t seq = 0;             // assigned by the store
  int64_t at_ms = 0;
  std::string event;           // e.g. "accepted", "refused", "delivered", "expired"
  std::string actor;           // the agency (or "hub") whose action this records
  std::string message_id;      // raw bytes; empty when the entry is not about an alert
  std::string recipient;       // the recipient concerned, if any
  int32_t reason_code = 0;     // sghub.v1.ReasonCode, 0 when none
  int32_t basis = 0;           // sghub.v1.OverrideBasis used, 0 when consent-based or n/a
  std::string subject_refs;    // concatenated 32-byte subject references
  std::string detail;          // compact JSON with no personal data
  std::string prev_hash;       // 32 bytes, assigned by the store
  std::string hash;            // 32 bytes, assigned by the store
};

// A short view of an accepted alert, for linking replies (OUTCOME, UPDATE) to it.
struct MessageSummary {
  int64_t seq = 0;
  std::string sender;
  int32_t kind = 0;
  int32_t urgency = 0;
};

// One consent change recorded about a subject (the consent registry).
struct ConsentChangeRecord {
  std::string subject_ref;     // 32 bytes
  int32_t state = 0;           // sghub.v1.ConsentState
  int64_t recorded_at_ms = 0;  // hub time
  std::string scope;           // serialised sghub.v1.ConsentScope
  std::string message_id;      // the CONSENT_CHANGE alert
};

// The closed-loop state of one CONCERN at one recipient.
struct TrackingRecord {
  std::string message_id;
  std::string recipient;
  std::string sender;
  int32_t urgency = 0;
  int64_t accepted_ms = 0;
  int64_t delivered_ms = 0;     // 0 until the recipient's adapter acked it
  int64_t acknowledged_ms = 0;  // 0 until a person at the recipient acknowledged it
  int64_t outcome_ms = 0;       // 0 until the recipient recorded an outcome
  int32_t outcome_code = 0;     // sghub.v1.OutcomeCode
  int64_t ack_due_ms = 0;
  int64_t outcome_due_ms = 0;
  int32_t stage = 0;            // highest sghub.v1.EscalationStage already escalated
  int64_t next_due_ms = 0;      // next deadline to check; 0 when the loop is closed
};

// A signed statement of the audit head at a moment: truncating the trail below it shows.
struct Checkpoint {
  int64_t seq = 0;         // assigned by the store
  int64_t audit_seq = 0;
  std::string audit_hash;  // 32 bytes
  int64_t at_ms = 0;
  std::string signature;   // Ed25519 by the hub signing key, see docs/audit.md
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Starts a write batch. Fails when a batch is already open.
  virtual Status Begin() = 0;
  // Makes the batch durable. IOError or Corruption: durability is lost; the caller must stop.
  virtual Status Commit() = 0;
  // Drops the open batch, if any.
  virtual void Rollback() = 0;

  // --- Inside a batch ---
  // Stores an accepted alert; returns its sequence number (acceptance order).
  // AlreadyExists when (sender, message_id) is already stored.
  virtual Result<int64_t> InsertMessage(const MessageRecord& record) = 0;
  // Stores (or replaces) the answer given for (sender, message_id).
  virtual Status PutAnswer(const AnswerRecord& answer) = 0;
  // Queues an alert for a recipient; returns its delivery id.
  virtual Result<int64_t> EnqueueMessage(std::string_view recipient, int64_t message_seq,
                                         int64_t queued_ms, int64_t expires_ms) = 0;
  // Queues a hub notice (serialised, signed) for a recipient; returns its delivery id.
  virtual Result<int64_t> EnqueueNotice(std::string_view recipient, std::string_view notice_id,
                                        std::string_view notice, int64_t queued_ms,
                                        int64_t expires_ms) = 0;
  // Removes a delivered or expired item. NotFound when it is not queued (already removed).
  virtual Status RemoveQueued(int64_t delivery_id) = 0;
  // Appends to the hash chain; fills entry.seq, prev_hash and hash.
  virtual Status AppendAudit(AuditEntry& entry) = 0;
  // Forgets replay answers whose keep_until_ms has passed; returns how many.
  virtual Result<int64_t> PurgeAnswers(int64_t now_ms) = 0;
  // Drops the envelopes (bodies) of alerts accepted before `accepted_before_ms` that are no
  // longer queued for anyone. The message rows and the audit trail stay. Returns how many.
  virtual Result<int64_t> PurgeBodies(int64_t accepted_before_ms) = 0;
  virtual Status RecordConsentChange(const ConsentChangeRecord& record) = 0;
  // Remembers that `agency` was sent an alert about `subject_ref` (idempotent).
  virtual Status LinkSubject(std::string_view subject_ref, std::string_view agency) = 0;
  virtual Status InsertTracking(const TrackingRecord& record) = 0;
  // Replaces the row with the same (message_id, recipient).
  virtual Status UpdateTracking(const TrackingRecord& record) = 0;
  // Fills checkpoint.seq.
  virtual Status AppendCheckpoint(Checkpoint& checkpoint) = 0;
  virtual Status PutMeta(std::string_view key, std::string_view value) = 0;

  // Records, outside any batch, that the owner is stopping cleanly: the next open may trust
  // the store without a full integrity check. Stores that do not check need do nothing.
  virtual Status MarkCleanShutdown() { return Status::Ok(); }

  // OK, or the error of work the store does on a thread of its own (a WAL checkpoint) that
  // puts durability in doubt. Sticky: once failed it never returns OK again, and Begin and
  // Commit fail with the same error. Poll it each turn to stop even while there is nothing
  // to write. Cheap; owner thread.
  virtual Status BackgroundStatus() const { return Status::Ok(); }

  // --- Reads (inside or outside a batch) ---
  virtual Result<std::optional<AnswerRecord>> FindAnswer(std::string_view sender,
                                                         std::string_view message_id) = 0;
  // The recipient's queued items with delivery_id > after, in order, at most `limit`.
  virtual Result<std::vector<QueuedItem>> LoadQueue(std::string_view recipient, int64_t after,
                                                    int limit) = 0;
  // Queued items with expires_ms <= now_ms, oldest first, at most `limit`.
  virtual Result<std::vector<QueuedItem>> LoadExpired(int64_t now_ms, int limit) = 0;
  // The first accepted alert with this id (any sender), if any.
  virtual Result<std::optional<MessageSummary>> FindMessage(std::string_view message_id) = 0;
  // Every recorded consent change about any of `subject_refs`, oldest first.
  virtual Result<std::vector<ConsentChangeRecord>> ConsentHistory(
      const std::vector<std::string>& subject_refs) = 0;
  // The agencies ever sent an alert about `subject_ref`.
  virtual Result<std::vector<std::string>> AgenciesForSubject(std::string_view subject_ref) = 0;
  virtual Result<std::optional<TrackingRecord>> FindTracking(std::string_view message_id,
                                                             std::string_view recipient) = 0;
  // Open loops whose next deadline is at or before now_ms, earliest first.
  virtual Result<std::vector<TrackingRecord>> DueTracking(int64_t now_ms, int limit) = 0;
  // Open loops already escalated at least once (overdue), oldest first.
  virtual Result<std::vector<TrackingRecord>> OverdueTracking(int limit) = 0;
  virtual Result<std::optional<Checkpoint>> LastCheckpoint() = 0;
  virtual Result<std::optional<std::string>> GetMeta(std::string_view key) = 0;
  // Per-recipient depth and oldest item.
  virtual Result<std::vector<QueueDepth>> QueueDepths() = 0;
  // The last audit entry's sequence and hash (0 and 32 zero bytes when empty), including
  // entries written in the open batch.
  virtual std::pair<int64_t, std::string> AuditHead() const = 0;
  // Database size in bytes.
  virtual Result<int64_t> SizeBytes() = 0;
};
using MessageStorePtr = std::unique_ptr<MessageStore>;

}  // namespace hub::store
