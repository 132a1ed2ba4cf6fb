// The broker's delivery side: settling acks and nacks, delivery and non-delivery reports,
// redelivery and expiry timers, and pumping queued items to connected agencies within their
// in-flight windows (see broker.h for the turn these run in).
#include <algorithm>

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/core/accept_path.h"
#include "hub/core/broker.h"
#include "hub/wire/frame.h"

namespace hub::core {
namespace {

constexpr int64_t kExpirySweepEveryMs = 1000;
constexpr int64_t kAnswerPurgeEveryMs = 60000;
constexpr int kExpiryBatch = 512;
// Hub notices stay queued this long for an agency that never reconnects.
constexpr int64_t kNoticeLifetimeMs = 30LL * 24 * 3600 * 1000;
// Acknowledged deliveries per delivery report (frames.proto, NoticeBody.delivered).
constexpr size_t kMaxDeliveredPerReport = 256;

}  // namespace

void Broker::HandleAck(Peer& peer, const std::string& agency, std::string_view payload) {
  auto ack = wire::ParseFramePayload<sghub::v1::Ack>(payload, config_.limits);
  if (!ack.ok()) {
    ReplyError(peer.routing_id, ack.status());
    return;
  }
  auto it = peer.in_flight.find(static_cast<int64_t>(ack->delivery_id()));
  if (it == peer.in_flight.end() || it->second.message_id != ack->message_id()) {
    // Not (or no longer) in flight on this connection: the item stays queued and is sent
    // again; the receiver's de-duplication absorbs the repeat.
    Logger(Component::kBroker)
        .debug("[agency={}] ack for delivery {} not in flight, ignored", agency,
               ack->delivery_id());
    return;
  }
  InFlight item = std::move(it->second);
  peer.in_flight.erase(it);
  SettleDelivered(agency, static_cast<int64_t>(ack->delivery_id()), item);
}

void Broker::HandleNack(Peer& peer, const std::string& agency, std::string_view payload) {
  auto nack = wire::ParseFramePayload<sghub::v1::Nack>(payload, config_.limits);
  if (!nack.ok()) {
    ReplyError(peer.routing_id, nack.status());
    return;
  }
  auto it = peer.in_flight.find(static_cast<int64_t>(nack->delivery_id()));
  if (it == peer.in_flight.end() || it->second.message_id != nack->message_id()) {
    return;
  }
  if (!nack->permanent()) {
    // Transient: try again after the redelivery timeout.
    it->second.sent_mono_ms = now_mono_ms_;
    return;
  }
  InFlight item = std::move(it->second);
  peer.in_flight.erase(it);
  ++counters_.rejected_by_recipient;
  std::string reason = "the recipient's system rejected the alert: " + nack->reason();
  SettleUndelivered(agency, static_cast<int64_t>(nack->delivery_id()), item.message_id, item.sender,
                    item.is_notice, sghub::v1::REASON_CODE_RECIPIENT_REJECTED, reason);
}

void Broker::SettleDelivered(const std::string& recipient, int64_t delivery_id,
                             const InFlight& item) {
  EnsureBatch();
  Status removed = store_.RemoveQueued(delivery_id);
  if (removed.IsNotFound()) {
    return;  // already settled
  }
  if (!removed.ok()) {
    Fatal(removed);
    return;
  }
  if (item.is_notice) {
    ++counters_.notices_delivered;
    return;
  }
  ++counters_.delivered;
  MarkTrackedDelivered(item.message_id, recipient);
  store::AuditEntry entry;
  entry.event = "delivered";
  entry.actor = recipient;
  entry.message_id = item.message_id;
  entry.recipient = recipient;
  Audit(std::move(entry));
  sghub::v1::Delivered delivered;
  delivered.set_message_id(item.message_id);
  delivered.set_recipient(recipient);
  delivered_by_sender_[item.sender].push_back(std::move(delivered));
}

void Broker::SettleUndelivered(const std::string& recipient, int64_t delivery_id,
                               const std::string& message_id, const std::string& sender,
                               bool is_notice, sghub::v1::ReasonCode code,
                               const std::string& reason) {
  EnsureBatch();
  Status removed = store_.RemoveQueued(delivery_id);
  if (removed.IsNotFound()) {
    return;
  }
  if (!removed.ok()) {
    Fatal(removed);
    return;
  }
  store::AuditEntry entry;
  entry.event = is_notice ? "notice_expired" : "not_delivered";
  entry.actor = config_.hub_id;
  entry.message_id = message_id;
  entry.recipient = recipient;
  entry.reason_code = code;
  Audit(std::move(entry));
  if (is_notice) {
    return;
  }
  sghub::v1::NoticeBody ndr;
  ndr.set_kind(sghub::v1::NOTICE_KIND_NON_DELIVERY_REPORT);
  ndr.set_message_id(message_id);
  ndr.set_recipient(recipient);
  ndr.set_reason_code(code);
  ndr.set_reason(reason);
  QueueReport(sender, std::move(ndr));
}

void Broker::QueueNotice(const std::string& to, sghub::v1::NoticeBody body) {
  if (to.empty() || registry_snapshot_->Find(to) == nullptr) {
    return;  // the agency is gone; nobody can receive it
  }
  body.set_to(to);
  body.set_at_ms(now_ms_);
  auto signed_notice = signer_.Sign(std::move(body));
  if (!signed_notice.ok()) {
    Fatal(signed_notice.status());
    return;
  }
  EnsureBatch();
  auto queued = store_.EnqueueNotice(to, signed_notice->notice_id, signed_notice->serialized,
                                     now_ms_, now_ms_ + kNoticeLifetimeMs);
  if (!queued.ok()) {
    Fatal(queued.status());
    return;
  }
  PeerFor(to).maybe_more = true;
}

void Broker::QueueReport(const std::string& to, sghub::v1::NoticeBody body) {
  if (to.empty() || registry_snapshot_->Find(to) == nullptr) {
    return;  // the agency is gone; nobody can receive it
  }
  body.set_to(to);
  body.set_at_ms(now_ms_);
  reports_.push_back({to, std::move(body)});
}

void Broker::FlushReports() {
  // The turn's acknowledgements become one delivery report per sender (in chunks), so a
  // busy hub signs and queues a handful of reports per turn rather than one per delivery.
  for (auto& [sender, delivered] : delivered_by_sender_) {
    for (size_t first = 0; first < delivered.size(); first += kMaxDeliveredPerReport) {
      const size_t end = std::min(delivered.size(), first + kMaxDeliveredPerReport);
      sghub::v1::NoticeBody report;
      report.set_kind(sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
      for (size_t i = first; i < end; ++i) {
        *report.add_delivered() = std::move(delivered[i]);
      }
      QueueReport(sender, std::move(report));
    }
  }
  delivered_by_sender_.clear();
  // Signed here, not on the pool: the pool is authenticating the next batch meanwhile, and
  // gathering made the reports few.
  for (PendingReport& r : reports_) {
    auto signed_notice = signer_.Sign(std::move(r.body));
    if (!signed_notice.ok()) {
      Fatal(signed_notice.status());
      break;
    }
    EnsureBatch();
    auto queued = store_.EnqueueNotice(r.to, signed_notice->notice_id, signed_notice->serialized,
                                       now_ms_, now_ms_ + kNoticeLifetimeMs);
    if (!queued.ok()) {
      Fatal(queued.status());
      break;
    }
    PeerFor(r.to).maybe_more = true;
  }
  reports_.clear();
}

void Broker::RunTimers() {
  RedeliverOverdue();
  if (now_mono_ms_ >= next_expiry_sweep_ms_) {
    next_expiry_sweep_ms_ = now_mono_ms_ + kExpirySweepEveryMs;
    ExpireQueued();
  }
  if (now_mono_ms_ >= next_escalation_sweep_ms_) {
    next_escalation_sweep_ms_ = now_mono_ms_ + kExpirySweepEveryMs;
    EscalateDue();
  }
  if (now_mono_ms_ >= next_answer_purge_ms_) {
    next_answer_purge_ms_ = now_mono_ms_ + kAnswerPurgeEveryMs;
    EnsureBatch();
    auto purged = store_.PurgeAnswers(settle_now_ms_);
    if (!purged.ok()) {
      Fatal(purged.status());
    }
    const int64_t retention_ms = config_.retention_days * 24LL * 3600 * 1000;
    auto bodies = store_.PurgeBodies(settle_now_ms_ - retention_ms);
    if (!bodies.ok()) {
      Fatal(bodies.status());
    }
  }
  if (now_mono_ms_ >= next_checkpoint_ms_) {
    next_checkpoint_ms_ = now_mono_ms_ + config_.checkpoint_interval_ms;
    WriteCheckpoint();
  }
}

void Broker::RedeliverOverdue() {
  for (auto& [agency, peer] : peers_) {
    for (auto it = peer.in_flight.begin(); it != peer.in_flight.end();) {
      InFlight& item = it->second;
      if (now_mono_ms_ - item.sent_mono_ms < config_.redeliver_after_ms) {
        ++it;
        continue;
      }
      if (item.expires_ms <= settle_now_ms_) {
        // Unacknowledged past its expiry: settle it as undelivered, once.
        ++counters_.expired;
        SettleUndelivered(agency, it->first, item.message_id, item.sender, item.is_notice,
                          sghub::v1::REASON_CODE_EXPIRED_UNDELIVERED,
                          "the recipient did not acknowledge the alert before it expired");
        it = peer.in_flight.erase(it);
        continue;
      }
      item.attempt += 1;
      item.sent_mono_ms = now_mono_ms_;
      ++counters_.redeliveries;
      if (!peer.online || !SendTo(peer.routing_id, DeliveryFrame(it->first, item))) {
        peer.online = false;
      }
      ++it;
    }
  }
}

void Broker::ExpireQueued() {
  auto expired = store_.LoadExpired(settle_now_ms_, kExpiryBatch);
  if (!expired.ok()) {
    Fatal(expired.status());
    return;
  }
  for (const store::QueuedItem& item : *expired) {
    auto peer = peers_.find(item.recipient);
    if (peer != peers_.end() && peer->second.in_flight.count(item.delivery_id) != 0) {
      continue;  // in flight: its ack or its redelivery timeout settles it
    }
    if (!item.is_notice) {
      ++counters_.expired;
    }
    SettleUndelivered(item.recipient, item.delivery_id, item.message_id, item.sender,
                      item.is_notice, sghub::v1::REASON_CODE_EXPIRED_UNDELIVERED,
                      "the alert expired before the recipient connected to collect it");
  }
}

void Broker::Pump() {
  for (auto& [agency, peer] : peers_) {
    if (!peer.online || !peer.maybe_more || peer.in_flight.size() >= peer.window) {
      continue;
    }
    const int want = static_cast<int>(peer.window - peer.in_flight.size());
    auto items = store_.LoadQueue(agency, peer.cursor, want);
    if (!items.ok()) {
      Logger(Component::kBroker)
          .error("cannot read the queue of {}: {}", agency, items.status().ToString());
      continue;
    }
    if (static_cast<int>(items->size()) < want) {
      peer.maybe_more = false;
    }
    for (store::QueuedItem& item : *items) {
      peer.cursor = item.delivery_id;
      if (item.expires_ms <= settle_now_ms_) {
        continue;  // the expiry sweep settles it
      }
      InFlight flight;
      flight.sent_mono_ms = now_mono_ms_;
      flight.is_notice = item.is_notice;
      flight.message_id = item.message_id;
      flight.sender = item.sender;
      flight.expires_ms = item.expires_ms;
      flight.payload = std::move(item.payload);
      // Tracked even if the send fails: the redelivery timer sends it again.
      auto placed = peer.in_flight.emplace(item.delivery_id, std::move(flight)).first;
      if (!SendTo(peer.routing_id, DeliveryFrame(item.delivery_id, placed->second))) {
        peer.online = false;
        break;
      }
    }
  }
}

std::string Broker::DeliveryFrame(int64_t delivery_id, const InFlight& item) const {
  if (item.is_notice) {
    // The stored notice's signature covers its body only, so the delivery id can be set.
    sghub::v1::Notice notice;
    notice.ParseFromString(item.payload);
    notice.set_delivery_id(static_cast<uint64_t>(delivery_id));
    auto frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_NOTICE, notice);
    return frame.ok() ? *frame : std::string();
  }
  sghub::v1::Deliver deliver;
  deliver.set_envelope(item.payload);
  deliver.set_delivery_id(static_cast<uint64_t>(delivery_id));
  deliver.set_attempt(item.attempt);
  auto frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_DELIVER, deliver);
  return frame.ok() ? *frame : std::string();
}

}  // namespace hub::core
