// StatusSnapshot is everything the status socket reports, copied out of the broker, the
// registry and the store at one moment on the broker thread. It is plain data so that the
// JSON and Prometheus renderings (status_render.h) are pure functions that tests can feed
// directly. It holds no personal data: agency ids and names, message ids, counts and times.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hub::core {

// One registered agency as the status socket shows it.
struct AgencyStatus {
  std::string id;                               // agency id
  std::string kind;                             // nhs_mh, council or police
  std::string name;                             // display name from the config
  bool connected = false;                       // has a live connection the broker knows of
  std::optional<int64_t> last_seen_ms;          // epoch ms of its last frame; none this run
  int64_t in_flight = 0;                        // deliveries sent, not yet acknowledged
  int64_t queue_depth = 0;                      // items waiting in its queue (incl. in flight)
  std::optional<int64_t> oldest_queued_age_ms;  // age of its oldest queued item; none if empty
  bool revoked = false;                         // refused at the handshake
};

// One recipient's queue (agencies and any queue left for an agency no longer registered).
struct QueueStatus {
  std::string recipient;         // agency id
  int64_t depth = 0;             // queued items (alerts and notices)
  int64_t oldest_queued_ms = 0;  // epoch ms the oldest item was queued; 0 when empty
  int64_t oldest_age_ms = 0;     // now - oldest_queued_ms; 0 when empty
};

// One alert past its closed-loop deadline (from Broker::Overdue()).
struct OverdueStatus {
  std::string message_id;   // hex
  std::string sender;       // agency id that sent it
  std::string recipient;    // agency id that has not answered
  std::string urgency;      // immediate, urgent or routine
  std::string stage;        // what is missing: "not_acknowledged" or "no_outcome"
  int64_t deadline_ms = 0;  // epoch ms of the deadline that passed most recently
  int64_t age_ms = 0;       // since the hub accepted the alert
};

struct AuditStatus {
  int64_t head_seq = 0;       // sequence of the last audit entry (0: empty)
  std::string head_hash_hex;  // its chain hash, 64 hex characters
  // The last signed checkpoint, when the hub has written one.
  std::optional<int64_t> last_checkpoint_seq;        // the checkpoint's own sequence
  std::optional<int64_t> last_checkpoint_audit_seq;  // the audit entry it covers
  std::optional<int64_t> last_checkpoint_ms;         // epoch ms it was signed
};

// The status socket's own traffic, so abuse of it shows up too.
struct StatusSocketCounters {
  uint64_t requests = 0;      // well-formed requests answered
  uint64_t bad_requests = 0;  // garbage or oversize requests answered with an error
  uint64_t dropped = 0;       // connections closed for idling or over the client limit
};

struct StatusSnapshot {
  std::string version;               // sghubd's version
  std::string hub_id;                // the hub's agency id
  std::string listen;                // the endpoint agencies connect to
  int64_t now_ms = 0;                // epoch ms the snapshot was taken
  int64_t started_ms = 0;            // epoch ms the daemon started
  int64_t uptime_ms = 0;             // monotonic time since start
  int64_t offline_threshold_ms = 0;  // config: unseen longer than this counts as offline

  std::string store_path;        // the SQLite file
  int64_t store_size_bytes = 0;  // database pages in use
  int64_t store_wal_bytes = 0;   // size of the write-ahead log file

  std::vector<AgencyStatus> agencies;  // in registry order
  std::vector<QueueStatus> queues;     // by recipient id
  int64_t in_flight = 0;               // sum over agencies

  // Broker counters by name (accepted, refused, delivered, ...), in name order.
  std::map<std::string, uint64_t> counters;
  std::map<std::string, uint64_t> refused_by_reason;  // reason code name -> count

  std::vector<OverdueStatus> overdue;
  AuditStatus audit;
  StatusSocketCounters status_socket;
};

}  // namespace hub::core
