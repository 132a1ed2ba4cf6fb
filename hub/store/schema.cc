#include "hub/store/schema.h"

namespace hub::store {

const std::string_view kSchemaSql = R"sql(
-- Accepted alerts, in acceptance order. The envelope is sealed: the hub cannot read bodies.
CREATE TABLE messages (
  seq          INTEGER PRIMARY KEY,
  message_id   BLOB    NOT NULL,
  sender       TEXT    NOT NULL,
  kind         INTEGER NOT NULL,
  category     INTEGER NOT NULL,
  urgency      INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  expires_ms   INTEGER NOT NULL,
  accepted_ms  INTEGER NOT NULL,
  in_reply_to  BLOB,
  outcome_code INTEGER NOT NULL DEFAULT 0,
  envelope     BLOB,                       -- NULL once retention has purged it
  UNIQUE (sender, message_id)
);
CREATE INDEX messages_by_id ON messages (message_id);

-- The answer given to each authenticated submission, replayed unchanged for a duplicate id.
CREATE TABLE answers (
  sender        TEXT    NOT NULL,
  message_id    BLOB    NOT NULL,
  envelope_hash BLOB    NOT NULL,
  frame_type    INTEGER NOT NULL,
  answer        BLOB    NOT NULL,
  keep_until_ms INTEGER NOT NULL,
  PRIMARY KEY (sender, message_id)
) WITHOUT ROWID;
CREATE INDEX answers_by_keep_until ON answers (keep_until_ms);

-- Per-recipient delivery queues. A row leaves when the recipient acks or the item expires.
-- AUTOINCREMENT: delivery ids are never reused, even after the newest row is removed.
CREATE TABLE queue (
  delivery_id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient   TEXT    NOT NULL,
  message_seq INTEGER,                     -- alerts: messages.seq
  notice_id   BLOB,                        -- notices: the notice's id
  notice      BLOB,                        -- notices: the serialised, signed Notice
  queued_ms   INTEGER NOT NULL,
  expires_ms  INTEGER NOT NULL
);
CREATE INDEX queue_by_recipient ON queue (recipient, delivery_id);
CREATE INDEX queue_by_expiry ON queue (expires_ms);

-- The tamper-evident audit trail: each hash covers the previous hash and the entry.
CREATE TABLE audit (
  seq          INTEGER PRIMARY KEY,
  at_ms        INTEGER NOT NULL,
  event        TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  message_id   BLOB    NOT NULL,
  recipient    TEXT    NOT NULL,
  reason_code  INTEGER NOT NULL,
  basis        INTEGER NOT NULL,
  subject_refs BLOB    NOT NULL,
  detail       TEXT    NOT NULL,
  prev_hash    BLOB    NOT NULL,
  hash         BLOB    NOT NULL
);

-- The consent registry: every consent change recorded about a subject, newest last.
CREATE TABLE consent_changes (
  seq            INTEGER PRIMARY KEY,
  subject_ref    BLOB    NOT NULL,
  state          INTEGER NOT NULL,           -- sghub.v1.ConsentState
  recorded_at_ms INTEGER NOT NULL,
  scope          BLOB    NOT NULL,           -- serialised sghub.v1.ConsentScope
  message_id     BLOB    NOT NULL            -- the CONSENT_CHANGE alert that recorded it
);
CREATE INDEX consent_by_subject ON consent_changes (subject_ref, seq);

-- Which agencies have been sent alerts about which subject (for withdrawal notices).
CREATE TABLE subject_recipients (
  subject_ref BLOB NOT NULL,
  agency      TEXT NOT NULL,
  PRIMARY KEY (subject_ref, agency)
) WITHOUT ROWID;

-- The closed loop: one row per CONCERN and recipient, until an outcome is recorded.
CREATE TABLE tracking (
  message_id      BLOB    NOT NULL,
  recipient       TEXT    NOT NULL,
  sender          TEXT    NOT NULL,
  urgency         INTEGER NOT NULL,
  accepted_ms     INTEGER NOT NULL,
  delivered_ms    INTEGER NOT NULL DEFAULT 0,
  acknowledged_ms INTEGER NOT NULL DEFAULT 0,
  outcome_ms      INTEGER NOT NULL DEFAULT 0,
  outcome_code    INTEGER NOT NULL DEFAULT 0,
  ack_due_ms      INTEGER NOT NULL,          -- acknowledgement deadline
  outcome_due_ms  INTEGER NOT NULL,          -- outcome deadline
  stage           INTEGER NOT NULL DEFAULT 0,  -- highest sghub.v1.EscalationStage sent
  next_due_ms     INTEGER NOT NULL,          -- next deadline to check; 0 when closed
  PRIMARY KEY (message_id, recipient)
) WITHOUT ROWID;
CREATE INDEX tracking_by_next_due ON tracking (next_due_ms) WHERE next_due_ms > 0;

-- Key/value facts about the store, e.g. the hub signing key that signs checkpoints.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

-- Signed checkpoints of the audit head, so truncation of the tail is detectable.
CREATE TABLE audit_checkpoints (
  seq        INTEGER PRIMARY KEY,
  audit_seq  INTEGER NOT NULL,
  audit_hash BLOB    NOT NULL,
  at_ms      INTEGER NOT NULL,
  signature  BLOB    NOT NULL
);
)sql";

}  // namespace hub::store
