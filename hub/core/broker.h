// Broker is the hub's event loop. It owns no sockets or files itself but is the only thread
// that uses the listener (a CurveZMQ ROUTER) and the store. Each turn of the loop:
//
//   1. collects the frames read last turn, whose submissions the verifier pool has been
//      authenticating meanwhile (parse + Ed25519, the costliest step); reads up to batch_max
//      new frames without blocking and starts the pool on those; then handles last turn's
//      frames in arrival order: submissions run the rest of the accept path and write to
//      the open store batch, acks and nacks settle deliveries. So the pool authenticates one
//      batch while this thread stores the one before, and both cores stay busy;
//   2. runs the timers: redelivery of unacknowledged deliveries, expiry of queued items;
//   3. signs the turn's delivery reports (one per sender) and queues them, commits the batch
//      (one fsync for all of it: group commit) -- a failed commit is fatal;
//   4. only then sends the answers (ACCEPTED / REFUSED), so nothing is acknowledged before
//      it is durable;
//   5. sends queued items to connected agencies, within each agency's in-flight window.
//
// Delivery is at least once: an item leaves its queue only when the recipient acks it or it
// expires; anything unacknowledged is sent again after a reconnect or a timeout, and
// receivers de-duplicate by message id. An item expires only while not in flight, so a
// recipient that acks at the deadline causes a delivery report or a non-delivery report,
// never both.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "hub/base/clock.h"
#include "hub/base/status.h"
#include "hub/config/hub_config.h"
#include "hub/core/agency_registry.h"
#include "hub/core/broker_counters.h"
#include "hub/core/hub_signer.h"
#include "hub/core/verifier_pool.h"
#include "hub/core/zap_handler.h"
#include "hub/policy/policy_engine.h"
#include "hub/store/message_store.h"
#include "hub/wire/envelope.h"
#include "sghub/v1/frames.pb.h"

namespace hub::core {

// A submission's stateless checks, done ahead of the broker's turn on the verifier pool:
// the Submit payload parsed, the envelope authenticated (AuthenticateSubmission) and hashed.
struct PreparedSubmit {
  Status submit_status;  // parsing the Submit payload
  std::string envelope;  // Submit.envelope, when it parsed
  Result<wire::ParsedEnvelope> parsed = Status::Internal("not authenticated");
  std::string hash;  // EnvelopeHash, when authenticated
};
PreparedSubmit PrepareSubmit(std::string_view payload, std::string_view agency,
                             const AgencyRegistry& registry, const wire::Limits& limits);

// Exit codes of Run(); sghubd returns them to systemd.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDurabilityLost = 3;  // a commit or fsync failed
inline constexpr int kExitZapDied = 4;         // the authentication handler stopped

class Broker {
 public:
  struct Hooks {
    // Called on SIGHUP; returns the new registry or an error (the old one stays).
    std::function<Result<std::shared_ptr<const AgencyRegistry>>()> reload_registry;
    // Called every turn of the loop (watchdog).
    std::function<void()> on_turn;
    // Extra file descriptors the loop polls for reading (e.g. the status socket's listening
    // and client sockets, as returned by watch_fds before each poll); on_fd_readable runs on
    // the broker thread, so it may read broker state (counters(), Peers(), store) safely.
    std::function<std::vector<int>()> watch_fds;
    std::function<void(int fd)> on_fd_readable;
  };

  // All references must outlive the broker. `listener` is bound by the caller.
  Broker(const config::HubConfig& config, RegistryHolder& registry, store::MessageStore& store,
         const policy::PolicyEngine& policy, const HubSigner& signer, const Clock& clock,
         zmq::socket_t& listener, const ZapHandler& zap, Hooks hooks);

  // Runs until SIGTERM or SIGINT arrives on `signal_fd` (a signalfd), or a fatal error.
  // Returns one of the kExit* codes.
  int Run(int signal_fd);

  // Asks Run() to return after the current turn (thread-safe).
  void RequestStop() { stop_requested_.store(true); }

  const BrokerCounters& counters() const { return counters_; }

  // What the status socket shows about each agency's connection.
  struct PeerView {
    std::string agency;
    bool online = false;
    int64_t last_seen_ms = 0;
    size_t in_flight = 0;
  };
  std::vector<PeerView> Peers() const;

  // A CONCERN whose recipient has let a deadline pass without an outcome. No personal data.
  struct OverdueAlert {
    std::string message_id_hex;
    std::string sender;
    std::string recipient;
    sghub::v1::Urgency urgency = sghub::v1::URGENCY_UNSPECIFIED;
    sghub::v1::EscalationStage stage = sghub::v1::ESCALATION_STAGE_UNSPECIFIED;
    int64_t deadline_ms = 0;  // the deadline that passed most recently
    int64_t age_ms = 0;       // since acceptance
    bool acknowledged = false;
  };
  // Up to `limit` overdue alerts, oldest first. Broker thread only (reads the store).
  Result<std::vector<OverdueAlert>> Overdue(int limit = 100);

 private:
  struct InFlight {
    int64_t sent_mono_ms = 0;
    uint32_t attempt = 1;
    bool is_notice = false;
    std::string message_id;
    std::string sender;
    int64_t expires_ms = 0;
    std::string payload;
  };
  struct Peer {
    std::string routing_id;  // the agency's current connection
    bool online = false;
    int64_t last_seen_ms = 0;
    uint32_t window = 0;
    int64_t cursor = 0;      // highest delivery id sent on this connection
    bool maybe_more = true;  // the queue may hold items beyond the cursor
    std::map<int64_t, InFlight> in_flight;
  };
  struct Outgoing {
    std::string routing_id;
    std::string frame;
    bool answers_submit = false;  // ACCEPTED/REFUSED: withdrawn if the batch does not commit
  };
  // A frame read this turn, with what the pool worked out for it ahead of time.
  struct Inbound {
    std::string routing_id;
    std::string agency;  // the connection's ZAP User-Id
    zmq::message_t bytes;
    std::optional<PreparedSubmit> prepared;  // SUBMIT frames only
  };
  // A delivery or non-delivery report waiting to be signed at the end of the turn.
  struct PendingReport {
    std::string to;
    sghub::v1::NoticeBody body;
  };

  // Starts authenticating the SUBMIT frames of `inbound` on the pool (pool_.Wait() collects
  // them); `inbound` must not change until then.
  void StartPreparing(std::vector<Inbound>& inbound);
  void HandleMessage(const std::string& routing_id, const std::string& agency,
                     std::string_view bytes, const PreparedSubmit* prepared = nullptr);
  void HandleHello(Peer& peer, const std::string& agency, std::string_view payload);
  // A submission past authentication: who sent it on which connection, and its envelope.
  struct Submission {
    const std::string& routing_id;
    const std::string& agency;
    const sghub::v1::Header& header;
    const std::string& envelope;
    const std::string& hash;  // EnvelopeHash
    int64_t keep_until_ms;    // how long its answer is kept for replays
  };
  // The accept path after authentication: replay check, policy, then StoreAccepted or
  // RefuseByPolicy. Each step writes to the open batch; the answer waits for the commit.
  void HandleSubmit(const std::string& routing_id, const std::string& agency,
                    const PreparedSubmit* prepared);
  // Answers a replay with its original answer, or refuses a reused id; false if neither.
  bool AnsweredAsReplay(const Submission& submission);
  // No recipient may receive it: audits each recipient's refusal and refuses the alert.
  void RefuseByPolicy(const Submission& submission, const std::vector<policy::Decision>& decisions);
  // Stores the message, queues it for the allowed recipients, audits every decision and
  // prepares the ACCEPTED answer.
  void StoreAccepted(const Submission& submission, const std::vector<policy::Decision>& decisions);
  void HandleAck(Peer& peer, const std::string& agency, std::string_view payload);
  void HandleNack(Peer& peer, const std::string& agency, std::string_view payload);
  void Refuse(const std::string& routing_id, const std::string& agency,
              const std::string& message_id, const Status& why, bool remember,
              const std::string& envelope_hash, int64_t keep_until_ms);
  void ReplyError(const std::string& routing_id, const Status& why);

  // Settling a queued item. Each writes its audit entry and notice in the open batch.
  void SettleDelivered(const std::string& recipient, int64_t delivery_id, const InFlight& item);
  void SettleUndelivered(const std::string& recipient, int64_t delivery_id,
                         const std::string& message_id, const std::string& sender, bool is_notice,
                         sghub::v1::ReasonCode code, const std::string& reason);
  void QueueNotice(const std::string& to, sghub::v1::NoticeBody body);
  // Like QueueNotice, but signed with the turn's other reports on the pool (FlushReports).
  // For delivery and non-delivery reports, whose order against other items does not matter.
  void QueueReport(const std::string& to, sghub::v1::NoticeBody body);
  void FlushReports();
  void Audit(store::AuditEntry entry);

  // Closed loop, consent registry and audit checkpoints (broker_closed_loop.cc).
  Result<policy::SubjectConsentHistory> HistoryFor(const sghub::v1::Header& h);
  void AfterAccepted(const sghub::v1::Header& h, const std::vector<policy::Decision>& decisions);
  void RecordReply(const sghub::v1::Header& h);
  void RecordConsentChange(const sghub::v1::Header& h);
  void MarkTrackedDelivered(const std::string& message_id, const std::string& recipient);
  void EscalateDue();
  void Escalate(store::TrackingRecord& record, sghub::v1::EscalationStage stage,
                int64_t deadline_ms);
  void WriteCheckpoint();

  void RunTimers();
  void RedeliverOverdue();
  void ExpireQueued();
  void Pump();
  bool SendTo(const std::string& routing_id, const std::string& frame);
  std::string DeliveryFrame(int64_t delivery_id, const InFlight& item) const;

  void EnsureBatch();
  // Reads the wall clock into now_ms_ and settle_now_ms_ (see there), following a steady
  // timeline through clock steps.
  void AdvanceTime(int64_t wall_ms);
  // The store is full (SQLITE_FULL, e.g. ENOSPC): rolls the batch back, withdraws the turn's
  // answers, refuses its submissions with HUB_UNAVAILABLE, and makes every unacknowledged
  // delivery go again (its ack may have been in the lost batch). Never for fsync/EIO.
  void RecoverFromFullStore();
  // Marks the turn as failed in a way that must stop the hub.
  void Fatal(const Status& why);
  Peer& PeerFor(const std::string& agency);

  // Constant after construction.
  const config::HubConfig& config_;
  RegistryHolder& registry_;
  store::MessageStore& store_;
  const policy::PolicyEngine& policy_;
  const HubSigner& signer_;
  const Clock& clock_;
  zmq::socket_t& listener_;
  const ZapHandler& zap_;
  Hooks hooks_;

  // Loop state, used only by the thread in Run().
  std::shared_ptr<const AgencyRegistry> registry_snapshot_;
  std::map<std::string, Peer> peers_;
  std::vector<Outgoing> replies_;  // sent after the batch commits
  std::vector<Inbound> inbound_;   // this turn's frames, read last turn
  // Frames read this turn, being authenticated on the pool meanwhile; handled next turn.
  // Declared before pool_ so that the pool's workers are gone before these are.
  std::vector<Inbound> next_inbound_;
  std::shared_ptr<const AgencyRegistry> prepared_with_;  // the registry next_inbound_ used
  std::vector<PendingReport> reports_;                   // queued by FlushReports before the commit
  // This turn's acknowledged alerts by sender, reported by FlushReports.
  std::map<std::string, std::vector<sghub::v1::Delivered>> delivered_by_sender_;
  VerifierPool pool_{VerifierPool::DefaultWorkers()};
  bool batch_open_ = false;
  Status fatal_;
  bool store_full_ = false;                // the last batch failed for want of space
  int64_t pump_paused_until_mono_ms_ = 0;  // after a full store: no delivery churn meanwhile
  // Two readings of the time, for when the wall clock is stepped. The hub keeps a steady
  // timeline: the wall clock while the two agree within a tolerance, else the monotonic clock,
  // catching up with the wall clock at a tenth of real time (a step is smeared over ten times
  // its size). now_ms_, the later of wall and steady time, stamps records and admits work (an
  // envelope is expired if either clock says so, so a clock stepped back cannot reopen a
  // replay window). settle_now_ms_, the earlier, drives everything that destroys state or
  // raises alarms -- expiry, answer and body purges, escalation -- so a forward step cannot
  // expire or escalate en masse.
  int64_t now_ms_ = 0;
  int64_t settle_now_ms_ = 0;
  int64_t steady_ms_ = 0;
  int64_t steady_mono_ms_ = 0;
  bool clock_step_logged_ = false;
  int64_t now_mono_ms_ = 0;
  int64_t next_expiry_sweep_ms_ = 0;
  int64_t next_answer_purge_ms_ = 0;
  int64_t next_escalation_sweep_ms_ = 0;
  int64_t next_checkpoint_ms_ = 0;
  BrokerCounters counters_;
  BrokerCounters counters_at_turn_start_;  // restored when a full store loses the batch
  std::atomic<bool> stop_requested_{false};
};

}  // namespace hub::core
