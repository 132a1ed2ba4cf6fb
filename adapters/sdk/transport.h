// Transport: how an agency's own system hands alerts to its adapter and receives what the
// hub delivers (a spool directory, an HTTP endpoint...). A transport is one of the two
// extension points of an adapter (the other is the codec); implementations are registered by
// name in a TransportRegistry from main().
//
// TransportHost is what the SDK offers a transport: submitting decoded alerts (blocking, or
// through the edge outbox with a stable source key so that a document is never submitted
// twice, even across a crash), and the health of the connection. All TransportHost methods
// are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/codecs/codec.h"
#include "adapters/sdk/state_db.h"
#include "adapters/sdk/submit_answer.h"
#include "hub/base/result.h"

namespace hub::sdk {

struct Health {
  bool connected = false;    // online with the hub (WELCOME received)
  int64_t outbox_depth = 0;  // alerts waiting for the hub's answer
};

class TransportHost {
 public:
  virtual ~TransportHost() = default;

  // Seals `alert`, stores it in the edge outbox, sends it, and waits up to timeout_ms for
  // the hub's answer. InvalidArgument (naming the field) when the alert cannot be sealed;
  // IOError when the outbox cannot store it. A timeout is not an error: the outcome has no
  // answer and the alert stays in the outbox.
  virtual Result<SubmitOutcome> Submit(const codecs::InboundAlert& alert, int64_t timeout_ms) = 0;

  // Seals `alert` and stores it in the outbox under `source` (a key that identifies the
  // document, e.g. a file name plus a content hash), then returns its message id without
  // waiting. The row stays until Complete(). AlreadyExists when `source` is already there.
  virtual Result<std::string> Enqueue(const codecs::InboundAlert& alert,
                                      const std::string& source) = 0;
  // The outbox row stored under `source`, if any.
  virtual Result<std::optional<OutboxRow>> FindBySource(const std::string& source) = 0;
  // The hub's answer for a row, or nullopt while it has none. NotFound when no such row.
  virtual Result<std::optional<SubmitAnswer>> AnswerFor(const std::string& message_id) = 0;
  // Rows that have an answer but were not completed (e.g. before a crash), in order.
  virtual Result<std::vector<OutboxRow>> AnsweredRows() = 0;
  // Drops the row: the transport has passed the answer on.
  virtual Status Complete(const std::string& message_id) = 0;

  virtual Health health() const = 0;
};

// A delivered alert or notice, rendered by the codec for the agency's system.
struct RenderedDocument {
  std::string id_hex;     // message id (alerts) or notice id (notices), 32 hex characters
  std::string kind;       // "alert" or "notice"
  std::string content;    // the codec's rendering
  std::string extension;  // the codec's file extension, e.g. ".json"
};

class Transport {
 public:
  virtual ~Transport() = default;

  virtual std::string_view name() const = 0;

  // Starts the transport's own threads. `host` and `codec` outlive the transport (until
  // Stop() returns). Returns an error (naming the path or port) when it cannot start.
  virtual Status Start(TransportHost& host, const codecs::Codec& codec) = 0;
  // Stops and joins its threads. Idempotent.
  virtual void Stop() = 0;

  // Hands a delivered alert (or notice) to the agency's system. Called one at a time, from
  // the SDK's delivery thread. Returns OK only once the agency's system durably has it
  // (file fsynced, 2xx received): the SDK acknowledges to the hub only then. Unavailable or
  // IOError: try again later (the hub redelivers); anything else: the agency's system
  // rejects it for good.
  virtual Status DeliverAlert(const RenderedDocument& document) = 0;
  virtual Status DeliverNotice(const RenderedDocument& document) = 0;
};

using TransportPtr = std::unique_ptr<Transport>;

}  // namespace hub::sdk
