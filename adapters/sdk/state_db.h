// StateDb is the adapter's own durable state in one SQLite file (WAL, synchronous=FULL):
//
//   outbox  the edge outbox: every sealed envelope the adapter has been asked to send, kept
//           until the hub answered ACCEPTED or REFUSED and the owner of the alert has taken
//           the answer (Complete). Unanswered rows are (re)sent in insertion order after
//           every reconnect and after a restart; the hub's replay cache makes resending safe.
//   seen    ids of alerts and notices already handed to the adapter, so a redelivery is
//           acknowledged without calling the handler again, across restarts. For alerts the
//           sender is kept too, so an outcome can be addressed back to whoever raised the
//           concern.
//
// Thread-safe: one connection guarded by a mutex. Every write is its own transaction and is
// durable when the call returns OK. Never stores plaintext: only sealed envelopes and ids.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hub/base/result.h"

namespace hub::sqlite {
class SqliteDb;
}  // namespace hub::sqlite

namespace hub::sdk {

struct OutboxRow {
  int64_t seq = 0;         // insertion order, 1-based
  std::string message_id;  // 16 bytes
  std::string source;      // the transport's key for the document; empty for direct submits
  std::string envelope;    // the sealed, signed Envelope bytes
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int answer_type = 0;  // 0 none yet, else sghub.v1.FRAME_TYPE_ACCEPTED / _REFUSED
  std::string answer;   // the serialised Accepted or Refused message
};

enum class SeenKind : int { kAlert = 1, kNotice = 2 };

class StateDb {
 public:
  // Opens or creates `path` (its directory must exist) and the schema. IOError or
  // Corruption naming the file when SQLite refuses.
  static Result<std::unique_ptr<StateDb>> Open(const std::filesystem::path& path);
  ~StateDb();
  StateDb(const StateDb&) = delete;
  StateDb& operator=(const StateDb&) = delete;

  // Appends a row (answer fields ignored) and returns its seq. AlreadyExists when the
  // message id or the (non-empty) source is already in the outbox.
  Result<int64_t> InsertOutbox(const OutboxRow& row);
  // Up to `limit` unanswered rows with seq > after_seq, in seq order.
  Result<std::vector<OutboxRow>> LoadUnanswered(int64_t after_seq, int limit);
  // Rows that have an answer but were not completed yet, in seq order.
  Result<std::vector<OutboxRow>> LoadAnswered();
  Result<std::optional<OutboxRow>> FindByMessageId(const std::string& message_id);
  Result<std::optional<OutboxRow>> FindBySource(const std::string& source);
  // Stores the hub's answer for an unanswered row. Returns false when there is no such row
  // or it already had an answer (a replayed answer changes nothing).
  Result<bool> RecordAnswer(const std::string& message_id, int answer_type,
                            const std::string& answer);
  // Removes the row: its owner has the answer.
  Status Complete(const std::string& message_id);
  // Number of rows still waiting for an answer.
  Result<int64_t> UnansweredCount();

  Result<bool> IsSeen(const std::string& id, SeenKind kind);
  // Records `id` as handed over; kept until keep_until_ms (then Purge may drop it).
  Status MarkSeen(const std::string& id, SeenKind kind, const std::string& sender, int64_t seen_ms,
                  int64_t keep_until_ms);
  // The sender of a seen alert, if it is known.
  Result<std::optional<std::string>> SenderOfSeenAlert(const std::string& message_id);
  // Drops seen ids whose keep_until_ms is before now_ms.
  Status PurgeSeen(int64_t now_ms);

 private:
  explicit StateDb(std::unique_ptr<sqlite::SqliteDb> db);

  std::mutex mu_;
  std::unique_ptr<sqlite::SqliteDb> db_;  // guarded by mu_
};

using StateDbPtr = std::unique_ptr<StateDb>;

}  // namespace hub::sdk
