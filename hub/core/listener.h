// The hub's CurveZMQ listener: a ROUTER with the hub's transport key, ZAP required for every
// handshake (ZMQ_ZAP_ENFORCE_DOMAIN, so that no ZAP reply means no connection), unroutable
// sends reported (ROUTER_MANDATORY), frame size, handshake and heartbeat limits, bounded
// queues. The ZAP handler must already be running when this binds.
#pragma once

#include <zmq.hpp>

#include "hub/base/status.h"
#include "hub/config/hub_config.h"
#include "hub/wire/agency_keys.h"

namespace hub::core {

// The ZAP domain the listener asks the ZAP handler about.
inline constexpr const char* kZapDomain = "sghub";

// Configures `listener` (a ROUTER) and binds config.listen_endpoint.
Status ConfigureListener(zmq::socket_t& listener, const config::HubConfig& config,
                         const wire::AgencyKeys& hub_keys);

}  // namespace hub::core
