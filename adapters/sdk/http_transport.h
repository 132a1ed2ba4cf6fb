// HttpTransport lets the agency's system talk to its adapter over HTTP on loopback only
// (127.0.0.1; put a reverse proxy in front for anything else):
//
//   POST /alerts   body: one document in the codec's format.
//                  202 {"message_id": "<hex>", "results": [...]} once the hub ACCEPTED it
//                  (results give each recipient and, if policy refused it, the reason);
//                  422 {"errors": [{"field": .., "reason": ..}, ...]} listing every field
//                  problem; 403/409/422 {"message_id", "reason_code", "field", "reason"} when
//                  the hub REFUSED it; 503 {"message_id", "status": "queued", ...} when the hub
//                  did not answer in time: the alert is kept in the edge outbox and is sent
//                  whenever the hub is reachable (do not post it again).
//   GET /healthz   200 {"connected": bool, "outbox_depth": n}
//
// Deliveries and notices are POSTed (codec-rendered) to the configured URLs with the
// headers X-Sghub-Id and X-Sghub-Kind; a 2xx means the agency's system has it. Anything
// else is retried with backoff a few times, then reported as Unavailable, so the hub
// redelivers later.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/transport.h"

namespace httplib {
class Server;
}

namespace hub::sdk {

class HttpTransport final : public Transport {
 public:
  explicit HttpTransport(HttpSettings settings);
  ~HttpTransport() override;

  std::string_view name() const override { return "http"; }
  // Binds 127.0.0.1:port (a free port when 0, written to port_file when set) and serves on
  // its own thread. IOError when the port cannot be bound.
  Status Start(TransportHost& host, const codecs::Codec& codec) override;
  void Stop() override;
  Status DeliverAlert(const RenderedDocument& document) override;
  Status DeliverNotice(const RenderedDocument& document) override;

  int bound_port() const { return bound_port_; }

 private:
  Status Post(const std::string& url, const RenderedDocument& document);

  const HttpSettings settings_;
  TransportHost* host_ = nullptr;
  const codecs::Codec* codec_ = nullptr;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int bound_port_ = 0;
};

}  // namespace hub::sdk
