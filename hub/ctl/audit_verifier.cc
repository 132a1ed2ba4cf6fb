#include "hub/ctl/audit_verifier.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "hub/store/audit_chain.h"
#include "hub/store/message_store.h"
#include "hub/store/schema.h"
#include "hub/wire/signed_message.h"

namespace hub::ctl {
namespace {

constexpr std::string_view kEntryQuery =
    "SELECT seq, at_ms, event, actor, message_id, recipient, reason_code, basis, subject_refs, "
    "detail, prev_hash, hash FROM audit ORDER BY seq";

// The storage class each column above was written with (SqliteStore::AppendAudit). A value
// of another class was edited, even if it reads back the same through a conversion.
constexpr int kEntryTypes[] = {SQLITE_INTEGER, SQLITE_INTEGER, SQLITE_TEXT,    SQLITE_TEXT,
                               SQLITE_BLOB,    SQLITE_TEXT,    SQLITE_INTEGER, SQLITE_INTEGER,
                               SQLITE_BLOB,    SQLITE_TEXT,    SQLITE_BLOB,    SQLITE_BLOB};

struct Row {
  store::AuditEntry entry;
  bool well_typed = true;  // every column has its written storage class and int32 range
};

Row ReadRow(const sqlite::SqliteStatement& st) {
  Row row;
  store::AuditEntry& e = row.entry;
  for (int i = 0; i < static_cast<int>(std::size(kEntryTypes)); ++i) {
    row.well_typed = row.well_typed && st.ColumnType(i) == kEntryTypes[i];
  }
  e.seq = st.ColumnInt(0);
  e.at_ms = st.ColumnInt(1);
  e.event = st.ColumnText(2);
  e.actor = st.ColumnText(3);
  e.message_id = st.ColumnBlob(4);
  e.recipient = st.ColumnText(5);
  // The hash covers these as 32-bit values: a wider value would hash like its low half.
  for (int i : {6, 7}) {
    const int64_t v = st.ColumnInt(i);
    row.well_typed = row.well_typed && v >= std::numeric_limits<int32_t>::min() &&
                     v <= std::numeric_limits<int32_t>::max();
  }
  e.reason_code = static_cast<int32_t>(st.ColumnInt(6));
  e.basis = static_cast<int32_t>(st.ColumnInt(7));
  e.subject_refs = st.ColumnBlob(8);
  e.detail = st.ColumnText(9);
  e.prev_hash = st.ColumnBlob(10);
  e.hash = st.ColumnBlob(11);
  return row;
}

std::string Seq(int64_t seq) { return std::to_string(seq); }

// The seq of the entry whose stored hash is `hash`, if any. A full scan, done only once a
// problem has been found, to say where a misplaced entry came from.
Result<std::optional<int64_t>> SeqWithHash(sqlite::SqliteDb& db, const std::string& hash) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db.Prepare("SELECT seq FROM audit WHERE hash = ? ORDER BY seq LIMIT 1"));
  st.BindBlob(1, hash);
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return std::optional<int64_t>();
  }
  return std::optional<int64_t>(st.ColumnInt(0));
}

// Entry `e` (at the seq the walk expected) does not hash to its stored hash. Works out
// whether it was edited where it stands or is a genuine entry moved from elsewhere.
Result<AuditFinding> DiagnoseBadHash(sqlite::SqliteDb& db, const store::AuditEntry& e,
                                     const std::string& expected_prev) {
  const int64_t k = e.seq;
  if (e.prev_hash != expected_prev && store::AuditEntryHash(expected_prev, e) == e.hash) {
    return AuditFinding{k, "edited",
                        "entry " + Seq(k) + " was edited: its prev_hash field was changed"};
  }
  std::optional<int64_t> written_as;
  if (e.prev_hash == std::string(store::kAuditHashBytes, '\0')) {
    written_as = 1;
  } else {
    HUB_ASSIGN_OR_RETURN(std::optional<int64_t> before, SeqWithHash(db, e.prev_hash));
    if (before.has_value()) {
      written_as = *before + 1;
    } else if (e.prev_hash.size() == store::kAuditHashBytes) {
      return AuditFinding{k, "removed",
                          "entry " + Seq(k) +
                              " no longer matches its hash and was chained after an entry that "
                              "is no longer in the trail: entries before it were removed and "
                              "the rest renumbered, or it was edited"};
    }
  }
  if (written_as.has_value() && *written_as != k) {
    store::AuditEntry as_written = e;
    as_written.seq = *written_as;
    if (store::AuditEntryHash(e.prev_hash, as_written) == e.hash) {
      if (*written_as > k) {
        return AuditFinding{k, "reordered",
                            "entry " + Seq(k) + " is the entry written as seq " + Seq(*written_as) +
                                ": entries were reordered or renumbered"};
      }
      return AuditFinding{*written_as, "inserted",
                          "the entry now at seq " + Seq(k) + " was written as seq " +
                              Seq(*written_as) + ": entries were inserted at seq " +
                              Seq(*written_as) + ".." + Seq(k - 1)};
    }
  }
  return AuditFinding{k, "edited",
                      "entry " + Seq(k) +
                          " was edited, or forged and inserted: its contents no longer match "
                          "its hash"};
}

// Entry `e` hashes correctly but is not chained to the entry stored before it.
Result<AuditFinding> DiagnoseBrokenLink(sqlite::SqliteDb& db, const store::AuditEntry& e) {
  const int64_t k = e.seq;
  if (k == 1) {
    return AuditFinding{1, "inserted", "entry 1 does not start the chain: it was forged"};
  }
  HUB_ASSIGN_OR_RETURN(std::optional<int64_t> before, SeqWithHash(db, e.prev_hash));
  if (!before.has_value()) {
    return AuditFinding{k - 1, "edited",
                        "entry " + Seq(k - 1) + " was replaced (with a recomputed hash): entry " +
                            Seq(k) + " was chained to an entry that is no longer in the trail"};
  }
  return AuditFinding{std::min(*before + 1, k), "reordered",
                      "entry " + Seq(k) + " was chained after entry " + Seq(*before) +
                          ", not after entry " + Seq(k - 1)};
}

struct CheckpointRow {
  int64_t seq = 0;
  int64_t audit_seq = 0;
  std::string audit_hash;
  int64_t at_ms = 0;
  bool valid = false;  // the signature verified
};

Result<std::vector<CheckpointRow>> ReadCheckpoints(sqlite::SqliteDb& db,
                                                   const wire::PublicKey& hub_signing,
                                                   AuditVerifyReport& report) {
  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st,
                       db.Prepare("SELECT seq, audit_seq, audit_hash, at_ms, signature FROM "
                                  "audit_checkpoints ORDER BY seq"));
  std::vector<CheckpointRow> rows;
  int64_t expected_seq = 1;
  int64_t highest_audit_seq = 0;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool more, st.Step());
    if (!more) {
      break;
    }
    CheckpointRow c;
    c.seq = st.ColumnInt(0);
    c.audit_seq = st.ColumnInt(1);
    c.audit_hash = st.ColumnBlob(2);
    c.at_ms = st.ColumnInt(3);
    const std::string signature = st.ColumnBlob(4);
    ++report.checkpoints;
    const int64_t this_seq = c.seq;
    c.valid = wire::VerifyDetached(store::CheckpointMessage(c.audit_seq, c.audit_hash, c.at_ms),
                                   signature, hub_signing);
    const std::string name = "checkpoint #" + Seq(c.seq);
    if (!c.valid) {
      report.findings.push_back(
          {c.audit_seq, "checkpoint",
           name + " (head seq " + Seq(c.audit_seq) +
               ") does not carry a valid hub signature: it was edited or forged, or it was "
               "signed by another hub key"});
    } else {
      ++report.checkpoints_valid;
      if (c.seq != expected_seq) {
        report.findings.push_back(
            {highest_audit_seq + 1, "checkpoint",
             "checkpoints #" + Seq(expected_seq) + ".." + Seq(c.seq - 1) + " were removed"});
      }
      if (c.audit_seq < highest_audit_seq) {
        report.findings.push_back({c.audit_seq, "checkpoint",
                                   name + " signs head seq " + Seq(c.audit_seq) +
                                       ", behind an earlier checkpoint's seq " +
                                       Seq(highest_audit_seq)});
      }
      highest_audit_seq = std::max(highest_audit_seq, c.audit_seq);
      if (c.audit_seq >= report.last_checkpoint_seq) {
        report.last_checkpoint_seq = c.audit_seq;
        report.last_checkpoint_at_ms = c.at_ms;
      }
      rows.push_back(std::move(c));
    }
    expected_seq = std::max(expected_seq, this_seq + 1);
  }
  // Matched against the chain in audit_seq order.
  std::stable_sort(rows.begin(), rows.end(), [](const CheckpointRow& a, const CheckpointRow& b) {
    return a.audit_seq < b.audit_seq;
  });
  return rows;
}

Status CheckIsStore(sqlite::SqliteDb& db) {
  HUB_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("PRAGMA user_version"));
  if (version != store::kSchemaVersion) {
    return Status::InvalidArgument("not an sghub store of schema version " +
                                   std::to_string(store::kSchemaVersion) + " (user_version is " +
                                   std::to_string(version) + ")");
  }
  return Status::Ok();
}

}  // namespace

Result<AuditVerifyReport> VerifyAuditTrail(sqlite::SqliteDb& db,
                                           const wire::PublicKey& hub_signing) {
  HUB_RETURN_IF_ERROR(CheckIsStore(db));
  AuditVerifyReport report;
  HUB_ASSIGN_OR_RETURN(std::vector<CheckpointRow> checkpoints,
                       ReadCheckpoints(db, hub_signing, report));
  size_t next_checkpoint = 0;
  int64_t last_matched_checkpoint_seq = 0;  // audit_seq of the last checkpoint that matched

  HUB_ASSIGN_OR_RETURN(sqlite::SqliteStatement st, db.Prepare(kEntryQuery));
  int64_t expected_seq = 1;
  std::string prev_hash(store::kAuditHashBytes, '\0');
  std::optional<AuditFinding> chain_finding;  // only the first: the rest follow from it
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool more, st.Step());
    if (!more) {
      break;
    }
    const Row row = ReadRow(st);
    const store::AuditEntry& e = row.entry;
    ++report.entries;

    if (!chain_finding.has_value()) {
      if (e.seq > expected_seq) {
        chain_finding =
            AuditFinding{expected_seq, "removed",
                         (e.seq - expected_seq == 1
                              ? "entry " + Seq(expected_seq) + " was"
                              : "entries " + Seq(expected_seq) + ".." + Seq(e.seq - 1) + " were") +
                             " removed: the next entry is " + Seq(e.seq)};
      } else if (e.seq < expected_seq) {
        chain_finding = AuditFinding{
            e.seq, "inserted",
            "an entry with seq " + Seq(e.seq) + " is outside the chain (seqs start at 1)"};
      } else if (!row.well_typed) {
        chain_finding = AuditFinding{
            e.seq, "edited",
            "entry " + Seq(e.seq) + " was edited: a field holds a value of another type"};
      } else if (store::AuditEntryHash(e.prev_hash, e) != e.hash) {
        HUB_ASSIGN_OR_RETURN(AuditFinding f, DiagnoseBadHash(db, e, prev_hash));
        chain_finding = std::move(f);
      } else if (e.prev_hash != prev_hash) {
        HUB_ASSIGN_OR_RETURN(AuditFinding f, DiagnoseBrokenLink(db, e));
        chain_finding = std::move(f);
      }
    }
    // Checkpoints name entries by seq and hash: each must find its entry unchanged.
    for (; next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].audit_seq <= e.seq;
         ++next_checkpoint) {
      const CheckpointRow& c = checkpoints[next_checkpoint];
      if (c.audit_seq < e.seq) {
        report.findings.push_back({c.audit_seq, "removed",
                                   "entry " + Seq(c.audit_seq) + ", signed by checkpoint #" +
                                       Seq(c.seq) + ", is missing"});
      } else if (c.audit_hash != e.hash && !chain_finding.has_value()) {
        // (A break in the chain at or before this entry already explains a mismatch.)
        report.findings.push_back({last_matched_checkpoint_seq + 1, "rewritten",
                                   "entry " + Seq(e.seq) + " no longer has the hash checkpoint #" +
                                       Seq(c.seq) + " signed: an entry in seq " +
                                       Seq(last_matched_checkpoint_seq + 1) + ".." + Seq(e.seq) +
                                       " was rewritten and the chain recomputed"});
      } else if (c.audit_hash == e.hash) {
        last_matched_checkpoint_seq = c.audit_seq;
      }
    }

    expected_seq = e.seq + 1;
    prev_hash = e.hash;
    report.head_seq = e.seq;
    report.head_hash = e.hash;
  }
  if (chain_finding.has_value()) {
    report.findings.push_back(std::move(*chain_finding));
  }
  // Checkpoints beyond the end: the tail was cut off. Report the furthest one only.
  if (next_checkpoint < checkpoints.size()) {
    const CheckpointRow& c = checkpoints.back();
    report.findings.push_back({report.head_seq + 1, "truncated",
                               "the trail ends at seq " + Seq(report.head_seq) +
                                   " but checkpoint #" + Seq(c.seq) + " signed a head at seq " +
                                   Seq(c.audit_seq) + ": entries " + Seq(report.head_seq + 1) +
                                   ".." + Seq(c.audit_seq) + " were removed"});
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const AuditFinding& a, const AuditFinding& b) { return a.seq < b.seq; });
  return report;
}

}  // namespace hub::ctl
