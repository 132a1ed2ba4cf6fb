// The parts of the broker that make it a safeguarding hub rather than a queue: the consent
// registry (DESIGN.md rule 4), closed-loop tracking with escalation, and signed checkpoints
// of the audit trail. Everything here runs inside the broker's open batch, so each state
// change commits together with its audit entry.
#include <nlohmann/json.hpp>

#include "hub/core/accept_path.h"

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/core/broker.h"
#include "hub/core/deadlines.h"

namespace hub::core {

Result<policy::SubjectConsentHistory> Broker::HistoryFor(const sghub::v1::Header& h) {
  std::vector<std::string> refs(h.subject_refs().begin(), h.subject_refs().end());
  HUB_ASSIGN_OR_RETURN(auto records, store_.ConsentHistory(refs));
  policy::SubjectConsentHistory history;
  for (auto& r : records) {
    policy::ConsentRecord record;
    record.state = static_cast<sghub::v1::ConsentState>(r.state);
    record.recorded_at_ms = r.recorded_at_ms;
    record.scope.ParseFromString(r.scope);
    history.Record(std::move(r.subject_ref), std::move(record));
  }
  return history;
}

void Broker::AfterAccepted(const sghub::v1::Header& h,
                           const std::vector<policy::Decision>& decisions) {
  for (const policy::Decision& d : decisions) {
    if (d.verdict != policy::Verdict::kAllow) {
      continue;
    }
    for (const std::string& ref : h.subject_refs()) {
      Status s = store_.LinkSubject(ref, d.recipient);
      if (!s.ok()) {
        Fatal(s);
        return;
      }
    }
    if (h.kind() == sghub::v1::ALERT_KIND_CONCERN) {
      store::TrackingRecord t;
      t.message_id = h.message_id();
      t.recipient = d.recipient;
      t.sender = h.sender();
      t.urgency = h.urgency();
      t.accepted_ms = now_ms_;
      t.ack_due_ms = DeadlineAfter(h.urgency(), now_ms_, config_.deadlines);
      t.outcome_due_ms = DeadlineAfter(h.urgency(), t.ack_due_ms, config_.deadlines);
      t.next_due_ms = t.ack_due_ms;
      Status s = store_.InsertTracking(t);
      if (!s.ok()) {
        Fatal(s);
        return;
      }
    }
  }
  if (h.kind() == sghub::v1::ALERT_KIND_OUTCOME) {
    RecordReply(h);
  } else if (h.kind() == sghub::v1::ALERT_KIND_CONSENT_CHANGE) {
    RecordConsentChange(h);
  }
}

void Broker::RecordReply(const sghub::v1::Header& h) {
  // The OUTCOME's sender is the recipient of the concern it answers.
  auto found = store_.FindTracking(h.in_reply_to(), h.sender());
  if (!found.ok()) {
    Fatal(found.status());
    return;
  }
  if (!found->has_value()) {
    return;  // not a tracked concern (e.g. an outcome to an UPDATE): nothing to close
  }
  store::TrackingRecord t = std::move(**found);
  if (h.outcome_code() == sghub::v1::OUTCOME_CODE_ACKNOWLEDGED) {
    if (t.acknowledged_ms == 0) {
      t.acknowledged_ms = now_ms_;
    }
    if (t.outcome_ms == 0 && t.stage < sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED) {
      t.next_due_ms = t.outcome_due_ms;  // the acknowledgement deadline no longer applies
    }
  } else {
    if (t.acknowledged_ms == 0) {
      t.acknowledged_ms = now_ms_;  // an outcome implies someone saw it
    }
    t.outcome_ms = now_ms_;
    t.outcome_code = h.outcome_code();
    t.next_due_ms = 0;  // the loop is closed: no further escalation
  }
  Status s = store_.UpdateTracking(t);
  if (!s.ok()) {
    Fatal(s);
    return;
  }
  store::AuditEntry entry;
  entry.event = h.outcome_code() == sghub::v1::OUTCOME_CODE_ACKNOWLEDGED ? "acknowledged"
                                                                         : "outcome_recorded";
  entry.actor = h.sender();
  entry.message_id = t.message_id;
  entry.recipient = t.sender;
  entry.detail = nlohmann::json{{"outcome_code", h.outcome_code()},
                                {"outcome_message_id", HexEncode(AsBytes(h.message_id()))}}
                     .dump();
  Audit(std::move(entry));
}

void Broker::RecordConsentChange(const sghub::v1::Header& h) {
  const auto state = h.consent().state();
  for (const std::string& ref : h.subject_refs()) {
    store::ConsentChangeRecord record;
    record.subject_ref = ref;
    record.state = state;
    record.recorded_at_ms = now_ms_;
    record.scope = h.consent().scope().SerializeAsString();
    record.message_id = h.message_id();
    Status s = store_.RecordConsentChange(record);
    if (!s.ok()) {
      Fatal(s);
      return;
    }
    store::AuditEntry entry;
    entry.event = "consent_change";
    entry.actor = h.sender();
    entry.message_id = h.message_id();
    entry.subject_refs = ref;
    entry.detail = nlohmann::json{{"state", state}}.dump();
    Audit(std::move(entry));
    if (state != sghub::v1::CONSENT_STATE_WITHDRAWN) {
      continue;
    }
    // Everyone who was sent alerts about the person must stop relying on their consent.
    auto agencies = store_.AgenciesForSubject(ref);
    if (!agencies.ok()) {
      Fatal(agencies.status());
      return;
    }
    for (const std::string& agency : *agencies) {
      if (agency == h.sender()) {
        continue;
      }
      sghub::v1::NoticeBody notice;
      notice.set_kind(sghub::v1::NOTICE_KIND_WITHDRAWAL);
      notice.set_message_id(h.message_id());
      notice.add_subject_refs(ref);
      notice.set_reason(
          "The person has withdrawn their consent to sharing. Do not share further on the basis "
          "of consent; information already received must be reviewed under your own policy.");
      QueueNotice(agency, std::move(notice));
      store::AuditEntry sent;
      sent.event = "withdrawal_notice";
      sent.actor = config_.hub_id;
      sent.message_id = h.message_id();
      sent.recipient = agency;
      sent.subject_refs = ref;
      Audit(std::move(sent));
    }
  }
}

void Broker::MarkTrackedDelivered(const std::string& message_id, const std::string& recipient) {
  auto found = store_.FindTracking(message_id, recipient);
  if (!found.ok()) {
    Fatal(found.status());
    return;
  }
  if (!found->has_value() || (*found)->delivered_ms != 0) {
    return;
  }
  store::TrackingRecord t = std::move(**found);
  t.delivered_ms = now_ms_;
  Status s = store_.UpdateTracking(t);
  if (!s.ok()) {
    Fatal(s);
  }
}

void Broker::EscalateDue() {
  auto due = store_.DueTracking(settle_now_ms_, 256);
  if (!due.ok()) {
    Fatal(due.status());
    return;
  }
  if (due->empty()) {
    return;
  }
  EnsureBatch();
  for (store::TrackingRecord& t : *due) {
    if (t.outcome_ms != 0) {
      t.next_due_ms = 0;
    } else if (t.acknowledged_ms == 0 && t.stage < sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED &&
               settle_now_ms_ >= t.ack_due_ms) {
      Escalate(t, sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED, t.ack_due_ms);
      t.next_due_ms = t.outcome_due_ms;
    } else if (t.stage < sghub::v1::ESCALATION_STAGE_NO_OUTCOME &&
               settle_now_ms_ >= t.outcome_due_ms) {
      Escalate(t, sghub::v1::ESCALATION_STAGE_NO_OUTCOME, t.outcome_due_ms);
      t.next_due_ms = 0;  // both stages escalated; it stays listed as overdue
    } else {
      t.next_due_ms = t.stage >= sghub::v1::ESCALATION_STAGE_NO_OUTCOME ? 0 : t.outcome_due_ms;
    }
    Status s = store_.UpdateTracking(t);
    if (!s.ok()) {
      Fatal(s);
      return;
    }
  }
}

void Broker::Escalate(store::TrackingRecord& t, sghub::v1::EscalationStage stage,
                      int64_t deadline_ms) {
  t.stage = stage;
  ++counters_.escalations;
  const std::string reason =
      stage == sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED
          ? "No one at " + t.recipient + " has acknowledged this safeguarding alert by its deadline."
          : t.recipient + " has not recorded an outcome for this safeguarding alert by its deadline.";
  std::vector<std::string> to = {t.sender};
  if (const config::AgencyEntry* r = registry_snapshot_->Find(t.recipient);
      r != nullptr && !r->escalation_contact.empty() && r->escalation_contact != t.sender) {
    to.push_back(r->escalation_contact);
  }
  for (const std::string& agency : to) {
    sghub::v1::NoticeBody notice;
    notice.set_kind(sghub::v1::NOTICE_KIND_ESCALATION);
    notice.set_message_id(t.message_id);
    notice.set_recipient(t.recipient);
    notice.set_stage(stage);
    notice.set_deadline_ms(deadline_ms);
    notice.set_reason(reason);
    QueueNotice(agency, std::move(notice));
  }
  store::AuditEntry entry;
  entry.event = "escalated";
  entry.actor = config_.hub_id;
  entry.message_id = t.message_id;
  entry.recipient = t.recipient;
  entry.detail = nlohmann::json{{"stage", stage}, {"deadline_ms", deadline_ms},
                                {"notified", to}}
                     .dump();
  Audit(std::move(entry));
  Logger(Component::kBroker)
      .warn("[msg={} recipient={}] escalated: stage {}", HexEncode(AsBytes(t.message_id)),
            t.recipient, static_cast<int>(stage));
}

void Broker::WriteCheckpoint() {
  auto last = store_.LastCheckpoint();
  if (!last.ok()) {
    Fatal(last.status());
    return;
  }
  // The head including this turn's entries: the checkpoint commits in the same batch.
  auto [seq, hash] = store_.AuditHead();
  if (seq == 0 || (last->has_value() && (*last)->audit_seq == seq)) {
    return;  // nothing new since the last checkpoint
  }
  EnsureBatch();
  store::Checkpoint checkpoint;
  checkpoint.audit_seq = seq;
  checkpoint.audit_hash = hash;
  checkpoint.at_ms = now_ms_;
  Status s = signer_.SignCheckpoint(checkpoint);
  if (s.ok()) {
    s = store_.AppendCheckpoint(checkpoint);
  }
  if (!s.ok()) {
    Fatal(s);
  }
}

Result<std::vector<Broker::OverdueAlert>> Broker::Overdue(int limit) {
  HUB_ASSIGN_OR_RETURN(auto rows, store_.OverdueTracking(limit));
  std::vector<OverdueAlert> out;
  for (const store::TrackingRecord& t : rows) {
    OverdueAlert a;
    a.message_id_hex = HexEncode(AsBytes(t.message_id));
    a.sender = t.sender;
    a.recipient = t.recipient;
    a.urgency = static_cast<sghub::v1::Urgency>(t.urgency);
    a.stage = static_cast<sghub::v1::EscalationStage>(t.stage);
    a.deadline_ms = t.stage >= sghub::v1::ESCALATION_STAGE_NO_OUTCOME ? t.outcome_due_ms
                                                                      : t.ack_due_ms;
    a.age_ms = now_ms_ - t.accepted_ms;
    a.acknowledged = t.acknowledged_ms != 0;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace hub::core
