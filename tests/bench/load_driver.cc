#include "tests/bench/load_driver.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "hub/wire/frame.h"
#include "hub/wire/limits.h"
#include "sghub/v1/envelope.pb.h"
#include "sghub/v1/frames.pb.h"

namespace hub::bench {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LoadDriver::LoadDriver(const testutil::TestWorld& world, const AlertSource& source,
                       std::vector<std::string> recipients, size_t total_alerts)
    : world_(world), source_(source), recipients_(std::move(recipients)), times_(total_alerts) {}

Status LoadDriver::Connect(const std::string& agency, int recipient) {
  HUB_ASSIGN_OR_RETURN(auto client,
                       testutil::HubClient::Connect(context_, world_.endpoint(),
                                                    world_.agency(agency),
                                                    world_.hub().card().transport, 10000));
  Conn conn;
  conn.client = std::move(client);
  conn.recipient = recipient;
  conns_.push_back(std::move(conn));
  return Status::Ok();
}

Status LoadDriver::ConnectSenders() {
  for (size_t s = 0; s < source_.sender_count(); ++s) {
    HUB_RETURN_IF_ERROR(Connect(source_.SenderOf(s), -1));
  }
  return Status::Ok();
}

Status LoadDriver::ConnectRecipient(size_t r) {
  return Connect(recipients_.at(r), static_cast<int>(r));
}

void LoadDriver::DisconnectAll() { conns_.clear(); }

Status LoadDriver::Drain(Conn& conn, const RunSpec& spec, RunOutcome& outcome, int64_t now_ns,
                         uint64_t& complete, int64_t& last_event_ns) {
  zmq::socket_t& socket = conn.client->socket();
  while (true) {
    zmq::message_t msg;
    try {
      if (!socket.recv(msg, zmq::recv_flags::dontwait)) {
        return Status::Ok();
      }
    } catch (const zmq::error_t& e) {
      return Status::IOError(std::string("receive: ") + e.what());
    }
    HUB_ASSIGN_OR_RETURN(auto frame, wire::DecodeFrame(AsBytes(msg.to_string_view()), wire::Limits{}));
    switch (frame.type) {
      case sghub::v1::FRAME_TYPE_ACCEPTED: {
        sghub::v1::Accepted accepted;
        accepted.ParseFromArray(frame.payload.data(), static_cast<int>(frame.payload.size()));
        const int64_t index = source_.IndexOf(accepted.message_id());
        if (index >= 0 && static_cast<size_t>(index) < times_.size()) {
          times_[static_cast<size_t>(index)].accept_ns = now_ns;
        }
        ++outcome.accepted;
        --conn.outstanding;
        last_event_ns = now_ns;
        break;
      }
      case sghub::v1::FRAME_TYPE_REFUSED: {
        sghub::v1::Refused refused;
        refused.ParseFromArray(frame.payload.data(), static_cast<int>(frame.payload.size()));
        if (outcome.refused == 0) {
          std::fprintf(stderr, "sghub-bench: first refusal: %s\n", refused.reason().c_str());
        }
        ++outcome.refused;
        --conn.outstanding;
        last_event_ns = now_ns;
        break;
      }
      case sghub::v1::FRAME_TYPE_DELIVER: {
        sghub::v1::Deliver deliver;
        sghub::v1::Envelope envelope;
        sghub::v1::Header header;
        if (!deliver.ParseFromArray(frame.payload.data(), static_cast<int>(frame.payload.size())) ||
            !envelope.ParseFromString(deliver.envelope()) ||
            !header.ParseFromString(envelope.header())) {
          return Status::Corruption("unparseable DELIVER");
        }
        ++outcome.deliveries;
        const int64_t index = source_.IndexOf(header.message_id());
        if (conn.recipient >= 0 && index >= 0 && static_cast<size_t>(index) < times_.size()) {
          AlertTimes& t = times_[static_cast<size_t>(index)];
          const uint8_t bit = static_cast<uint8_t>(1u << conn.recipient);
          const bool was_complete = spec.wait_mask != 0 && (t.delivered_mask & spec.wait_mask) == spec.wait_mask;
          t.delivered_mask = static_cast<uint8_t>(t.delivered_mask | bit);
          if (!was_complete && spec.wait_mask != 0 &&
              (t.delivered_mask & spec.wait_mask) == spec.wait_mask) {
            t.deliver_ns = now_ns;
            ++complete;
            last_event_ns = now_ns;
          }
        }
        testutil::Delivery d;
        d.delivery_id = deliver.delivery_id();
        d.message_id = header.message_id();
        HUB_RETURN_IF_ERROR(conn.client->Ack(d));
        break;
      }
      case sghub::v1::FRAME_TYPE_NOTICE: {
        testutil::Delivery d;
        d.is_notice = true;
        if (!d.notice.ParseFromArray(frame.payload.data(), static_cast<int>(frame.payload.size()))) {
          return Status::Corruption("unparseable NOTICE");
        }
        sghub::v1::NoticeBody body;
        body.ParseFromString(d.notice.body());
        d.delivery_id = d.notice.delivery_id();
        d.message_id = body.notice_id();
        ++outcome.notices;
        HUB_RETURN_IF_ERROR(conn.client->Ack(d));
        break;
      }
      case sghub::v1::FRAME_TYPE_ERROR: {
        sghub::v1::Error error;
        error.ParseFromArray(frame.payload.data(), static_cast<int>(frame.payload.size()));
        return Status::Internal("the hub answered ERROR: " + error.reason());
      }
      default:
        break;  // PONG, WELCOME: nothing to do
    }
  }
}

Result<RunOutcome> LoadDriver::Run(const RunSpec& spec, const EnvelopeFor& envelope_for) {
  RunOutcome outcome;
  const uint64_t senders = source_.sender_count();
  const uint64_t end = spec.first + spec.count;
  for (Conn& conn : conns_) {
    conn.outstanding = 0;
  }
  {
    uint64_t s = 0;
    for (Conn& conn : conns_) {
      if (conn.recipient < 0) {
        conn.next_index = spec.first + (s + senders - spec.first % senders) % senders;
        ++s;
      }
    }
  }
  const bool paced = spec.rate_per_s > 0;
  const int64_t interval_ns = paced ? static_cast<int64_t>(1e9 / spec.rate_per_s) : 0;
  uint64_t submitted = 0;
  uint64_t complete = 0;
  const int64_t start_ns = NowNs();
  int64_t next_slot_ns = start_ns;
  int64_t last_event_ns = start_ns;
  int64_t first_submit_ns = 0;
  std::vector<zmq::pollitem_t> items;

  auto done = [&]() {
    const bool answered = !spec.submit || outcome.accepted + outcome.refused >= spec.count;
    const bool delivered = spec.wait_mask == 0 || complete >= spec.count;
    return answered && delivered;
  };
  while (!done()) {
    int64_t now = NowNs();
    if (spec.submit && submitted < spec.count) {
      for (Conn& conn : conns_) {
        if (conn.recipient >= 0) {
          continue;
        }
        while (conn.next_index < end &&
               conn.outstanding < (paced ? 1u : static_cast<uint64_t>(spec.window_per_sender))) {
          if (paced) {
            // One in flight across all senders: wait for the answer and the next slot.
            uint64_t total_outstanding = 0;
            for (const Conn& c : conns_) {
              total_outstanding += c.outstanding;
            }
            if (total_outstanding > 0 || now < next_slot_ns) {
              break;
            }
            next_slot_ns += interval_ns;
          }
          HUB_ASSIGN_OR_RETURN(std::string envelope, envelope_for(conn.next_index));
          now = NowNs();
          times_[conn.next_index].submit_ns = now;
          if (first_submit_ns == 0) {
            first_submit_ns = now;
          }
          HUB_RETURN_IF_ERROR(conn.client->SendSubmit(envelope));
          ++conn.outstanding;
          ++submitted;
          conn.next_index += senders;
        }
      }
    }
    items.clear();
    for (Conn& conn : conns_) {
      items.push_back({conn.client->socket().handle(), 0, ZMQ_POLLIN, 0});
    }
    int timeout_ms = 5;
    if (paced) {
      // Rounded up: a slot less than 1 ms away must not become a 0 ms poll, which would spin
      // a core the hub needs (a submission may go up to 1 ms late; its time is taken at send).
      const int64_t wait_ns = std::max<int64_t>(0, next_slot_ns - NowNs());
      timeout_ms = static_cast<int>((wait_ns + 999999) / 1000000);
    }
    try {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(timeout_ms));
    } catch (const zmq::error_t& e) {
      return Status::IOError(std::string("poll: ") + e.what());
    }
    now = NowNs();
    for (size_t i = 0; i < items.size(); ++i) {
      if ((items[i].revents & ZMQ_POLLIN) != 0) {
        HUB_RETURN_IF_ERROR(Drain(conns_[i], spec, outcome, now, complete, last_event_ns));
      }
    }
    if (now - last_event_ns > int64_t{spec.stall_timeout_ms} * 1000000) {
      return Status::Unavailable(
          "no progress for " + std::to_string(spec.stall_timeout_ms) + " ms: submitted " +
          std::to_string(submitted) + ", accepted " + std::to_string(outcome.accepted) +
          ", refused " + std::to_string(outcome.refused) + ", delivered to all awaited " +
          std::to_string(complete) + " of " + std::to_string(spec.count));
    }
  }
  const int64_t from = first_submit_ns != 0 ? first_submit_ns : start_ns;
  outcome.seconds = static_cast<double>(last_event_ns - from) / 1e9;
  return outcome;
}

}  // namespace hub::bench
