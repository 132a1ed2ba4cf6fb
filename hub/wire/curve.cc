#include "hub/wire/curve.h"

#include <string>

namespace hub::wire {
namespace {

zmq::const_buffer Buffer(ByteView bytes) { return {bytes.data(), bytes.size()}; }

}  // namespace

Status ConfigureCurveServer(zmq::socket_ref socket, const SecretKey& transport_secret,
                            std::string_view zap_domain) {
  if (transport_secret.size() != 32) {
    return Status::InvalidArgument("transport secret must be 32 bytes");
  }
  try {
    socket.set(zmq::sockopt::curve_server, true);
    socket.set(zmq::sockopt::curve_secretkey, Buffer(transport_secret.bytes()));
    socket.set(zmq::sockopt::zap_domain, zap_domain);
  } catch (const zmq::error_t& e) {
    return Status::IOError(std::string("configuring the CURVE server socket failed: ") + e.what());
  }
  return Status::Ok();
}

Status ConfigureCurveClient(zmq::socket_ref socket, const AgencyCard& own_card,
                            const SecretKey& own_transport_secret,
                            const PublicKey& server_transport_public) {
  if (own_transport_secret.size() != 32) {
    return Status::InvalidArgument("transport secret must be 32 bytes");
  }
  try {
    socket.set(zmq::sockopt::curve_serverkey, Buffer(server_transport_public.bytes));
    socket.set(zmq::sockopt::curve_publickey, Buffer(own_card.transport.bytes));
    socket.set(zmq::sockopt::curve_secretkey, Buffer(own_transport_secret.bytes()));
  } catch (const zmq::error_t& e) {
    return Status::IOError(std::string("configuring the CURVE client socket failed: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace hub::wire
