// HubConnection is an adapter's one connection to the hub: a ZeroMQ DEALER with CurveZMQ
// (authenticating with the agency's transport key, checking the hub's), driven by its own
// I/O thread, which is the only thread that touches the sockets.
//
// Lifecycle. libzmq connects and reconnects by itself with exponential backoff
// (reconnect_min_ms .. reconnect_max_ms) and ZMTP heartbeats detect a dead hub. A socket
// monitor reports each completed CURVE handshake; the connection then sends HELLO and is
// online once WELCOME arrives. A disconnect makes it offline at once. While offline nothing
// is sent (ZMQ_IMMEDIATE), so nothing piles up in libzmq's queues.
//
// Submissions. The edge outbox (StateDb) is the send queue: while online, the I/O thread
// reads unanswered rows in order through `load_outbox` and sends up to kSubmitWindow of
// them; each ACCEPTED/REFUSED frees a place. After every (re)connect, and when an answer
// takes longer than answer_timeout_ms, everything unanswered is sent again from the start:
// the hub answers a replayed message id with its original answer, so this is always safe.
//
// Everything else the hub sends (answers, DELIVER, NOTICE, ERROR) is handed to `on_frame`
// on the I/O thread. Other threads send frames (ACK, NACK) with Send().
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "adapters/sdk/state_db.h"
#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"
#include "sghub/v1/frames.pb.h"

namespace hub::sdk {

class HubConnection {
 public:
  struct Options {
    std::string endpoint;           // tcp://IP:PORT or ipc://PATH
    wire::PublicKey hub_transport;  // the hub's CurveZMQ public key, from its card
    std::string software;           // sent in HELLO
    uint32_t max_in_flight = 32;    // sent in HELLO
    int64_t reconnect_min_ms = 100;
    int64_t reconnect_max_ms = 10000;
    int64_t heartbeat_ms = 5000;
    int64_t answer_timeout_ms = 30000;
  };

  // Callbacks run on the I/O thread, one at a time. They must not block for long and must
  // not call Stop().
  struct Callbacks {
    std::function<void(bool online)> on_state;
    // ACCEPTED, REFUSED, DELIVER, NOTICE and ERROR frames: the frame type and its payload.
    std::function<void(sghub::v1::FrameType type, std::string payload)> on_frame;
    // Up to `limit` unanswered outbox rows with seq > after_seq, in order.
    std::function<Result<std::vector<OutboxRow>>(int64_t after_seq, int limit)> load_outbox;
  };

  static constexpr int kSubmitWindow = 64;

  // `keys` is borrowed and must outlive the connection.
  HubConnection(Options options, const wire::AgencyKeys& keys, Callbacks callbacks);
  ~HubConnection();
  HubConnection(const HubConnection&) = delete;
  HubConnection& operator=(const HubConnection&) = delete;

  // Creates the sockets and starts the I/O thread, which connects in the background.
  // Returns IOError when the sockets cannot be set up (e.g. a malformed endpoint).
  Status Start();
  // Stops the I/O thread and closes the sockets. Idempotent; safe from any thread except
  // the I/O thread.
  void Stop();

  // Queues a whole frame (preamble included) for sending. Thread-safe. A frame whose turn
  // comes while the connection is offline is dropped: acks and nacks are safe to lose (the
  // hub redelivers) and submissions go through the outbox instead.
  void Send(std::string frame);
  // Tells the I/O thread that the outbox has new rows. Thread-safe.
  void OutboxChanged();

  bool online() const { return online_.load(); }

 private:
  void Run(std::promise<Status>* started);
  Status Setup();
  void Wake();
  void HandleMonitorEvent();
  void HandleFrame(const zmq::message_t& msg);
  void SetOnline(bool online);
  bool SendNow(const std::string& frame);
  void SendHello();
  void PumpOutbox();
  void CheckAnswerTimeouts();

  // Constant after construction.
  const Options options_;
  const wire::AgencyKeys& keys_;
  const Callbacks callbacks_;

  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> online_{false};
  std::atomic<bool> outbox_hint_{true};
  int wake_fd_ = -1;  // eventfd: other threads wake the I/O thread

  std::mutex mu_;
  std::deque<std::string> to_send_;  // guarded by mu_

  // I/O thread only.
  std::unique_ptr<zmq::context_t> context_;
  std::unique_ptr<zmq::socket_t> dealer_;
  std::unique_ptr<zmq::socket_t> monitor_;
  int64_t send_cursor_ = 0;  // highest outbox seq sent on this connection
  struct Awaiting {
    int64_t seq;
    int64_t sent_mono_ms;
  };
  std::map<std::string, Awaiting> awaiting_;  // message id -> submission without an answer
  int64_t hello_sent_mono_ms_ = 0;
  bool handshaken_ = false;
};

using HubConnectionPtr = std::unique_ptr<HubConnection>;

}  // namespace hub::sdk
