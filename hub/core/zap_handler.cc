#include "hub/core/zap_handler.h"

#include <cstring>
#include <vector>

#include <zmq_addon.hpp>

#include "hub/base/logging.h"

namespace hub::core {
namespace {

constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";

void Reply(zmq::socket_t& socket, const std::string& version, const std::string& request_id,
           const char* code, const char* text, const std::string& user_id) {
  std::vector<zmq::const_buffer> parts = {
      zmq::buffer(version),          zmq::buffer(request_id),      zmq::buffer(code, 3),
      zmq::buffer(text, std::strlen(text)), zmq::buffer(user_id), zmq::const_buffer()};
  (void)zmq::send_multipart(socket, parts);
}

}  // namespace

ZapHandler::ZapHandler(zmq::context_t& context, const RegistryHolder& registry, std::string domain)
    : context_(context), registry_(registry), domain_(std::move(domain)) {}

ZapHandler::~ZapHandler() { Stop(); }

Status ZapHandler::Start() {
  try {
    zmq::socket_t socket(context_, zmq::socket_type::rep);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::rcvtimeo, 100);  // so the loop notices Stop()
    socket.bind(kZapEndpoint);
    alive_.store(true);
    thread_ = std::thread(&ZapHandler::Loop, this, std::move(socket));
  } catch (const zmq::error_t& e) {
    return Status::IOError(std::string("cannot bind the ZAP handler: ") + e.what());
  }
  return Status::Ok();
}

void ZapHandler::Stop() {
  stop_.store(true);
  if (thread_.joinable()) {
    thread_.join();
  }
  alive_.store(false);
}

void ZapHandler::Loop(zmq::socket_t socket) {
  auto& log = Logger(Component::kBroker);
  try {
    while (!stop_.load()) {
      std::vector<zmq::message_t> request;
      auto received = zmq::recv_multipart(socket, std::back_inserter(request));
      if (!received) {
        continue;  // timeout: look at stop_ again
      }
      // version, request id, domain, address, identity, mechanism, credentials...
      if (request.size() < 6) {
        log.warn("[zap] malformed request with {} parts", request.size());
        Reply(socket, "1.0", request.size() > 1 ? request[1].to_string() : "", "500",
              "malformed request", "");
        continue;
      }
      const std::string version = request[0].to_string();
      const std::string request_id = request[1].to_string();
      const std::string domain = request[2].to_string();
      const std::string address = request[3].to_string();
      const std::string mechanism = request[5].to_string();
      if (version != "1.0" || domain != domain_ || mechanism != "CURVE" || request.size() != 7 ||
          request[6].size() != 32) {
        denied_.fetch_add(1);
        log.warn("[zap peer={}] denied: not a CURVE handshake for domain {}", address, domain_);
        Reply(socket, "1.0", request_id, "400", "only CURVE clients of this hub are admitted", "");
        continue;
      }
      wire::PublicKey key;
      std::memcpy(key.bytes.data(), request[6].data(), key.bytes.size());
      auto registry = registry_.Get();
      const config::AgencyEntry* agency = registry->FindByTransportKey(key);
      if (!AgencyRegistry::IsAdmitted(agency)) {
        denied_.fetch_add(1);
        log.warn("[zap peer={} key={}] denied: {}", address, key.Fingerprint(),
                 agency == nullptr ? "transport key not registered" : "agency revoked");
        Reply(socket, "1.0", request_id, "400", "transport key not admitted", "");
        continue;
      }
      admitted_.fetch_add(1);
      log.debug("[zap peer={} agency={}] admitted", address, agency->card.id);
      Reply(socket, "1.0", request_id, "200", "OK", agency->card.id);
    }
  } catch (const std::exception& e) {
    log.critical("[zap] handler failed: {}; the hub stops admitting connections", e.what());
  }
  alive_.store(false);
}

}  // namespace hub::core
