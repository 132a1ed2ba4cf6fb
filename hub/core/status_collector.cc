#include "hub/core/status_collector.h"

#include <map>
#include <system_error>

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/wire/agency_id.h"

namespace hub::core {
namespace {

std::map<std::string, uint64_t> CounterMap(const BrokerCounters& c) {
  return {
      {"frames_in", c.frames_in},
      {"accepted", c.accepted},
      {"refused", c.refused},
      {"replays", c.replays},
      {"delivered", c.delivered},
      {"notices_delivered", c.notices_delivered},
      {"redeliveries", c.redeliveries},
      {"expired", c.expired},
      {"rejected_by_recipient", c.rejected_by_recipient},
      {"policy_refusals", c.policy_refusals},
      {"escalated", c.escalations},
      {"malformed_frames", c.malformed_frames},
      {"commits", c.commits},
  };
}

std::string UrgencyWord(sghub::v1::Urgency urgency) {
  switch (urgency) {
    case sghub::v1::URGENCY_IMMEDIATE:
      return "immediate";
    case sghub::v1::URGENCY_URGENT:
      return "urgent";
    case sghub::v1::URGENCY_ROUTINE:
      return "routine";
    default:
      return "unspecified";
  }
}

std::string StageWord(sghub::v1::EscalationStage stage) {
  switch (stage) {
    case sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED:
      return "not_acknowledged";
    case sghub::v1::ESCALATION_STAGE_NO_OUTCOME:
      return "no_outcome";
    default:
      return "unspecified";
  }
}

}  // namespace

StatusCollector::StatusCollector(const config::HubConfig& config, Broker& broker,
                                 const RegistryHolder& registry, store::MessageStore& store,
                                 const Clock& clock, std::string version)
    : config_(config),
      broker_(broker),
      registry_(registry),
      store_(store),
      clock_(clock),
      version_(std::move(version)),
      started_ms_(clock.NowMs()),
      started_mono_ms_(clock.MonotonicMs()) {}

StatusSnapshot StatusCollector::Collect() const {
  auto& log = Logger(Component::kStatus);
  StatusSnapshot s;
  s.version = version_;
  s.hub_id = config_.hub_id;
  s.listen = config_.listen_endpoint;
  s.now_ms = clock_.NowMs();
  s.started_ms = started_ms_;
  s.uptime_ms = clock_.MonotonicMs() - started_mono_ms_;
  s.offline_threshold_ms = config_.offline_threshold_ms;

  const std::filesystem::path db = config_.data_dir / "sghub.db";
  s.store_path = db.string();
  if (auto size = store_.SizeBytes(); size.ok()) {
    s.store_size_bytes = *size;
  } else {
    log.error("status: store size unreadable: {}", size.status().ToString());
  }
  std::error_code ec;
  const auto wal = std::filesystem::file_size(db.string() + "-wal", ec);
  s.store_wal_bytes = ec ? 0 : static_cast<int64_t>(wal);

  std::map<std::string, QueueStatus> queues;
  if (auto depths = store_.QueueDepths(); depths.ok()) {
    for (const store::QueueDepth& d : *depths) {
      QueueStatus& q = queues[d.recipient];
      q.recipient = d.recipient;
      q.depth = d.depth;
      q.oldest_queued_ms = d.depth > 0 ? d.oldest_queued_ms : 0;
      q.oldest_age_ms = d.depth > 0 ? std::max<int64_t>(0, s.now_ms - d.oldest_queued_ms) : 0;
    }
  } else {
    log.error("status: queue depths unreadable: {}", depths.status().ToString());
  }

  std::map<std::string, Broker::PeerView> peers;
  for (Broker::PeerView& p : broker_.Peers()) {
    s.in_flight += static_cast<int64_t>(p.in_flight);
    peers[p.agency] = std::move(p);
  }

  const std::shared_ptr<const AgencyRegistry> registry = registry_.Get();
  for (const config::AgencyEntry& entry : registry->agencies()) {
    AgencyStatus a;
    a.id = entry.card.id;
    a.kind = std::string(wire::AgencyKindName(entry.card.kind));
    a.name = entry.display_name;
    a.revoked = entry.revoked;
    if (auto p = peers.find(a.id); p != peers.end()) {
      a.connected = p->second.online;
      // The broker keeps a peer entry (last_seen 0) for agencies it only queued for.
      if (p->second.last_seen_ms > 0) {
        a.last_seen_ms = p->second.last_seen_ms;
      }
      a.in_flight = static_cast<int64_t>(p->second.in_flight);
    }
    if (auto q = queues.find(a.id); q != queues.end() && q->second.depth > 0) {
      a.queue_depth = q->second.depth;
      a.oldest_queued_age_ms = q->second.oldest_age_ms;
    }
    s.agencies.push_back(std::move(a));
  }
  for (auto& [recipient, q] : queues) {
    s.queues.push_back(std::move(q));
  }

  const BrokerCounters& counters = broker_.counters();
  s.counters = CounterMap(counters);
  s.refused_by_reason = counters.refused_by_reason;

  if (auto overdue = broker_.Overdue(kMaxOverdueListed); overdue.ok()) {
    for (const Broker::OverdueAlert& o : *overdue) {
      s.overdue.push_back({o.message_id_hex, o.sender, o.recipient, UrgencyWord(o.urgency),
                           StageWord(o.stage), o.deadline_ms, o.age_ms});
    }
  } else {
    log.error("status: overdue alerts unreadable: {}", overdue.status().ToString());
  }

  const auto [head_seq, head_hash] = store_.AuditHead();
  s.audit.head_seq = head_seq;
  s.audit.head_hash_hex = HexEncode(AsBytes(head_hash));
  if (auto checkpoint = store_.LastCheckpoint(); checkpoint.ok() && checkpoint->has_value()) {
    s.audit.last_checkpoint_seq = (*checkpoint)->seq;
    s.audit.last_checkpoint_audit_seq = (*checkpoint)->audit_seq;
    s.audit.last_checkpoint_ms = (*checkpoint)->at_ms;
  } else if (!checkpoint.ok()) {
    log.error("status: last checkpoint unreadable: {}", checkpoint.status().ToString());
  }
  return s;
}

}  // namespace hub::core
