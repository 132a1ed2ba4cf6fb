#include "hub/core/broker.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <zmq_addon.hpp>

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/core/accept_path.h"
#include "hub/policy/names.h"
#include "hub/wire/frame.h"

namespace hub::core {
namespace {

using sghub::v1::FrameType;

// The wall clock and the steady timeline may differ this much before it counts as a step
// (NTP slews far slower; a step of more is smeared, see Broker::now_ms_).
constexpr int64_t kClockStepMs = 2000;
// After a batch failed for want of space, deliveries pause this long (acks could not commit).
constexpr int64_t kStoreFullPauseMs = 1000;

// hub_store reports SQLITE_FULL as ResourceExhausted. A full store is recoverable (the batch
// rolls back, nothing was answered); any other I/O error, above all a failed fsync, is not.
bool IsStoreFull(const Status& s) { return s.IsResourceExhausted(); }

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
    if (fatal_.ok()) {
      // The store's own thread failed (a WAL checkpoint's I/O error): stop, even when idle.
      Status background = store_.BackgroundStatus();
      if (!background.ok()) {
        Fatal(background);
      }
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
      HandleSubmit(routing_id, agency, prepared);
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
