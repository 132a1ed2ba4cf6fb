#include "hub/core/broker.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <zmq_addon.hpp>

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/core/accept_path.h"
#include "hub/policy/names.h"
#include "hub/wire/frame.h"

namespace hub::core {
namespace {

using sghub::v1::FrameType;

constexpr int64_t kExpirySweepEveryMs = 1000;
constexpr int64_t kAnswerPurgeEveryMs = 60000;
constexpr int kExpiryBatch = 512;
// Hub notices stay queued this long for an agency that never reconnects.
constexpr int64_t kNoticeLifetimeMs = 30LL * 24 * 3600 * 1000;
// The wall clock and the steady timeline may differ this much before it counts as a step
// (NTP slews far slower; a step of more is smeared, see Broker::now_ms_).
constexpr int64_t kClockStepMs = 2000;
// After a batch failed for want of space, deliveries pause this long (acks could not commit).
constexpr int64_t kStoreFullPauseMs = 1000;

// Acknowledged deliveries per delivery report (frames.proto, NoticeBody.delivered).
constexpr size_t kMaxDeliveredPerReport = 256;

// hub_store reports SQLITE_FULL as ResourceExhausted. A full store is recoverable (the batch
// rolls back, nothing was answered); any other I/O error, above all a failed fsync, is not.
bool IsStoreFull(const Status& s) { return s.IsResourceExhausted(); }

std::string Short(const std::string& message_id) { return HexEncode(AsBytes(message_id)); }

// The message id of an envelope that failed authentication, if it parses far enough, so
// the sender can match the refusal to its submission.
std::string BestEffortMessageId(std::string_view envelope_bytes) {
  sghub::v1::Envelope envelope;
  sghub::v1::Header header;
  if (envelope_bytes.size() > (1u << 20) ||
      !envelope.ParseFromArray(envelope_bytes.data(), static_cast<int>(envelope_bytes.size())) ||
      !header.ParseFromString(envelope.header()) || header.message_id().size() != 16) {
    return {};
  }
  return header.message_id();
}

std::string SubjectRefs(const sghub::v1::Header& h) {
  std::string out;
  for (const auto& ref : h.subject_refs()) {
    out += ref;
  }
  return out;
}

}  // namespace

Broker::Broker(const config::HubConfig& config, RegistryHolder& registry,
               store::MessageStore& store, const policy::PolicyEngine& policy,
               const HubSigner& signer, const Clock& clock, zmq::socket_t& listener,
               const ZapHandler& zap, Hooks hooks)
    : config_(config),
      registry_(registry),
      store_(store),
      policy_(policy),
      signer_(signer),
      clock_(clock),
      listener_(listener),
      zap_(zap),
      hooks_(std::move(hooks)) {}

int Broker::Run(int signal_fd) {
  auto& log = Logger(Component::kBroker);
  registry_snapshot_ = registry_.Get();
  std::vector<zmq::pollitem_t> items;
  // Tasks of a batch still on the pool refer to next_inbound_: finish them on every way out.
  struct WaitForPool {
    VerifierPool& pool;
    ~WaitForPool() { pool.Wait(); }
  } wait_for_pool{pool_};
  bool stopping = false;
  while (!stopping) {
    items.clear();
    items.push_back({listener_.handle(), 0, ZMQ_POLLIN, 0});
    items.push_back({nullptr, signal_fd, ZMQ_POLLIN, 0});
    if (hooks_.watch_fds) {
      for (int fd : hooks_.watch_fds()) {
        items.push_back({nullptr, fd, ZMQ_POLLIN, 0});
      }
    }
    const size_t item_count = signal_fd >= 0 ? items.size() : 1;
    try {
      // Frames read last turn are waiting to be handled: look for more, never wait.
      zmq::poll(items.data(), item_count,
                std::chrono::milliseconds(next_inbound_.empty() ? 50 : 0));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) {
        Fatal(Status::IOError(std::string("poll failed: ") + e.what()));
      }
    }
    now_mono_ms_ = clock_.MonotonicMs();
    AdvanceTime(clock_.NowMs());
    for (size_t i = 2; i < item_count; ++i) {
      if ((items[i].revents & ZMQ_POLLIN) != 0 && hooks_.on_fd_readable) {
        hooks_.on_fd_readable(items[i].fd);
      }
    }

    if (item_count > 1 && (items[1].revents & ZMQ_POLLIN) != 0) {
      signalfd_siginfo info{};
      while (read(signal_fd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
        if (info.ssi_signo == SIGHUP) {
          if (hooks_.reload_registry) {
            auto next = hooks_.reload_registry();
            if (next.ok()) {
              registry_.Set(*next);
              registry_snapshot_ = *next;
              log.info("registry reloaded: {} agencies", registry_snapshot_->agencies().size());
            } else {
              log.error("registry reload refused, keeping the old one: {}",
                        next.status().message());
            }
          }
        } else {
          log.info("signal {} received: finishing the batch in flight and stopping",
                   info.ssi_signo);
          stopping = true;
        }
      }
    }
    if (stop_requested_.load()) {
      stopping = true;
    }
    if (!zap_.alive()) {
      log.critical("the ZAP authentication handler is not running; stopping (fail closed)");
      if (batch_open_) {
        store_.Rollback();
      }
      return kExitZapDied;
    }

    // Drop peers whose agency was removed or revoked, before reading their frames.
    for (auto it = peers_.begin(); it != peers_.end();) {
      if (!AgencyRegistry::IsAdmitted(registry_snapshot_->Find(it->first))) {
        it = peers_.erase(it);
      } else {
        ++it;
      }
    }

    // This turn handles the frames read last turn, whose submissions the pool authenticated
    // meanwhile; the frames read now are authenticated while this turn handles those.
    pool_.Wait();
    inbound_ = std::move(next_inbound_);
    next_inbound_.clear();
    if (prepared_with_ != registry_snapshot_ && !inbound_.empty()) {
      // Authenticated against keys that a reload has since replaced: check again.
      StartPreparing(inbound_);
      pool_.Wait();
    }
    for (uint32_t n = 0; n < config_.batch_max && fatal_.ok() && !stopping; ++n) {
      std::vector<zmq::message_t> parts;
      std::optional<size_t> got;
      try {
        got = zmq::recv_multipart(listener_, std::back_inserter(parts), zmq::recv_flags::dontwait);
      } catch (const zmq::error_t& e) {
        Fatal(Status::IOError(std::string("receive failed: ") + e.what()));
        break;
      }
      if (!got) {
        break;
      }
      ++counters_.frames_in;
      if (parts.size() != 2) {
        ++counters_.malformed_frames;
        continue;
      }
      const char* user_id = nullptr;
      try {
        user_id = parts[1].gets("User-Id");
      } catch (const zmq::error_t&) {
        user_id = nullptr;
      }
      if (user_id == nullptr || *user_id == '\0') {
        // Cannot happen with ZAP enforced; never trust a frame without an identity.
        ++counters_.malformed_frames;
        continue;
      }
      next_inbound_.push_back({parts[0].to_string(), user_id, std::move(parts[1]), std::nullopt});
    }
    StartPreparing(next_inbound_);
    counters_at_turn_start_ = counters_;
    for (Inbound& in : inbound_) {
      if (!fatal_.ok()) {
        break;
      }
      HandleMessage(in.routing_id, in.agency, in.bytes.to_string_view(),
                    in.prepared ? &*in.prepared : nullptr);
    }

    if (fatal_.ok()) {
      RunTimers();
      if (stopping) {
        WriteCheckpoint();  // the trail's head at shutdown is signed too
      }
    }
    if (fatal_.ok()) {
      FlushReports();
    }
    if (batch_open_ && fatal_.ok()) {
      Status committed = store_.Commit();
      batch_open_ = false;
      ++counters_.commits;
      if (!committed.ok()) {
        Fatal(committed);
      } else if (store_full_) {
        store_full_ = false;
        log.info("the store has space again: accepting work");
      }
    }
    if (!fatal_.ok() && IsStoreFull(fatal_)) {
      RecoverFromFullStore();
    }
    if (!fatal_.ok()) {
      if (batch_open_) {
        store_.Rollback();
      }
      log.critical("durability lost, stopping without answering: {}", fatal_.ToString());
      return kExitDurabilityLost;
    }
    for (const Outgoing& out : replies_) {
      SendTo(out.routing_id, out.frame);
    }
    replies_.clear();
    inbound_.clear();
    if (!stopping && now_mono_ms_ >= pump_paused_until_mono_ms_) {
      Pump();
    }
    if (hooks_.on_turn) {
      hooks_.on_turn();
    }
  }
  log.info("stopped: {} accepted, {} delivered this run", counters_.accepted, counters_.delivered);
  return kExitOk;
}

Broker::Peer& Broker::PeerFor(const std::string& agency) {
  auto [it, inserted] = peers_.try_emplace(agency);
  if (inserted) {
    it->second.window = config_.max_in_flight;
  }
  return it->second;
}

void Broker::EnsureBatch() {
  if (batch_open_ || !fatal_.ok()) {
    return;
  }
  Status s = store_.Begin();
  if (!s.ok()) {
    Fatal(s);
    return;
  }
  batch_open_ = true;
}

void Broker::AdvanceTime(int64_t wall_ms) {
  if (steady_ms_ == 0) {
    steady_ms_ = wall_ms;
  } else {
    const int64_t elapsed = std::max<int64_t>(0, now_mono_ms_ - steady_mono_ms_);
    steady_ms_ += elapsed;
    const int64_t gap = wall_ms - steady_ms_;
    if (gap >= -kClockStepMs && gap <= kClockStepMs) {
      steady_ms_ = wall_ms;
      clock_step_logged_ = false;
    } else {
      if (!clock_step_logged_) {
        Logger(Component::kBroker)
            .warn(
                "the wall clock was stepped by {} ms: expiry and escalation follow the "
                "earlier of the wall clock and the steady timeline until they meet again",
                gap);
        clock_step_logged_ = true;
      }
      steady_ms_ += std::clamp(gap, -elapsed / 10, elapsed / 10);
    }
  }
  steady_mono_ms_ = now_mono_ms_;
  now_ms_ = std::max(wall_ms, steady_ms_);
  settle_now_ms_ = std::min(wall_ms, steady_ms_);
}

void Broker::RecoverFromFullStore() {
  auto& log = Logger(Component::kBroker);
  if (batch_open_) {
    store_.Rollback();
    batch_open_ = false;
  }
  if (!store_full_) {
    log.error(
        "the store is full, batch rolled back; refusing new work with HUB_UNAVAILABLE "
        "until space returns: {}",
        fatal_.message());
  }
  store_full_ = true;
  fatal_ = Status::Ok();
  // What the lost batch counted did not happen; the frames read did.
  const uint64_t frames_in = counters_.frames_in;
  const uint64_t malformed_frames = counters_.malformed_frames;
  counters_ = counters_at_turn_start_;
  counters_.frames_in = frames_in;
  counters_.malformed_frames = malformed_frames;
  reports_.clear();
  delivered_by_sender_.clear();
  std::erase_if(replies_, [](const Outgoing& out) { return out.answers_submit; });
  for (const Inbound& in : inbound_) {
    if (!in.prepared) {
      continue;  // not a submission
    }
    sghub::v1::Refused refused;
    refused.set_message_id(in.prepared->parsed.ok() ? in.prepared->parsed->header.message_id()
                                                    : BestEffortMessageId(in.prepared->envelope));
    refused.set_reason_code(sghub::v1::REASON_CODE_HUB_UNAVAILABLE);
    refused.set_field("store");
    refused.set_reason(
        "the hub's store is full: nothing was accepted; submit the same "
        "envelope again later");
    auto encoded = wire::EncodeFrame(sghub::v1::FRAME_TYPE_REFUSED, refused);
    if (encoded.ok()) {
      replies_.push_back({in.routing_id, std::move(*encoded), true});
      ++counters_.refused;
      ++counters_.refused_by_reason[std::string(
          policy::ReasonCodeName(sghub::v1::REASON_CODE_HUB_UNAVAILABLE))];
    }
  }
  // Acks and expiries settled in the lost batch are undone: the items are still queued.
  for (auto& [agency, peer] : peers_) {
    peer.in_flight.clear();
    peer.cursor = 0;
    peer.maybe_more = true;
  }
  pump_paused_until_mono_ms_ = now_mono_ms_ + kStoreFullPauseMs;
}

void Broker::Fatal(const Status& why) {
  if (fatal_.ok()) {
    fatal_ = why.ok() ? Status::Internal("unknown fatal error") : why;
  }
}

void Broker::HandleMessage(const std::string& routing_id, const std::string& agency,
                           std::string_view bytes, const PreparedSubmit* prepared) {
  auto& log = Logger(Component::kBroker);
  auto frame = wire::DecodeFrame(AsBytes(bytes), config_.limits);
  if (!frame.ok()) {
    ++counters_.malformed_frames;
    log.warn("[agency={}] unreadable frame refused: {}", agency, frame.status().message());
    ReplyError(routing_id, frame.status());
    return;
  }
  if (!AgencyRegistry::IsAdmitted(registry_snapshot_->Find(agency))) {
    // Revoked or removed since the handshake: its connection carries nothing any more.
    ++counters_.malformed_frames;
    log.warn("[agency={}] frame from a revoked or removed agency dropped", agency);
    ReplyError(routing_id, Status::Unauthenticated("this agency is no longer admitted")
                               .WithReason(sghub::v1::REASON_CODE_UNKNOWN_SENDER, "connection"));
    return;
  }
  Peer& peer = PeerFor(agency);
  if (peer.routing_id != routing_id) {
    // A new connection for this agency: everything unacknowledged is sent again on it.
    log.info("[agency={}] connected", agency);
    peer.routing_id = routing_id;
    peer.in_flight.clear();
    peer.cursor = 0;
    peer.maybe_more = true;
  }
  peer.online = true;
  peer.last_seen_ms = now_ms_;

  switch (frame->type) {
    case sghub::v1::FRAME_TYPE_HELLO:
      HandleHello(peer, agency, frame->payload);
      break;
    case sghub::v1::FRAME_TYPE_SUBMIT:
      HandleSubmit(routing_id, agency, frame->payload, prepared);
      break;
    case sghub::v1::FRAME_TYPE_ACK:
      HandleAck(peer, agency, frame->payload);
      break;
    case sghub::v1::FRAME_TYPE_NACK:
      HandleNack(peer, agency, frame->payload);
      break;
    case sghub::v1::FRAME_TYPE_PING: {
      auto ping = wire::ParseFramePayload<sghub::v1::Ping>(frame->payload, config_.limits);
      sghub::v1::Pong pong;
      if (ping.ok()) {
        pong.set_sent_at_ms(ping->sent_at_ms());
      }
      auto encoded = wire::EncodeFrame(sghub::v1::FRAME_TYPE_PONG, pong);
      if (encoded.ok()) {
        replies_.push_back({routing_id, std::move(*encoded)});
      }
      break;
    }
    case sghub::v1::FRAME_TYPE_PONG:
      break;
    default:
      ++counters_.malformed_frames;
      ReplyError(routing_id, Status::InvalidArgument("frame type " + std::to_string(frame->type) +
                                                     " is not sent by adapters")
                                 .WithReason(sghub::v1::REASON_CODE_MALFORMED_FRAME, "frame.type"));
      break;
  }
}

void Broker::HandleHello(Peer& peer, const std::string& agency, std::string_view payload) {
  auto hello = wire::ParseFramePayload<sghub::v1::Hello>(payload, config_.limits);
  if (!hello.ok()) {
    ReplyError(peer.routing_id, hello.status());
    return;
  }
  if (!hello->agency().empty() && hello->agency() != agency) {
    ReplyError(peer.routing_id,
               Status::Unauthenticated("hello names agency '" + hello->agency() +
                                       "' but the connection is authenticated as '" + agency + "'")
                   .WithReason(sghub::v1::REASON_CODE_SENDER_MISMATCH, "hello.agency"));
    return;
  }
  if (hello->max_in_flight() > 0) {
    peer.window = std::min(hello->max_in_flight(), config_.max_in_flight);
  }
  sghub::v1::Welcome welcome;
  welcome.set_hub_id(config_.hub_id);
  welcome.set_hub_time_ms(now_ms_);
  welcome.set_max_clock_skew_ms(config_.max_clock_skew_ms);
  welcome.set_max_frame_bytes(config_.limits.max_frame_bytes);
  welcome.set_max_recipients(config_.limits.max_recipients);
  welcome.set_max_header_bytes(config_.limits.max_header_bytes);
  auto encoded = wire::EncodeFrame(sghub::v1::FRAME_TYPE_WELCOME, welcome);
  if (encoded.ok()) {
    replies_.push_back({peer.routing_id, std::move(*encoded)});
  }
}

void Broker::ReplyError(const std::string& routing_id, const Status& why) {
  sghub::v1::Error error;
  error.set_reason_code(static_cast<sghub::v1::ReasonCode>(why.reason_code()));
  error.set_reason(why.message());
  auto encoded = wire::EncodeFrame(sghub::v1::FRAME_TYPE_ERROR, error);
  if (encoded.ok()) {
    replies_.push_back({routing_id, std::move(*encoded)});
  }
}

void Broker::Refuse(const std::string& routing_id, const std::string& agency,
                    const std::string& message_id, const Status& why, bool remember,
                    const std::string& envelope_hash, int64_t keep_until_ms) {
  auto code = static_cast<sghub::v1::ReasonCode>(
      why.reason_code() != 0 ? why.reason_code() : sghub::v1::REASON_CODE_INVALID_FIELD);
  std::string code_name(policy::ReasonCodeName(code));
  ++counters_.refused;
  ++counters_.refused_by_reason[code_name];
  Logger(Component::kBroker)
      .warn("[agency={} msg={}] refused {} field={}: {}", agency, Short(message_id), code_name,
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
  pool_.Start(submits.size(),
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
                          std::string_view payload, const PreparedSubmit* prepared) {
  std::optional<PreparedSubmit> here;
  if (prepared == nullptr) {
    here = PrepareSubmit(payload, agency, *registry_snapshot_, config_.limits);
    prepared = &*here;
  }
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
           Status::AlreadyExists("message id " + Short(message_id) +
                                 " was already used for a different alert; every alert "
                                 "needs a fresh id")
               .WithReason(sghub::v1::REASON_CODE_DUPLICATE_CONFLICT, "header.message_id"),
           false, "", 0);
    return true;
  }
  ++counters_.replays;
  Logger(Component::kBroker)
      .info("[agency={} msg={}] replay answered with the original answer", submission.agency,
            Short(message_id));
  replies_.push_back({submission.routing_id, answer.answer, true});  // the original, byte for byte
  return true;
}

void Broker::RefuseByPolicy(const Submission& submission,
                            const std::vector<policy::Decision>& decisions) {
  // Nothing would be delivered: refuse the whole alert, naming every recipient's reason.
  const sghub::v1::Header& h = submission.header;
  const std::string subject_refs = SubjectRefs(h);
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
  const std::string subject_refs = SubjectRefs(h);
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
      .debug("[agency={} msg={}] accepted for {} recipients", agency, Short(message_id),
             decisions.size());
  replies_.push_back({submission.routing_id, std::move(*answer), true});
}

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

void Broker::Audit(store::AuditEntry entry) {
  EnsureBatch();
  if (!fatal_.ok()) {
    return;
  }
  entry.at_ms = now_ms_;
  Status s = store_.AppendAudit(entry);
  if (!s.ok()) {
    Fatal(s);
  }
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

bool Broker::SendTo(const std::string& routing_id, const std::string& frame) {
  try {
    auto first = listener_.send(zmq::buffer(routing_id),
                                zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    if (!first) {
      return false;  // the peer's queue is full: it gets the rest later
    }
    auto second = listener_.send(zmq::buffer(frame), zmq::send_flags::dontwait);
    return second.has_value();
  } catch (const zmq::error_t& e) {
    // EHOSTUNREACH: the connection is gone (ROUTER_MANDATORY). The agency is offline until
    // it connects again.
    return false;
  }
}

std::vector<Broker::PeerView> Broker::Peers() const {
  std::vector<PeerView> out;
  for (const auto& [agency, peer] : peers_) {
    out.push_back({agency, peer.online, peer.last_seen_ms, peer.in_flight.size()});
  }
  return out;
}

}  // namespace hub::core
