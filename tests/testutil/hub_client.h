// HubClient speaks the adapter side of the sghub protocol with the wire library, over a real
// CurveZMQ DEALER connection: HELLO, SUBMIT and its answer, DELIVER/NOTICE and ACK/NACK.
// The hub's tests and sghub-bench use it so that they need no real adapter. Single-threaded;
// frames that arrive while waiting for something else are kept in order for later.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <zmq.hpp>

#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"
#include "sghub/v1/frames.pb.h"

namespace hub::testutil {

struct ReceivedFrame {
  sghub::v1::FrameType type = sghub::v1::FRAME_TYPE_UNSPECIFIED;
  std::string payload;  // the serialised message after the preamble
};

// The hub's answer to one submission.
struct SubmitAnswer {
  bool accepted = false;
  sghub::v1::Accepted accepted_msg;  // when accepted
  sghub::v1::Refused refused_msg;    // when refused
  sghub::v1::ReasonCode reason() const { return refused_msg.reason_code(); }
};

// One item the hub delivered: an alert or a hub notice.
struct Delivery {
  bool is_notice = false;
  uint64_t delivery_id = 0;
  uint32_t attempt = 0;
  std::string envelope;          // alerts: the sender's envelope
  sghub::v1::Notice notice;      // notices
  std::string message_id;        // alerts: header.message_id; notices: body.notice_id
};

class HubClient {
 public:
  // Connects as `keys`' agency and completes HELLO/WELCOME within timeout_ms. Unavailable
  // when no WELCOME arrives (e.g. the hub refused the handshake).
  static Result<std::unique_ptr<HubClient>> Connect(zmq::context_t& context,
                                                    const std::string& endpoint,
                                                    const wire::AgencyKeys& keys,
                                                    const wire::PublicKey& hub_transport,
                                                    int timeout_ms, uint32_t max_in_flight = 0);
  // Connects without waiting for anything; for tests of refused handshakes.
  static Result<std::unique_ptr<HubClient>> ConnectRaw(zmq::context_t& context,
                                                       const std::string& endpoint,
                                                       const wire::AgencyKeys& keys,
                                                       const wire::PublicKey& hub_transport);

  // Sends a whole frame as given (preamble included).
  Status SendRawFrame(const std::string& frame);
  Status SendHello(uint32_t max_in_flight = 0);
  Status SendSubmit(const std::string& envelope);
  // Sends and waits for the ACCEPTED or REFUSED answer.
  Result<SubmitAnswer> Submit(const std::string& envelope, int timeout_ms);
  // Waits for the next answer to a submission sent earlier.
  Result<SubmitAnswer> NextAnswer(int timeout_ms);
  // Waits for the next DELIVER or NOTICE.
  Result<Delivery> NextDelivery(int timeout_ms);
  // Waits for the next frame of `type`, keeping others for later.
  Result<ReceivedFrame> NextOfType(sghub::v1::FrameType type, int timeout_ms);
  Status Ack(const Delivery& delivery);
  Status Nack(const Delivery& delivery, bool permanent, const std::string& reason);

  zmq::socket_t& socket() { return socket_; }

 private:
  explicit HubClient(zmq::socket_t socket) : socket_(std::move(socket)) {}
  Result<std::optional<ReceivedFrame>> ReceiveOne(int timeout_ms);

  zmq::socket_t socket_;
  std::deque<ReceivedFrame> pending_;  // received, not yet asked for
};

}  // namespace hub::testutil
