// The disclosure log for one person: everything the audit trail records about alerts that
// carry their subject reference (what kind, from whom, to whom, when, on what basis, whether
// they were told), plus consent changes and withdrawal notices about them. For subject
// access requests and disclosure logs (DESIGN.md section 6). The trail holds no personal
// data; the operator links the subject reference to a person outside the hub.
// docs/audit.md describes the columns.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/result.h"
#include "hub/sqlite/sqlite_db.h"

namespace hub::ctl {

// One audit entry about the person, in the words of the export. Empty strings are fields
// that do not apply to the event.
struct SharedEvent {
  int64_t seq = 0;          // audit seq: the order things happened in
  int64_t at_ms = 0;        // hub time
  std::string event;        // accepted, queued, queued_override, refused_policy, delivered, ...
  std::string message_id;   // hex of the alert the event is about
  std::string from;         // the agency (or the hub) whose action it records
  std::string to;           // the recipient concerned
  std::string kind;         // alert kind short name, e.g. "concern"
  std::string category;     // e.g. "mate_crime"
  std::string basis;        // "consent" or the override basis, for sharing decisions
  std::string person_told;  // told_before, told_after, not_told (overrides only)
  std::string reason;       // reason code name for refusals and failed deliveries
  std::string note;         // event details: rule, consent state, outcome, stage
};

// Parses a subject reference written as 64 hex characters. InvalidArgument otherwise.
Result<std::string> ParseSubjectRefHex(std::string_view hex);

// Every audit entry about `subject_ref` (32 raw bytes), in seq order. Reads only.
Result<std::vector<SharedEvent>> ExportSubject(sqlite::SqliteDb& db, std::string_view subject_ref);

// {"subject_ref": hex, "events": [{"seq", "when", "at_ms", "event", "message_id", "from",
// "to", "kind", "category", "basis", "person_told", "reason", "note"}]}; empty fields are
// null. Ends with a newline.
std::string SharedEventsToJson(std::string_view subject_ref,
                               const std::vector<SharedEvent>& events);

// A header row then one row per event, columns as in the JSON minus at_ms; RFC 4180 (CRLF
// line ends, fields with commas, quotes or line breaks quoted, quotes doubled).
std::string SharedEventsToCsv(const std::vector<SharedEvent>& events);

}  // namespace hub::ctl
