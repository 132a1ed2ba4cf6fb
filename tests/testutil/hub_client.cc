#include "tests/testutil/hub_client.h"

#include <chrono>

#include "hub/wire/curve.h"
#include "hub/wire/envelope.h"
#include "hub/wire/frame.h"
#include "hub/wire/limits.h"

namespace hub::testutil {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

template <typename M>
Status SendMessage(zmq::socket_t& socket, sghub::v1::FrameType type, const M& msg) {
  HUB_ASSIGN_OR_RETURN(std::string frame, wire::EncodeFrame(type, msg));
  try {
    socket.send(zmq::buffer(frame), zmq::send_flags::none);
  } catch (const zmq::error_t& e) {
    return Status::IOError(e.what());
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<HubClient>> HubClient::ConnectRaw(zmq::context_t& context,
                                                         const std::string& endpoint,
                                                         const wire::AgencyKeys& keys,
                                                         const wire::PublicKey& hub_transport) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  HUB_RETURN_IF_ERROR(wire::ConfigureCurveClient(socket, keys.card(), keys.transport_secret(),
                                                 hub_transport));
  try {
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::sndhwm, 200000);
    socket.set(zmq::sockopt::rcvhwm, 200000);
    socket.connect(endpoint);
  } catch (const zmq::error_t& e) {
    return Status::IOError(std::string("connect: ") + e.what());
  }
  return std::unique_ptr<HubClient>(new HubClient(std::move(socket)));
}

Result<std::unique_ptr<HubClient>> HubClient::Connect(zmq::context_t& context,
                                                      const std::string& endpoint,
                                                      const wire::AgencyKeys& keys,
                                                      const wire::PublicKey& hub_transport,
                                                      int timeout_ms, uint32_t max_in_flight) {
  HUB_ASSIGN_OR_RETURN(auto client, ConnectRaw(context, endpoint, keys, hub_transport));
  HUB_RETURN_IF_ERROR(client->SendHello(max_in_flight));
  auto welcome = client->NextOfType(sghub::v1::FRAME_TYPE_WELCOME, timeout_ms);
  if (!welcome.ok()) {
    return Status::Unavailable("no WELCOME from the hub: " + welcome.status().message());
  }
  return client;
}

Status HubClient::SendRawFrame(const std::string& frame) {
  try {
    socket_.send(zmq::buffer(frame), zmq::send_flags::none);
  } catch (const zmq::error_t& e) {
    return Status::IOError(e.what());
  }
  return Status::Ok();
}

Status HubClient::SendHello(uint32_t max_in_flight) {
  sghub::v1::Hello hello;
  hello.set_software("sghub test client");
  hello.set_max_in_flight(max_in_flight);
  return SendMessage(socket_, sghub::v1::FRAME_TYPE_HELLO, hello);
}

Status HubClient::SendSubmit(const std::string& envelope) {
  sghub::v1::Submit submit;
  submit.set_envelope(envelope);
  return SendMessage(socket_, sghub::v1::FRAME_TYPE_SUBMIT, submit);
}

Result<SubmitAnswer> HubClient::Submit(const std::string& envelope, int timeout_ms) {
  HUB_RETURN_IF_ERROR(SendSubmit(envelope));
  return NextAnswer(timeout_ms);
}

Result<SubmitAnswer> HubClient::NextAnswer(int timeout_ms) {
  const int64_t deadline = NowMs() + timeout_ms;
  // Answers come in submission order; take the first ACCEPTED or REFUSED.
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->type == sghub::v1::FRAME_TYPE_ACCEPTED || it->type == sghub::v1::FRAME_TYPE_REFUSED) {
      ReceivedFrame frame = std::move(*it);
      pending_.erase(it);
      SubmitAnswer answer;
      answer.accepted = frame.type == sghub::v1::FRAME_TYPE_ACCEPTED;
      bool ok = answer.accepted ? answer.accepted_msg.ParseFromString(frame.payload)
                                : answer.refused_msg.ParseFromString(frame.payload);
      if (!ok) {
        return Status::Corruption("unparseable answer");
      }
      return answer;
    }
  }
  while (true) {
    int64_t left = deadline - NowMs();
    if (left <= 0) {
      return Status::Unavailable("no answer within the timeout");
    }
    HUB_ASSIGN_OR_RETURN(auto frame, ReceiveOne(static_cast<int>(left)));
    if (!frame) {
      continue;
    }
    pending_.push_back(std::move(*frame));
    if (pending_.back().type == sghub::v1::FRAME_TYPE_ACCEPTED ||
        pending_.back().type == sghub::v1::FRAME_TYPE_REFUSED) {
      return NextAnswer(0 + 1);
    }
  }
}

Result<Delivery> HubClient::NextDelivery(int timeout_ms) {
  const int64_t deadline = NowMs() + timeout_ms;
  while (true) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->type != sghub::v1::FRAME_TYPE_DELIVER && it->type != sghub::v1::FRAME_TYPE_NOTICE) {
        continue;
      }
      Delivery d;
      if (it->type == sghub::v1::FRAME_TYPE_DELIVER) {
        sghub::v1::Deliver deliver;
        if (!deliver.ParseFromString(it->payload)) {
          return Status::Corruption("unparseable DELIVER");
        }
        d.delivery_id = deliver.delivery_id();
        d.attempt = deliver.attempt();
        d.envelope = deliver.envelope();
        auto parsed = wire::ParseEnvelope(AsBytes(d.envelope), wire::Limits{});
        if (!parsed.ok()) {
          return parsed.status();
        }
        d.message_id = parsed->header.message_id();
      } else {
        d.is_notice = true;
        if (!d.notice.ParseFromString(it->payload)) {
          return Status::Corruption("unparseable NOTICE");
        }
        d.delivery_id = d.notice.delivery_id();
        sghub::v1::NoticeBody body;
        body.ParseFromString(d.notice.body());
        d.message_id = body.notice_id();
      }
      pending_.erase(it);
      return d;
    }
    int64_t left = deadline - NowMs();
    if (left <= 0) {
      return Status::Unavailable("no delivery within the timeout");
    }
    HUB_ASSIGN_OR_RETURN(auto frame, ReceiveOne(static_cast<int>(left)));
    if (frame) {
      pending_.push_back(std::move(*frame));
    }
  }
}

Result<ReceivedFrame> HubClient::NextOfType(sghub::v1::FrameType type, int timeout_ms) {
  const int64_t deadline = NowMs() + timeout_ms;
  while (true) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (it->type == type) {
        ReceivedFrame frame = std::move(*it);
        pending_.erase(it);
        return frame;
      }
    }
    int64_t left = deadline - NowMs();
    if (left <= 0) {
      return Status::Unavailable("no frame of type " + std::to_string(type) +
                                 " within the timeout");
    }
    HUB_ASSIGN_OR_RETURN(auto frame, ReceiveOne(static_cast<int>(left)));
    if (frame) {
      pending_.push_back(std::move(*frame));
    }
  }
}

Status HubClient::Ack(const Delivery& delivery) {
  sghub::v1::Ack ack;
  ack.set_delivery_id(delivery.delivery_id);
  ack.set_message_id(delivery.message_id);
  return SendMessage(socket_, sghub::v1::FRAME_TYPE_ACK, ack);
}

Status HubClient::Nack(const Delivery& delivery, bool permanent, const std::string& reason) {
  sghub::v1::Nack nack;
  nack.set_delivery_id(delivery.delivery_id);
  nack.set_message_id(delivery.message_id);
  nack.set_permanent(permanent);
  nack.set_reason_code(sghub::v1::REASON_CODE_RECIPIENT_REJECTED);
  nack.set_reason(reason);
  return SendMessage(socket_, sghub::v1::FRAME_TYPE_NACK, nack);
}

Result<std::optional<ReceivedFrame>> HubClient::ReceiveOne(int timeout_ms) {
  zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
  try {
    zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms));
    if ((item.revents & ZMQ_POLLIN) == 0) {
      return std::optional<ReceivedFrame>();
    }
    zmq::message_t msg;
    if (!socket_.recv(msg, zmq::recv_flags::dontwait)) {
      return std::optional<ReceivedFrame>();
    }
    auto decoded = wire::DecodeFrame(AsBytes(msg.to_string_view()), wire::Limits{});
    if (!decoded.ok()) {
      return decoded.status();
    }
    return std::optional<ReceivedFrame>(
        ReceivedFrame{decoded->type, std::string(decoded->payload)});
  } catch (const zmq::error_t& e) {
    return Status::IOError(e.what());
  }
}

}  // namespace hub::testutil
