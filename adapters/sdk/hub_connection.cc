#include "adapters/sdk/hub_connection.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "hub/base/bytes.h"
#include "hub/base/logging.h"
#include "hub/wire/curve.h"
#include "hub/wire/frame.h"

namespace hub::sdk {
namespace {

int64_t MonoMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// HELLO again if WELCOME has not come after this long (the first HELLO may have been lost
// in a connection that dropped right after the handshake).
constexpr int64_t kHelloRetryMs = 2000;

spdlog::logger& Log() { return AdapterLogger("connection"); }

}  // namespace

HubConnection::HubConnection(Options options, const wire::AgencyKeys& keys, Callbacks callbacks)
    : options_(std::move(options)), keys_(keys), callbacks_(std::move(callbacks)) {}

HubConnection::~HubConnection() { Stop(); }

Status HubConnection::Start() {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    return Status::IOError(std::string("eventfd: ") + std::strerror(errno));
  }
  std::promise<Status> started;
  std::future<Status> result = started.get_future();
  thread_ = std::thread([this, &started] { Run(&started); });
  Status s = result.get();
  if (!s.ok()) {
    thread_.join();
  }
  return s;
}

void HubConnection::Stop() {
  if (thread_.joinable()) {
    stop_.store(true);
    Wake();
    thread_.join();
  }
  if (wake_fd_ >= 0) {
    close(wake_fd_);
    wake_fd_ = -1;
  }
}

void HubConnection::Send(std::string frame) {
  {
    std::lock_guard lock(mu_);
    to_send_.push_back(std::move(frame));
  }
  Wake();
}

void HubConnection::OutboxChanged() {
  outbox_hint_.store(true);
  Wake();
}

void HubConnection::Wake() {
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    ssize_t n = write(wake_fd_, &one, sizeof(one));
    (void)n;  // EAGAIN means a wake-up is already pending
  }
}

Status HubConnection::Setup() {
  try {
    context_ = std::make_unique<zmq::context_t>(1);
    dealer_ = std::make_unique<zmq::socket_t>(*context_, zmq::socket_type::dealer);
    HUB_RETURN_IF_ERROR(wire::ConfigureCurveClient(*dealer_, keys_.card(), keys_.transport_secret(),
                                                   options_.hub_transport));
    dealer_->set(zmq::sockopt::linger, 0);
    dealer_->set(zmq::sockopt::immediate, 1);
    dealer_->set(zmq::sockopt::reconnect_ivl, static_cast<int>(options_.reconnect_min_ms));
    dealer_->set(zmq::sockopt::reconnect_ivl_max, static_cast<int>(options_.reconnect_max_ms));
    dealer_->set(zmq::sockopt::heartbeat_ivl, static_cast<int>(options_.heartbeat_ms));
    dealer_->set(zmq::sockopt::heartbeat_timeout, static_cast<int>(3 * options_.heartbeat_ms));
    dealer_->set(zmq::sockopt::sndhwm, 10000);
    dealer_->set(zmq::sockopt::rcvhwm, 10000);
    const std::string monitor_endpoint =
        "inproc://sghub-sdk-monitor-" + std::to_string(reinterpret_cast<uintptr_t>(this));
    if (zmq_socket_monitor(dealer_->handle(), monitor_endpoint.c_str(),
                           ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED |
                               ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                               ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0) {
      return Status::IOError(std::string("socket monitor: ") + zmq_strerror(zmq_errno()));
    }
    monitor_ = std::make_unique<zmq::socket_t>(*context_, zmq::socket_type::pair);
    monitor_->set(zmq::sockopt::linger, 0);
    monitor_->connect(monitor_endpoint);
    dealer_->connect(options_.endpoint);
  } catch (const zmq::error_t& e) {
    return Status::IOError("cannot set up the hub connection to " + options_.endpoint + ": " +
                           e.what());
  }
  return Status::Ok();
}

void HubConnection::Run(std::promise<Status>* started) {
  Status setup = Setup();
  started->set_value(setup);
  if (!setup.ok()) {
    return;
  }
  Log().info("connecting to the hub at {}", options_.endpoint);
  while (!stop_.load()) {
    zmq::pollitem_t items[] = {{dealer_->handle(), 0, ZMQ_POLLIN, 0},
                               {monitor_->handle(), 0, ZMQ_POLLIN, 0},
                               {nullptr, wake_fd_, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, 3, std::chrono::milliseconds(100));
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) {
        Log().error("poll failed: {}", e.what());
      }
      continue;
    }
    if ((items[2].revents & ZMQ_POLLIN) != 0) {
      uint64_t count = 0;
      ssize_t n = read(wake_fd_, &count, sizeof(count));
      (void)n;
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      HandleMonitorEvent();
    }
    for (int i = 0; i < 256; ++i) {
      zmq::message_t msg;
      zmq::recv_result_t got;
      try {
        got = dealer_->recv(msg, zmq::recv_flags::dontwait);
      } catch (const zmq::error_t& e) {
        Log().error("receive failed: {}", e.what());
        break;
      }
      if (!got) {
        break;
      }
      HandleFrame(msg);
    }
    std::deque<std::string> pending;
    {
      std::lock_guard lock(mu_);
      pending.swap(to_send_);
    }
    for (const std::string& frame : pending) {
      if (online_.load()) {
        SendNow(frame);
      }
    }
    if (handshaken_ && !online_.load() && MonoMs() - hello_sent_mono_ms_ > kHelloRetryMs) {
      SendHello();
    }
    if (online_.load()) {
      CheckAnswerTimeouts();
      PumpOutbox();
    }
  }
  try {
    zmq_socket_monitor(dealer_->handle(), nullptr, 0);
    monitor_->close();
    dealer_->close();
    context_->shutdown();
    context_->close();
  } catch (const zmq::error_t& e) {
    Log().warn("closing the hub connection: {}", e.what());
  }
  if (online_.load()) {
    SetOnline(false);
  }
}

void HubConnection::HandleMonitorEvent() {
  while (true) {
    zmq::message_t event_msg;
    zmq::message_t address_msg;
    try {
      if (!monitor_->recv(event_msg, zmq::recv_flags::dontwait)) {
        return;
      }
      if (event_msg.more()) {
        (void)monitor_->recv(address_msg);
      }
    } catch (const zmq::error_t&) {
      return;
    }
    if (event_msg.size() < 6) {
      continue;
    }
    uint16_t event = 0;
    std::memcpy(&event, event_msg.data(), sizeof(event));
    switch (event) {
      case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
        handshaken_ = true;
        SendHello();
        break;
      case ZMQ_EVENT_DISCONNECTED:
        if (handshaken_ || online_.load()) {
          Log().warn("disconnected from the hub; reconnecting");
        }
        handshaken_ = false;
        SetOnline(false);
        break;
      case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
        Log().error(
            "the hub refused this agency's key (CURVE authentication failed); "
            "is the agency registered and not revoked? retrying");
        break;
      default:
        Log().warn(
            "CURVE handshake with the hub failed (event {}); is hub.card the hub's "
            "card? retrying",
            event);
        break;
    }
  }
}

void HubConnection::SendHello() {
  sghub::v1::Hello hello;
  hello.set_agency(keys_.card().id);
  hello.set_software(options_.software);
  hello.set_max_in_flight(options_.max_in_flight);
  auto frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_HELLO, hello);
  hello_sent_mono_ms_ = MonoMs();
  if (frame.ok()) {
    SendNow(*frame);
  }
}

void HubConnection::SetOnline(bool online) {
  if (online_.exchange(online) == online) {
    return;
  }
  if (online) {
    // A new connection: the hub answers everything unanswered again, in order.
    send_cursor_ = 0;
    awaiting_.clear();
    outbox_hint_.store(true);
  }
  if (callbacks_.on_state) {
    callbacks_.on_state(online);
  }
}

bool HubConnection::SendNow(const std::string& frame) {
  try {
    return dealer_->send(zmq::buffer(frame), zmq::send_flags::dontwait).has_value();
  } catch (const zmq::error_t& e) {
    Log().warn("send failed: {}", e.what());
    return false;
  }
}

void HubConnection::HandleFrame(const zmq::message_t& msg) {
  auto frame = wire::DecodeFrame(AsBytes(msg.to_string_view()), wire::Limits{});
  if (!frame.ok()) {
    Log().warn("unreadable frame from the hub dropped: {}", frame.status().message());
    return;
  }
  switch (frame->type) {
    case sghub::v1::FRAME_TYPE_WELCOME: {
      auto welcome = wire::ParseFramePayload<sghub::v1::Welcome>(frame->payload, wire::Limits{});
      if (welcome.ok()) {
        Log().info("connected to hub '{}'", welcome->hub_id());
      }
      SetOnline(true);
      return;
    }
    case sghub::v1::FRAME_TYPE_PING: {
      auto ping = wire::ParseFramePayload<sghub::v1::Ping>(frame->payload, wire::Limits{});
      sghub::v1::Pong pong;
      if (ping.ok()) {
        pong.set_sent_at_ms(ping->sent_at_ms());
      }
      auto encoded = wire::EncodeFrame(sghub::v1::FRAME_TYPE_PONG, pong);
      if (encoded.ok()) {
        SendNow(*encoded);
      }
      return;
    }
    case sghub::v1::FRAME_TYPE_PONG:
      return;
    case sghub::v1::FRAME_TYPE_ACCEPTED:
    case sghub::v1::FRAME_TYPE_REFUSED: {
      std::string message_id;
      if (frame->type == sghub::v1::FRAME_TYPE_ACCEPTED) {
        auto accepted =
            wire::ParseFramePayload<sghub::v1::Accepted>(frame->payload, wire::Limits{});
        if (!accepted.ok()) {
          Log().warn("unreadable ACCEPTED dropped: {}", accepted.status().message());
          return;
        }
        message_id = accepted->message_id();
      } else {
        auto refused = wire::ParseFramePayload<sghub::v1::Refused>(frame->payload, wire::Limits{});
        if (!refused.ok()) {
          Log().warn("unreadable REFUSED dropped: {}", refused.status().message());
          return;
        }
        if (refused->reason_code() == sghub::v1::REASON_CODE_HUB_UNAVAILABLE) {
          // Not an answer: the hub asks us to try later. The alert stays awaiting, so the
          // answer timeout sends it again.
          Log().warn("[msg={}] the hub is busy or stopping; will send again",
                     HexEncode(AsBytes(refused->message_id())));
          return;
        }
        message_id = refused->message_id();
      }
      awaiting_.erase(message_id);
      outbox_hint_.store(true);
      break;
    }
    default:
      break;
  }
  if (callbacks_.on_frame) {
    callbacks_.on_frame(frame->type, std::string(frame->payload));
  }
}

void HubConnection::CheckAnswerTimeouts() {
  const int64_t now = MonoMs();
  for (const auto& [id, item] : awaiting_) {
    if (now - item.sent_mono_ms > options_.answer_timeout_ms) {
      Log().warn("no answer from the hub for {} ms; sending unanswered alerts again",
                 options_.answer_timeout_ms);
      send_cursor_ = 0;
      awaiting_.clear();
      outbox_hint_.store(true);
      return;
    }
  }
}

void HubConnection::PumpOutbox() {
  if (!callbacks_.load_outbox) {
    return;
  }
  while (outbox_hint_.load() && awaiting_.size() < static_cast<size_t>(kSubmitWindow)) {
    outbox_hint_.store(false);
    const int want = kSubmitWindow - static_cast<int>(awaiting_.size());
    auto rows = callbacks_.load_outbox(send_cursor_, want);
    if (!rows.ok()) {
      Log().error("cannot read the outbox: {}", rows.status().ToString());
      outbox_hint_.store(true);  // try again next turn
      return;
    }
    for (const OutboxRow& row : *rows) {
      sghub::v1::Submit submit;
      submit.set_envelope(row.envelope);
      auto frame = wire::EncodeFrame(sghub::v1::FRAME_TYPE_SUBMIT, submit);
      if (!frame.ok()) {
        Log().error("cannot encode a submission: {}", frame.status().ToString());
        continue;
      }
      if (!SendNow(*frame)) {
        outbox_hint_.store(true);  // the send queue is full or the connection dropped
        return;
      }
      send_cursor_ = row.seq;
      awaiting_[row.message_id] = Awaiting{row.seq, MonoMs()};
      Log().debug("[msg={}] submitted", HexEncode(AsBytes(row.message_id)));
    }
    if (static_cast<int>(rows->size()) == want) {
      outbox_hint_.store(true);
    }
  }
}

}  // namespace hub::sdk
