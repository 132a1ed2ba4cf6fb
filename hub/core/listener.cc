#include "hub/core/listener.h"

#include "hub/wire/curve.h"

// A draft option of libzmq 4.3 that Debian's build accepts: with it set, a handshake that
// gets no ZAP reply fails instead of succeeding unauthenticated.
#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

namespace hub::core {

Status ConfigureListener(zmq::socket_t& listener, const config::HubConfig& config,
                         const wire::AgencyKeys& hub_keys) {
  HUB_RETURN_IF_ERROR(
      wire::ConfigureCurveServer(listener, hub_keys.transport_secret(), kZapDomain));
  try {
    int enforce = 1;
    listener.setsockopt(ZMQ_ZAP_ENFORCE_DOMAIN, &enforce, sizeof(enforce));
    listener.set(zmq::sockopt::router_mandatory, 1);
    listener.set(zmq::sockopt::maxmsgsize,
                 static_cast<int64_t>(config.limits.max_frame_bytes) + 1024);
    listener.set(zmq::sockopt::handshake_ivl, static_cast<int>(config.handshake_ivl_ms));
    listener.set(zmq::sockopt::heartbeat_ivl, static_cast<int>(config.heartbeat_ivl_ms));
    listener.set(zmq::sockopt::heartbeat_timeout, static_cast<int>(config.heartbeat_timeout_ms));
    listener.set(zmq::sockopt::heartbeat_ttl, static_cast<int>(config.heartbeat_timeout_ms));
    listener.set(zmq::sockopt::sndhwm, 100000);
    listener.set(zmq::sockopt::rcvhwm, 100000);
    listener.set(zmq::sockopt::linger, 0);
    listener.bind(config.listen_endpoint);
  } catch (const zmq::error_t& e) {
    return Status::IOError("cannot listen on " + config.listen_endpoint + ": " + e.what());
  }
  return Status::Ok();
}

}  // namespace hub::core
