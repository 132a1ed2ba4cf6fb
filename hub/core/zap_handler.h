// ZapHandler answers libzmq's ZAP (ZeroMQ Authentication Protocol, RFC 27) requests for the
// hub's CurveZMQ listener. It admits a connection only when the client's transport key
// belongs to a registered, unrevoked agency, and sets the connection's User-Id to that
// agency's id: the broker takes a frame's sender from that User-Id, never from the frame.
//
// It must be running before the listener binds; Start() returns once the ZAP socket is
// bound. If its thread ends for any reason, alive() turns false and the broker stops the hub
// (fail closed). The listener also sets ZMQ_ZAP_ENFORCE_DOMAIN, so that without a ZAP
// reply libzmq refuses the handshake instead of admitting it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include <zmq.hpp>

#include "hub/base/status.h"
#include "hub/core/agency_registry.h"

namespace hub::core {

class ZapHandler {
 public:
  // `domain` is the ZAP domain the listener sets; requests for any other domain are denied.
  ZapHandler(zmq::context_t& context, const RegistryHolder& registry, std::string domain);
  ~ZapHandler();  // stops the thread
  ZapHandler(const ZapHandler&) = delete;
  ZapHandler& operator=(const ZapHandler&) = delete;

  // Binds inproc://zeromq.zap.01 and starts answering. Fails when the endpoint is taken.
  Status Start();
  // Stops answering; alive() becomes false.
  void Stop();
  bool alive() const { return alive_.load(); }

  uint64_t admitted() const { return admitted_.load(); }
  uint64_t denied() const { return denied_.load(); }

  // Test hook: makes the handler thread exit as if it had died.
  void KillForTest() { Stop(); }

 private:
  void Loop(zmq::socket_t socket);

  zmq::context_t& context_;
  const RegistryHolder& registry_;
  const std::string domain_;
  std::thread thread_;
  std::atomic<bool> alive_{false};
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> admitted_{0};
  std::atomic<uint64_t> denied_{0};
};

}  // namespace hub::core
