#include "adapters/sdk/adapter_base.h"

#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>

#include <chrono>

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/wire/envelope.h"
#include "hub/wire/frame.h"
#include "hub/wire/key_files.h"
#include "hub/wire/notice.h"

namespace hub::sdk {
namespace {

// Seen ids are kept this long past the alert's expiry (the hub keeps message ids at least
// as long as the longest expiry, so a redelivery can never come later than that).
constexpr int64_t kSeenMarginMs = 7LL * 24 * 3600 * 1000;
// Notices carry no expiry; the hub keeps undelivered notices for 30 days.
constexpr int64_t kNoticeSeenMs = 60LL * 24 * 3600 * 1000;
constexpr int64_t kPurgeEveryMs = 3600LL * 1000;

spdlog::logger& Log() { return AdapterLogger("sdk"); }

std::string Hex(const std::string& id) { return HexEncode(AsBytes(id)); }

bool IsTransient(const Status& s) { return s.IsUnavailable() || s.IsIOError(); }

// The message id of an envelope that failed to parse, when it parses far enough, so the
// hub can match the nack to the delivery.
std::string BestEffortMessageId(const std::string& envelope_bytes) {
  sghub::v1::Envelope envelope;
  sghub::v1::Header header;
  if (!envelope.ParseFromString(envelope_bytes) || !header.ParseFromString(envelope.header())) {
    return {};
  }
  return header.message_id();
}

Result<SubmitAnswer> AnswerFromRow(const OutboxRow& row) {
  SubmitAnswer answer;
  answer.message_id = row.message_id;
  answer.accepted = row.answer_type == sghub::v1::FRAME_TYPE_ACCEPTED;
  bool parsed = answer.accepted ? answer.accepted_msg.ParseFromString(row.answer)
                                : answer.refused_msg.ParseFromString(row.answer);
  if (!parsed) {
    return Status::Corruption("stored answer for " + Hex(row.message_id) + " does not parse");
  }
  return answer;
}

}  // namespace

AdapterBase::AdapterBase(ClockPtr clock) : clock_(std::move(clock)) {}

AdapterBase::~AdapterBase() {
  // Subclasses must call Stop() in their own destructor (their handlers are gone by the
  // time this runs); this is the last line of defence for the threads.
  if (connection_) {
    connection_->Stop();
  }
  {
    std::lock_guard lock(inbound_mu_);
    stopping_ = true;
  }
  inbound_cv_.notify_all();
  if (delivery_thread_.joinable()) {
    delivery_thread_.join();
  }
}

Status AdapterBase::Open(const AdapterConfig& config, std::string software) {
  config_ = config;
  software_ = std::move(software);
  HUB_ASSIGN_OR_RETURN(wire::AgencyKeys keys, wire::LoadSecretKeyFile(config_.key_file));
  if (keys.card().id != config_.agency_id) {
    return Status::InvalidArgument(config_.key_file.string() + ": the key file belongs to '" +
                                   keys.card().id + "', but [agency] id is '" + config_.agency_id +
                                   "'");
  }
  if (keys.card().kind != config_.kind) {
    return Status::InvalidArgument(config_.key_file.string() +
                                   ": the key file's agency kind differs from [agency] kind");
  }
  keys_ = std::make_unique<wire::AgencyKeys>(std::move(keys));
  HUB_ASSIGN_OR_RETURN(wire::SubjectKey subject_key,
                       wire::SubjectKey::LoadFile(config_.subject_key_file));
  subject_key_ = std::make_unique<wire::SubjectKey>(std::move(subject_key));
  HUB_ASSIGN_OR_RETURN(hub_card_, wire::LoadCardFile(config_.hub_card));
  HUB_ASSIGN_OR_RETURN(peers_,
                       PeerDirectory::Load(config_.cards_dir, config_.card_files, agency_id()));
  std::error_code ec;
  std::filesystem::create_directories(config_.state_dir, ec);
  if (ec) {
    return Status::IOError(config_.state_dir.string() +
                           ": cannot create the state directory: " + ec.message());
  }
  // The state holds sealed alerts and who sent what: keep it private to the adapter's user.
  chmod(config_.state_dir.c_str(), 0700);
  HUB_ASSIGN_OR_RETURN(db_, StateDb::Open(config_.state_dir / "adapter-state.db"));
  sealer_ = std::make_unique<AlertSealer>(config_, *keys_, *subject_key_, peers_, *clock_);

  // Rows answered before a restart whose submitter was a blocking caller are done: that
  // caller is gone. Rows with a source belong to a transport, which completes them.
  HUB_ASSIGN_OR_RETURN(auto answered, db_->LoadAnswered());
  for (const OutboxRow& row : answered) {
    if (row.source.empty()) {
      HUB_RETURN_IF_ERROR(db_->Complete(row.message_id));
    }
  }
  HUB_ASSIGN_OR_RETURN(int64_t depth, db_->UnansweredCount());
  Log().info("[agency={}] opened: {} peer cards, {} alerts waiting in the outbox", agency_id(),
             peers_.size(), depth);
  return Status::Ok();
}

Status AdapterBase::Start() {
  if (db_ == nullptr) {
    return Status::Internal("AdapterBase::Start() before Open()");
  }
  delivery_thread_ = std::thread([this] { DeliveryLoop(); });
  HubConnection::Options options;
  options.endpoint = config_.hub_endpoint;
  options.hub_transport = hub_card_.transport;
  options.software = software_;
  options.max_in_flight = config_.max_in_flight;
  options.reconnect_min_ms = config_.reconnect_min_ms;
  options.reconnect_max_ms = config_.reconnect_max_ms;
  options.heartbeat_ms = config_.heartbeat_ms;
  options.answer_timeout_ms = config_.answer_timeout_ms;
  HubConnection::Callbacks callbacks;
  callbacks.on_state = [this](bool online) {
    Log().info("[agency={}] hub connection {}", agency_id(), online ? "online" : "offline");
  };
  callbacks.on_frame = [this](sghub::v1::FrameType type, std::string payload) {
    OnFrame(type, std::move(payload));
  };
  callbacks.load_outbox = [this](int64_t after, int limit) {
    return db_->LoadUnanswered(after, limit);
  };
  connection_ = std::make_unique<HubConnection>(std::move(options), *keys_, std::move(callbacks));
  HUB_RETURN_IF_ERROR(connection_->Start());
  started_ = true;
  return OnStart();
}

void AdapterBase::Stop() {
  if (started_) {
    started_ = false;
    OnStop();
  }
  if (connection_) {
    connection_->Stop();
  }
  {
    std::lock_guard lock(inbound_mu_);
    stopping_ = true;
  }
  inbound_cv_.notify_all();
  if (delivery_thread_.joinable()) {
    delivery_thread_.join();
  }
}

Health AdapterBase::health() const {
  Health h;
  h.connected = connection_ != nullptr && connection_->online();
  if (db_ != nullptr) {
    auto depth = db_->UnansweredCount();
    h.outbox_depth = depth.ok() ? *depth : -1;
  }
  return h;
}

// ----------------------------------------------------------------------------------------
// Submitting

Result<SealedAlert> AdapterBase::SealAlert(const codecs::InboundAlert& alert) {
  std::vector<std::string> reply_to;
  if (alert.recipients.empty() && !alert.in_reply_to_hex.empty() &&
      (alert.kind == sghub::v1::ALERT_KIND_OUTCOME || alert.kind == sghub::v1::ALERT_KIND_UPDATE)) {
    // An outcome goes back to whoever raised the concern, when this adapter received it.
    std::string raw(16, '\0');
    size_t len = 0;
    const std::string& hex = alert.in_reply_to_hex;
    bool decoded = hex.size() == 32 &&
                   sodium_hex2bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(),
                                  hex.data(), hex.size(), nullptr, &len, nullptr) == 0 &&
                   len == 16;
    if (decoded) {
      auto sender = db_->SenderOfSeenAlert(raw);
      if (sender.ok() && sender->has_value()) {
        reply_to.push_back(**sender);
      }
    }
  }
  return sealer_->Seal(alert, reply_to);
}

Result<int64_t> AdapterBase::StoreSealed(const SealedAlert& sealed, const std::string& source) {
  OutboxRow row;
  row.message_id = sealed.message_id;
  row.source = source;
  row.envelope = sealed.envelope;
  row.created_ms = sealed.created_ms;
  row.expires_ms = sealed.expires_ms;
  HUB_ASSIGN_OR_RETURN(int64_t seq, db_->InsertOutbox(row));
  Log().info("[agency={} msg={}] alert stored in the outbox for {}", agency_id(),
             Hex(sealed.message_id), fmt::join(sealed.header.recipients(), ", "));
  if (connection_) {
    connection_->OutboxChanged();
  }
  return seq;
}

Result<SubmitOutcome> AdapterBase::Submit(const codecs::InboundAlert& alert) {
  return Submit(alert, config_.submit_timeout_ms);
}

Result<SubmitOutcome> AdapterBase::Submit(const codecs::InboundAlert& alert, int64_t timeout_ms) {
  HUB_ASSIGN_OR_RETURN(SealedAlert sealed, SealAlert(alert));
  SubmitOutcome outcome;
  outcome.message_id = sealed.message_id;
  Waiter waiter;
  {
    // Registered before the row exists, so the answer cannot slip past unseen.
    std::lock_guard lock(waiters_mu_);
    waiters_[sealed.message_id] = &waiter;
  }
  Result<int64_t> stored = StoreSealed(sealed, "");
  std::unique_lock lock(waiters_mu_);
  if (stored.ok()) {
    waiters_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return waiter.done; });
  }
  waiters_.erase(sealed.message_id);
  lock.unlock();
  if (!stored.ok()) {
    return stored.status();
  }
  if (waiter.done) {
    outcome.answer = std::move(waiter.answer);
    HUB_RETURN_IF_ERROR(db_->Complete(sealed.message_id));
  } else {
    Log().warn(
        "[agency={} msg={}] no answer from the hub within {} ms; the alert stays in the "
        "outbox and is sent when the hub is reachable",
        agency_id(), Hex(sealed.message_id), timeout_ms);
  }
  return outcome;
}

Result<std::string> AdapterBase::Enqueue(const codecs::InboundAlert& alert,
                                         const std::string& source) {
  if (source.empty()) {
    return Status::InvalidArgument("Enqueue needs a non-empty source key");
  }
  HUB_ASSIGN_OR_RETURN(SealedAlert sealed, SealAlert(alert));
  HUB_ASSIGN_OR_RETURN(int64_t seq, StoreSealed(sealed, source));
  (void)seq;
  return sealed.message_id;
}

Result<std::optional<OutboxRow>> AdapterBase::FindBySource(const std::string& source) {
  return db_->FindBySource(source);
}

Result<std::optional<SubmitAnswer>> AdapterBase::AnswerFor(const std::string& message_id) {
  HUB_ASSIGN_OR_RETURN(auto row, db_->FindByMessageId(message_id));
  if (!row.has_value()) {
    return Status::NotFound("no outbox row for " + Hex(message_id));
  }
  if (row->answer_type == 0) {
    return std::optional<SubmitAnswer>();
  }
  HUB_ASSIGN_OR_RETURN(SubmitAnswer answer, AnswerFromRow(*row));
  return std::optional<SubmitAnswer>(std::move(answer));
}

Result<std::vector<OutboxRow>> AdapterBase::AnsweredRows() { return db_->LoadAnswered(); }

Status AdapterBase::Complete(const std::string& message_id) { return db_->Complete(message_id); }

// ----------------------------------------------------------------------------------------
// Frames from the hub (I/O thread)

void AdapterBase::OnFrame(sghub::v1::FrameType type, std::string payload) {
  switch (type) {
    case sghub::v1::FRAME_TYPE_ACCEPTED:
    case sghub::v1::FRAME_TYPE_REFUSED:
      OnAnswer(type, payload);
      return;
    case sghub::v1::FRAME_TYPE_DELIVER:
    case sghub::v1::FRAME_TYPE_NOTICE: {
      {
        std::lock_guard lock(inbound_mu_);
        inbound_.push_back({type, std::move(payload)});
      }
      inbound_cv_.notify_one();
      return;
    }
    case sghub::v1::FRAME_TYPE_ERROR: {
      sghub::v1::Error error;
      error.ParseFromString(payload);
      Log().error("[agency={}] the hub reports a protocol error: {}", agency_id(), error.reason());
      return;
    }
    default:
      return;
  }
}

void AdapterBase::OnAnswer(sghub::v1::FrameType type, const std::string& payload) {
  SubmitAnswer answer;
  answer.accepted = type == sghub::v1::FRAME_TYPE_ACCEPTED;
  if (answer.accepted) {
    answer.accepted_msg.ParseFromString(payload);
    answer.message_id = answer.accepted_msg.message_id();
  } else {
    answer.refused_msg.ParseFromString(payload);
    answer.message_id = answer.refused_msg.message_id();
  }
  if (answer.message_id.empty()) {
    Log().warn("[agency={}] the hub refused a submission it could not read: {}", agency_id(),
               answer.Summary());
    return;
  }
  auto recorded = db_->RecordAnswer(answer.message_id, type, payload);
  if (!recorded.ok()) {
    // The row stays unanswered and is sent again; the hub will answer the same.
    Log().error("[agency={} msg={}] cannot record the hub's answer: {}", agency_id(),
                Hex(answer.message_id), recorded.status().ToString());
    return;
  }
  if (!*recorded) {
    return;  // a repeated answer, or for an alert already completed
  }
  Log().info("[agency={} msg={}] {}", agency_id(), Hex(answer.message_id), answer.Summary());
  std::unique_lock lock(waiters_mu_);
  auto it = waiters_.find(answer.message_id);
  if (it != waiters_.end()) {
    it->second->done = true;
    it->second->answer = std::move(answer);
    lock.unlock();
    waiters_cv_.notify_all();
    return;
  }
  lock.unlock();
  auto row = db_->FindByMessageId(answer.message_id);
  if (row.ok() && row->has_value() && (*row)->source.empty()) {
    // A blocking submitter that gave up waiting: nobody else will take this answer.
    Status s = db_->Complete(answer.message_id);
    if (!s.ok()) {
      Log().error("[msg={}] cannot complete: {}", Hex(answer.message_id), s.ToString());
    }
  }
}

// ----------------------------------------------------------------------------------------
// Deliveries (delivery thread)

void AdapterBase::DeliveryLoop() {
  int64_t next_purge = 0;
  while (true) {
    Inbound item;
    {
      std::unique_lock lock(inbound_mu_);
      inbound_cv_.wait_for(lock, std::chrono::seconds(1),
                           [&] { return stopping_ || !inbound_.empty(); });
      if (stopping_) {
        return;
      }
      if (inbound_.empty()) {
        continue;
      }
      item = std::move(inbound_.front());
      inbound_.pop_front();
    }
    if (item.type == sghub::v1::FRAME_TYPE_DELIVER) {
      auto deliver = wire::ParseFramePayload<sghub::v1::Deliver>(item.payload, wire::Limits{});
      if (!deliver.ok()) {
        Log().warn("[agency={}] unreadable DELIVER dropped: {}", agency_id(),
                   deliver.status().message());
        continue;
      }
      SendVerdict(false, deliver->delivery_id(), Deliver(*deliver));
    } else {
      auto notice = wire::ParseFramePayload<sghub::v1::Notice>(item.payload, wire::Limits{});
      if (!notice.ok()) {
        Log().warn("[agency={}] unreadable NOTICE dropped: {}", agency_id(),
                   notice.status().message());
        continue;
      }
      SendVerdict(true, notice->delivery_id(), DeliverNotice(*notice));
    }
    const int64_t now = clock_->NowMs();
    if (now >= next_purge) {
      next_purge = now + kPurgeEveryMs;
      Status purged = db_->PurgeSeen(now);
      if (!purged.ok()) {
        Log().warn("cannot purge old seen ids: {}", purged.ToString());
      }
    }
  }
}

void AdapterBase::SendVerdict(bool notice, uint64_t delivery_id, const DeliveryResult& result) {
  const char* what = notice ? "notice" : "alert";
  Result<std::string> frame = Status::Internal("unset");
  if (result.action == DeliveryAction::kAcked || result.action == DeliveryAction::kAckedDuplicate) {
    sghub::v1::Ack ack;
    ack.set_delivery_id(delivery_id);
    ack.set_message_id(result.id);
    frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_ACK, ack);
    Log().info("[agency={} {}={}] {}", agency_id(), what, Hex(result.id),
               result.action == DeliveryAction::kAcked ? "delivered and acknowledged"
                                                       : "repeat acknowledged (already handled)");
  } else {
    sghub::v1::Nack nack;
    nack.set_delivery_id(delivery_id);
    nack.set_message_id(result.id);
    nack.set_permanent(result.action == DeliveryAction::kNackPermanent);
    nack.set_reason_code(result.why.reason_code() != 0
                             ? static_cast<sghub::v1::ReasonCode>(result.why.reason_code())
                             : sghub::v1::REASON_CODE_RECIPIENT_REJECTED);
    nack.set_reason(result.why.message());
    frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_NACK, nack);
    Log().warn("[agency={} {}={}] {} nack: {}", agency_id(), what, Hex(result.id),
               nack.permanent() ? "permanent" : "transient", result.why.message());
  }
  if (frame.ok() && connection_) {
    connection_->Send(std::move(*frame));
  }
}

DeliveryResult AdapterBase::Deliver(const sghub::v1::Deliver& deliver) {
  std::lock_guard serial(deliver_mu_);
  DeliveryResult result;
  auto permanent = [&](Status why) {
    result.action = DeliveryAction::kNackPermanent;
    result.why = std::move(why);
    return result;
  };
  auto transient = [&](Status why) {
    result.action = DeliveryAction::kNackTransient;
    result.why = std::move(why);
    return result;
  };
  auto parsed = wire::ParseEnvelope(AsBytes(deliver.envelope()), wire::Limits{});
  if (!parsed.ok()) {
    result.id = BestEffortMessageId(deliver.envelope());
    return permanent(parsed.status().WithContext("the envelope is malformed"));
  }
  const sghub::v1::Header& h = parsed->header;
  result.id = h.message_id();
  bool for_us = false;
  for (const std::string& r : h.recipients()) {
    for_us = for_us || r == agency_id();
  }
  if (!for_us) {
    return permanent(
        Status::PermissionDenied("this agency is not a recipient of the alert")
            .WithReason(sghub::v1::REASON_CODE_UNKNOWN_RECIPIENT, "header.recipients"));
  }
  const wire::AgencyCard* sender = peers_.Find(h.sender());
  if (sender == nullptr) {
    // Our configuration lacks the card; once an operator adds it, a redelivery succeeds.
    return transient(Status::Unavailable("no card for the sender '" + h.sender() +
                                         "' in this adapter's peers directory"));
  }
  Status verified = wire::VerifyEnvelopeSignature(*parsed, sender->signing);
  if (!verified.ok()) {
    return permanent(verified);
  }
  auto seen = db_->IsSeen(h.message_id(), SeenKind::kAlert);
  if (!seen.ok()) {
    return transient(seen.status());
  }
  if (*seen) {
    result.action = DeliveryAction::kAckedDuplicate;
    return result;
  }
  auto body =
      wire::OpenEnvelope(*parsed, agency_id(), keys_->sealing_secret(), keys_->card().sealing);
  if (!body.ok()) {
    return permanent(body.status());
  }
  Delivered delivered;
  delivered.header = h;
  delivered.body = std::move(*body);
  delivered.attempt = deliver.attempt();
  Status handled = HandleAlert(delivered);
  if (!handled.ok()) {
    return IsTransient(handled) ? transient(handled) : permanent(handled);
  }
  const int64_t now = clock_->NowMs();
  Status marked = db_->MarkSeen(h.message_id(), SeenKind::kAlert, h.sender(), now,
                                std::max(h.expires_at_ms(), now) + kSeenMarginMs);
  if (!marked.ok()) {
    // Handed over but not recorded: the hub redelivers and the handler runs again, which
    // transports make idempotent (same file name, same message id).
    return transient(marked);
  }
  result.action = DeliveryAction::kAcked;
  return result;
}

DeliveryResult AdapterBase::DeliverNotice(const sghub::v1::Notice& notice) {
  std::lock_guard serial(deliver_mu_);
  DeliveryResult result;
  {
    sghub::v1::NoticeBody unverified;
    if (unverified.ParseFromString(notice.body())) {
      result.id = unverified.notice_id();
    }
  }
  auto body = wire::VerifyNotice(notice, hub_card_.signing, wire::Limits{});
  if (!body.ok()) {
    result.action = DeliveryAction::kNackPermanent;
    result.why = body.status();
    return result;
  }
  result.id = body->notice_id();
  if (body->to() != agency_id()) {
    result.action = DeliveryAction::kNackPermanent;
    result.why = Status::PermissionDenied("the notice is addressed to '" + body->to() + "'");
    return result;
  }
  auto seen = db_->IsSeen(body->notice_id(), SeenKind::kNotice);
  if (!seen.ok()) {
    result.why = seen.status();
    return result;
  }
  if (*seen) {
    result.action = DeliveryAction::kAckedDuplicate;
    return result;
  }
  Status handled = HandleNotice(*body);
  if (!handled.ok()) {
    result.action =
        IsTransient(handled) ? DeliveryAction::kNackTransient : DeliveryAction::kNackPermanent;
    result.why = handled;
    return result;
  }
  const int64_t now = clock_->NowMs();
  Status marked =
      db_->MarkSeen(body->notice_id(), SeenKind::kNotice, "hub", now, now + kNoticeSeenMs);
  if (!marked.ok()) {
    result.why = marked;
    return result;
  }
  result.action = DeliveryAction::kAcked;
  return result;
}

}  // namespace hub::sdk
