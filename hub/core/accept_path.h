// The hub's accept path for one submitted envelope, as pure functions of the envelope, the
// authenticated connection, the registry, the configuration and the time. The broker runs
// them in order and stores the result; nothing here touches sockets or the store.
//
//   1. AuthenticateSubmission: limits, parse, unknown fields, sender == connection (the ZAP
//      User-Id), signature by the sender's registered signing key.
//   2. (the broker looks up the replay cache: a replay gets the original answer)
//   3. CheckSubmission: clock skew and expiry, recipients registered, required fields for the
//      kind, then the policy decision for each recipient.
//
// Every failure is a Status whose reason_code() is a sghub.v1.ReasonCode and whose field()
// names what is at fault; its message is a sentence for the sender.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/base/bytes.h"
#include "hub/base/result.h"
#include "hub/config/hub_config.h"
#include "hub/core/agency_registry.h"
#include "hub/policy/policy_engine.h"
#include "hub/wire/envelope.h"

namespace hub::core {

// Stage 1. `connection_agency` is the User-Id that the ZAP handler gave the connection.
Result<wire::ParsedEnvelope> AuthenticateSubmission(ByteView envelope,
                                                    std::string_view connection_agency,
                                                    const AgencyRegistry& registry,
                                                    const wire::Limits& limits);

// Stage 3. Returns one decision per recipient, in header order. `original_sender` is the
// sender of the alert named by header.in_reply_to (empty when none or unknown): an OUTCOME
// may always go back to it.
Result<std::vector<policy::Decision>> CheckSubmission(
    const wire::ParsedEnvelope& parsed, const AgencyRegistry& registry,
    const config::HubConfig& config, const policy::PolicyEngine& policy,
    const policy::SubjectConsentHistory& history, std::string_view original_sender, int64_t now_ms);

// The audit detail of one recipient decision: the rule, consent state, lawful basis and, for
// an override, the basis and the decision record's role, organisation, advice and whether
// the person was told. Compact JSON, with no names or other personal data.
std::string DecisionAuditDetail(const sghub::v1::Header& h, const policy::Decision& d);

// BLAKE2b-256 of the envelope bytes: a replay must match it byte for byte.
std::string EnvelopeHash(ByteView envelope);

// The message id of an envelope that failed authentication, if it parses far enough, so
// the sender can match the refusal to its submission; empty otherwise.
std::string BestEffortMessageId(std::string_view envelope_bytes);

// A message id as logs show it (hex).
std::string ShortId(const std::string& message_id);

// The header's subject references concatenated, as the audit trail stores them.
std::string JoinedSubjectRefs(const sghub::v1::Header& h);

// Longest lifetime an alert may ask for (expires_at - created_at).
inline constexpr int64_t kMaxAlertLifetimeMs = 30LL * 24 * 3600 * 1000;

}  // namespace hub::core
