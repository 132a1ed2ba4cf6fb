// The broker's accept path: authenticating submissions on the pool, then on the broker
// thread the replay check, policy, and storing, queueing and auditing an accepted alert (see
// broker.h for the turn these run in).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "hub/base/bytes.h"
#include "hub/base/check.h"
#include "hub/base/logging.h"
#include "hub/core/accept_path.h"
#include "hub/core/broker.h"
#include "hub/policy/names.h"
#include "hub/wire/frame.h"

namespace hub::core {

void Broker::Refuse(const std::string& routing_id, const std::string& agency,
                    const std::string& message_id, const Status& why, bool remember,
                    const std::string& envelope_hash, int64_t keep_until_ms) {
  auto code = static_cast<sghub::v1::ReasonCode>(
      why.reason_code() != 0 ? why.reason_code() : sghub::v1::REASON_CODE_INVALID_FIELD);
  std::string code_name(policy::ReasonCodeName(code));
  ++counters_.refused;
  ++counters_.refused_by_reason[code_name];
  Logger(Component::kBroker)
      .warn("[agency={} msg={}] refused {} field={}: {}", agency, ShortId(message_id), code_name,
            why.field(), why.message());
  sghub::v1::Refused refused;
  refused.set_message_id(message_id);
  refused.set_reason_code(code);
  refused.set_field(why.field());
  refused.set_reason(why.message());
  auto encoded = wire::EncodeFrame(sghub::v1::FRAME_TYPE_REFUSED, refused);
  if (!encoded.ok()) {
    Fatal(encoded.status());
    return;
  }
  replies_.push_back({routing_id, *encoded, true});
  EnsureBatch();
  store::AuditEntry entry;
  entry.event = "refused";
  entry.actor = agency;
  entry.message_id = message_id;
  entry.reason_code = code;
  entry.detail = nlohmann::json{{"field", why.field()}}.dump();
  Audit(std::move(entry));
  if (remember) {
    Status s = store_.PutAnswer({agency, message_id, envelope_hash, sghub::v1::FRAME_TYPE_REFUSED,
                                 *encoded, keep_until_ms});
    if (!s.ok()) {
      Fatal(s);
    }
  }
}

void Broker::StartPreparing(std::vector<Inbound>& inbound) {
  std::vector<size_t> submits;
  for (size_t i = 0; i < inbound.size(); ++i) {
    auto frame = wire::DecodeFrame(AsBytes(inbound[i].bytes.to_string_view()), config_.limits);
    if (frame.ok() && frame->type == sghub::v1::FRAME_TYPE_SUBMIT) {
      submits.push_back(i);
    }
  }
  prepared_with_ = registry_snapshot_;
  // The count is taken before `submits` moves into the task (argument order is unspecified).
  const size_t count = submits.size();
  pool_.Start(count,
              [this, &inbound, submits = std::move(submits), registry = prepared_with_](size_t k) {
                Inbound& in = inbound[submits[k]];
                auto frame = wire::DecodeFrame(AsBytes(in.bytes.to_string_view()), config_.limits);
                in.prepared = PrepareSubmit(frame->payload, in.agency, *registry, config_.limits);
              });
}

PreparedSubmit PrepareSubmit(std::string_view payload, std::string_view agency,
                             const AgencyRegistry& registry, const wire::Limits& limits) {
  PreparedSubmit out;
  auto submit = wire::ParseFramePayload<sghub::v1::Submit>(payload, limits);
  if (!submit.ok()) {
    out.submit_status = submit.status();
    return out;
  }
  out.envelope = std::move(*submit->mutable_envelope());
  out.parsed = AuthenticateSubmission(AsBytes(out.envelope), agency, registry, limits);
  if (out.parsed.ok()) {
    out.hash = EnvelopeHash(AsBytes(out.envelope));
  }
  return out;
}

void Broker::HandleSubmit(const std::string& routing_id, const std::string& agency,
                          const PreparedSubmit* prepared) {
  // The pool authenticated every SUBMIT of the batch (StartPreparing); one that was not would
  // be verified nowhere, and a full store could not refuse it (RecoverFromFullStore).
  HUB_CHECK(prepared != nullptr, "a SUBMIT reached the broker without being authenticated");
  if (!prepared->submit_status.ok()) {
    Refuse(routing_id, agency, "", prepared->submit_status, false, "", 0);
    return;
  }
  const auto& parsed = prepared->parsed;
  if (!parsed.ok()) {
    // Unauthenticated bytes are never remembered: a forger must not be able to poison the
    // replay cache for a message id the real sender has yet to use.
    Refuse(routing_id, agency, BestEffortMessageId(prepared->envelope), parsed.status(), false, "",
           0);
    return;
  }
  const sghub::v1::Header& h = parsed->header;
  const Submission submission{routing_id,
                              agency,
                              h,
                              prepared->envelope,
                              prepared->hash,
                              std::max(h.expires_at_ms(), now_ms_) + config_.max_clock_skew_ms};
  EnsureBatch();
  if (!fatal_.ok() || AnsweredAsReplay(submission)) {
    return;
  }
  auto history = HistoryFor(h);
  if (!history.ok()) {
    Fatal(history.status());
    return;
  }
  std::string original_sender;
  if (!h.in_reply_to().empty()) {
    auto original = store_.FindMessage(h.in_reply_to());
    if (!original.ok()) {
      Fatal(original.status());
      return;
    }
    if (original->has_value()) {
      original_sender = (*original)->sender;
    }
  }
  auto decisions = CheckSubmission(*parsed, *registry_snapshot_, config_, policy_, *history,
                                   original_sender, now_ms_);
  if (!decisions.ok()) {
    Refuse(routing_id, agency, h.message_id(), decisions.status(), true, submission.hash,
           submission.keep_until_ms);
    return;
  }
  const bool any_queued =
      std::any_of(decisions->begin(), decisions->end(),
                  [](const policy::Decision& d) { return d.verdict == policy::Verdict::kAllow; });
  if (any_queued) {
    StoreAccepted(submission, *decisions);
  } else {
    RefuseByPolicy(submission, *decisions);
  }
}

bool Broker::AnsweredAsReplay(const Submission& submission) {
  const std::string& message_id = submission.header.message_id();
  auto previous = store_.FindAnswer(submission.agency, message_id);
  if (!previous.ok()) {
    Fatal(previous.status());
    return true;
  }
  if (!previous->has_value()) {
    return false;
  }
  const store::AnswerRecord& answer = **previous;
  if (answer.envelope_hash != submission.hash) {
    Refuse(submission.routing_id, submission.agency, message_id,
           Status::AlreadyExists("message id " + ShortId(message_id) +
                                 " was already used for a different alert; every alert "
                                 "needs a fresh id")
               .WithReason(sghub::v1::REASON_CODE_DUPLICATE_CONFLICT, "header.message_id"),
           false, "", 0);
    return true;
  }
  ++counters_.replays;
  Logger(Component::kBroker)
      .info("[agency={} msg={}] replay answered with the original answer", submission.agency,
            ShortId(message_id));
  replies_.push_back({submission.routing_id, answer.answer, true});  // the original, byte for byte
  return true;
}

void Broker::RefuseByPolicy(const Submission& submission,
                            const std::vector<policy::Decision>& decisions) {
  // Nothing would be delivered: refuse the whole alert, naming every recipient's reason.
  const sghub::v1::Header& h = submission.header;
  const std::string subject_refs = JoinedSubjectRefs(h);
  std::string reason;
  for (const policy::Decision& d : decisions) {
    reason += (reason.empty() ? "" : " ") + d.recipient + ": " + d.explanation;
    store::AuditEntry entry;
    entry.event = "refused_policy";
    entry.actor = submission.agency;
    entry.message_id = h.message_id();
    entry.recipient = d.recipient;
    entry.reason_code = d.reason_code;
    entry.subject_refs = subject_refs;
    entry.detail = DecisionAuditDetail(h, d);
    Audit(std::move(entry));
    ++counters_.policy_refusals;
  }
  Refuse(submission.routing_id, submission.agency, h.message_id(),
         Status::PermissionDenied(reason).WithReason(decisions[0].reason_code, "header.consent"),
         true, submission.hash, submission.keep_until_ms);
}

void Broker::StoreAccepted(const Submission& submission,
                           const std::vector<policy::Decision>& decisions) {
  const sghub::v1::Header& h = submission.header;
  const std::string& agency = submission.agency;
  const std::string& message_id = h.message_id();
  const std::string subject_refs = JoinedSubjectRefs(h);
  sghub::v1::Accepted accepted;
  accepted.set_message_id(message_id);
  accepted.set_accepted_at_ms(now_ms_);
  for (const policy::Decision& d : decisions) {
    auto* result = accepted.add_results();
    result->set_recipient(d.recipient);
    result->set_queued(d.verdict == policy::Verdict::kAllow);
    if (d.verdict != policy::Verdict::kAllow) {
      result->set_reason_code(d.reason_code);
      result->set_reason(d.explanation);
    }
  }

  store::MessageRecord record;
  record.message_id = message_id;
  record.sender = agency;
  record.kind = h.kind();
  record.category = h.category();
  record.urgency = h.urgency();
  record.created_ms = h.created_at_ms();
  record.expires_ms = h.expires_at_ms();
  record.accepted_ms = now_ms_;
  record.in_reply_to = h.in_reply_to();
  record.outcome_code = h.outcome_code();
  record.envelope = submission.envelope;
  auto seq = store_.InsertMessage(record);
  if (!seq.ok()) {
    Fatal(seq.status());
    return;
  }
  store::AuditEntry accepted_entry;
  accepted_entry.event = "accepted";
  accepted_entry.actor = agency;
  accepted_entry.message_id = message_id;
  accepted_entry.subject_refs = subject_refs;
  accepted_entry.detail =
      nlohmann::json{{"kind", h.kind()}, {"category", h.category()}, {"urgency", h.urgency()}}
          .dump();
  Audit(std::move(accepted_entry));
  for (const policy::Decision& d : decisions) {
    store::AuditEntry entry;
    entry.actor = agency;
    entry.message_id = message_id;
    entry.recipient = d.recipient;
    entry.subject_refs = subject_refs;
    entry.detail = DecisionAuditDetail(h, d);
    if (d.verdict == policy::Verdict::kAllow) {
      auto queued = store_.EnqueueMessage(d.recipient, *seq, now_ms_, h.expires_at_ms());
      if (!queued.ok()) {
        Fatal(queued.status());
        return;
      }
      PeerFor(d.recipient).maybe_more = true;
      entry.event = d.consent_based ? "queued" : "queued_override";
      entry.basis = d.basis_used;
    } else {
      entry.event = "refused_policy";
      entry.reason_code = d.reason_code;
      ++counters_.policy_refusals;
    }
    Audit(std::move(entry));
  }
  AfterAccepted(h, decisions);
  if (!fatal_.ok()) {
    return;
  }
  auto answer = wire::EncodeFrame(sghub::v1::FRAME_TYPE_ACCEPTED, accepted);
  if (!answer.ok()) {
    Fatal(answer.status());
    return;
  }
  Status s = store_.PutAnswer({agency, message_id, submission.hash, sghub::v1::FRAME_TYPE_ACCEPTED,
                               *answer, submission.keep_until_ms});
  if (!s.ok()) {
    Fatal(s);
    return;
  }
  ++counters_.accepted;
  Logger(Component::kBroker)
      .debug("[agency={} msg={}] accepted for {} recipients", agency, ShortId(message_id),
             decisions.size());
  replies_.push_back({submission.routing_id, std::move(*answer), true});
}

}  // namespace hub::core
