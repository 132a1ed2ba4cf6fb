// AdapterBase is what an sghub adapter is built on. It holds the agency's keys, the peers'
// cards, the edge outbox and the connection to the hub, so that an adapter never touches
// keys or sockets: it submits decoded alerts and implements two handlers.
//
//   class MyAdapter final : public hub::sdk::AdapterBase {
//    protected:
//     Status HandleAlert(const Delivered& alert) override;          // put it in your system
//     Status HandleNotice(const sghub::v1::NoticeBody& n) override;  // receipts, escalations
//   };
//
// Deliveries (public, non-virtual, like spdlog's base_sink::log): Deliver() verifies the
// envelope against the SENDER's signing key from its card, opens it with the agency's own
// sealing key, drops repeats by message id (a persistent table, so this survives restarts),
// and only then calls HandleAlert. Calls are serialised: handlers never run concurrently.
// The hub gets an ACK only after HandleAlert returned OK; a transient failure (Unavailable,
// IOError) is NACKed for redelivery; an envelope that does not verify or open, or a
// handler's permanent failure, is NACKed permanently (the sender gets a non-delivery
// report). Notices are verified with the hub's signing key and handled the same way.
//
// Threads: the connection's I/O thread, one delivery thread (handlers run there), and the
// callers of Submit/Enqueue. Public methods are thread-safe unless noted.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "adapters/codecs/codec.h"
#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/alert_sealer.h"
#include "adapters/sdk/hub_connection.h"
#include "adapters/sdk/peer_directory.h"
#include "adapters/sdk/state_db.h"
#include "adapters/sdk/transport.h"
#include "hub/base/clock.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/subject_key.h"
#include "sghub/v1/frames.pb.h"

namespace hub::sdk {

// An alert delivered to this agency, verified and opened.
struct Delivered {
  sghub::v1::Header header;   // as signed by the sender
  sghub::v1::AlertBody body;  // the opened body
  uint32_t attempt = 0;       // the hub's delivery attempt, 1 for the first
};

// What Deliver()/DeliverNotice() did with one item, and so what the hub was told.
enum class DeliveryAction {
  kAcked,           // handed to the handler, then acknowledged
  kAckedDuplicate,  // seen before: acknowledged without calling the handler
  kNackTransient,   // try again later
  kNackPermanent,   // never deliverable; the sender gets a non-delivery report
};

struct DeliveryResult {
  DeliveryAction action = DeliveryAction::kNackTransient;
  std::string id;  // message id (alerts) or notice id (notices), when known
  Status why;      // the reason for a nack
};

class AdapterBase : public TransportHost {
 public:
  ~AdapterBase() override;
  AdapterBase(const AdapterBase&) = delete;
  AdapterBase& operator=(const AdapterBase&) = delete;

  // Loads the keys (the key file must be mode 0600 and belong to config.agency_id), the
  // subject key, the hub's card and the peers' cards, and opens the state database in
  // config.state_dir (created 0700 if missing). Answered outbox rows nobody is waiting for
  // any more are completed. Call once, before Start(). Errors name the file at fault.
  Status Open(const AdapterConfig& config, std::string software);

  // Starts the delivery thread, then the connection (which connects in the background and
  // sends whatever the outbox holds), then OnStart().
  Status Start();
  // OnStop(), then stops the connection and the delivery thread. Idempotent.
  void Stop();

  // TransportHost.
  Result<SubmitOutcome> Submit(const codecs::InboundAlert& alert, int64_t timeout_ms) override;
  Result<std::string> Enqueue(const codecs::InboundAlert& alert,
                              const std::string& source) override;
  Result<std::optional<OutboxRow>> FindBySource(const std::string& source) override;
  Result<std::optional<SubmitAnswer>> AnswerFor(const std::string& message_id) override;
  Result<std::vector<OutboxRow>> AnsweredRows() override;
  Status Complete(const std::string& message_id) override;
  Health health() const override;

  // Submit with the configured [hub] submit_timeout.
  Result<SubmitOutcome> Submit(const codecs::InboundAlert& alert);

  // Handles one DELIVER / NOTICE from the hub, as described at the top. Serialised. Does
  // not send the ack or nack itself: the delivery thread does, from the result. Public so
  // that tests can feed items directly.
  DeliveryResult Deliver(const sghub::v1::Deliver& deliver);
  DeliveryResult DeliverNotice(const sghub::v1::Notice& notice);

  const AdapterConfig& config() const { return config_; }
  const std::string& agency_id() const { return config_.agency_id; }

 protected:
  // Production adapters use the system clock; tests may pass a FakeClock.
  explicit AdapterBase(ClockPtr clock = std::make_unique<SystemClock>());

  // Puts a delivered alert into the agency's system. OK only once it is durably there.
  // Return Unavailable/IOError for "try again later"; anything else rejects it for good.
  virtual Status HandleAlert(const Delivered& alert) = 0;
  // The same for a hub notice (delivery report, non-delivery report, escalation, withdrawal,
  // outcome recorded).
  virtual Status HandleNotice(const sghub::v1::NoticeBody& notice) = 0;
  // Hooks around the adapter's own threads (a transport starts here).
  virtual Status OnStart() { return Status::Ok(); }
  virtual void OnStop() {}

 private:
  struct Inbound {
    sghub::v1::FrameType type;
    std::string payload;
  };
  struct Waiter {
    bool done = false;
    SubmitAnswer answer;
  };

  Result<SealedAlert> SealAlert(const codecs::InboundAlert& alert);
  Result<int64_t> StoreSealed(const SealedAlert& sealed, const std::string& source);
  void OnFrame(sghub::v1::FrameType type, std::string payload);
  void OnAnswer(sghub::v1::FrameType type, const std::string& payload);
  void DeliveryLoop();
  void SendVerdict(bool notice, uint64_t delivery_id, const DeliveryResult& result);

  // Constant after Open().
  ClockPtr clock_;
  AdapterConfig config_;
  std::string software_;
  std::unique_ptr<wire::AgencyKeys> keys_;
  std::unique_ptr<wire::SubjectKey> subject_key_;
  wire::AgencyCard hub_card_;
  PeerDirectory peers_;
  StateDbPtr db_;
  std::unique_ptr<AlertSealer> sealer_;
  HubConnectionPtr connection_;

  std::mutex deliver_mu_;  // serialises Deliver/DeliverNotice and so the handlers

  std::mutex waiters_mu_;
  std::condition_variable waiters_cv_;
  std::map<std::string, Waiter*> waiters_;  // guarded by waiters_mu_; message id -> waiter

  std::mutex inbound_mu_;
  std::condition_variable inbound_cv_;
  std::deque<Inbound> inbound_;  // guarded by inbound_mu_
  bool stopping_ = false;        // guarded by inbound_mu_
  std::thread delivery_thread_;
  bool started_ = false;
};

}  // namespace hub::sdk
