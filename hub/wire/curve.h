// CurveZMQ setup for hub and adapter sockets. Keys are passed to libzmq as 32 raw bytes
// (not Z85). Exceptions from cppzmq are caught and returned as IOError.
#pragma once

#include <string_view>
#include <zmq.hpp>

#include "hub/base/status.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/public_key.h"
#include "hub/wire/secret_key.h"

namespace hub::wire {

// Makes `socket` a CURVE server with the given 32-byte transport secret and ZAP domain. The
// ZAP handler must be running before the socket binds (see docs/protocol.md). Call before
// bind().
Status ConfigureCurveServer(zmq::socket_ref socket, const SecretKey& transport_secret,
                            std::string_view zap_domain);

// Makes `socket` a CURVE client authenticating as `own_card.transport` and expecting the
// server key `server_transport_public`. Call before connect().
Status ConfigureCurveClient(zmq::socket_ref socket, const AgencyCard& own_card,
                            const SecretKey& own_transport_secret,
                            const PublicKey& server_transport_public);

}  // namespace hub::wire
