#include "adapters/sdk/http_transport.h"

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/sdk/durable_file.h"
#include "hub/base/bytes.h"
#include "hub/base/logging.h"

namespace hub::sdk {
namespace {

using nlohmann::json;

spdlog::logger& Log() { return AdapterLogger("http"); }

std::string Hex(const std::string& id) { return HexEncode(AsBytes(id)); }

std::string CodeName(sghub::v1::ReasonCode code) {
  std::string name = sghub::v1::ReasonCode_Name(code);
  constexpr std::string_view kPrefix = "REASON_CODE_";
  if (name.rfind(kPrefix, 0) == 0) {
    name.erase(0, kPrefix.size());
  }
  return name;
}

int StatusForRefusal(sghub::v1::ReasonCode code) {
  switch (code) {
    case sghub::v1::REASON_CODE_DUPLICATE_CONFLICT:
      return 409;
    case sghub::v1::REASON_CODE_BAD_SIGNATURE:
    case sghub::v1::REASON_CODE_SENDER_MISMATCH:
    case sghub::v1::REASON_CODE_UNKNOWN_SENDER:
      return 403;
    default:
      return 422;
  }
}

void Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(2) + "\n", "application/json");
}

// "http://host:port/path" -> {"http://host:port", "/path"}.
std::pair<std::string, std::string> SplitUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  size_t slash = url.find('/', kScheme.size());
  if (slash == std::string::npos) {
    return {url, "/"};
  }
  return {url.substr(0, slash), url.substr(slash)};
}

}  // namespace

HttpTransport::HttpTransport(HttpSettings settings) : settings_(std::move(settings)) {}

HttpTransport::~HttpTransport() { Stop(); }

Status HttpTransport::Start(TransportHost& host, const codecs::Codec& codec) {
  host_ = &host;
  codec_ = &codec;
  server_ = std::make_unique<httplib::Server>();
  server_->Post("/alerts", [this](const httplib::Request& req, httplib::Response& res) {
    codecs::DecodeResult decoded = codec_->Decode(req.body);
    if (!decoded.ok()) {
      json errors = json::array();
      for (const codecs::FieldError& e : decoded.errors) {
        errors.push_back({{"field", e.field}, {"reason", e.reason}});
      }
      Log().warn("POST /alerts: not a valid {} document: {} field problem(s)", codec_->name(),
                 decoded.errors.size());
      Reply(res, 422, {{"errors", errors}});
      return;
    }
    auto outcome = host_->Submit(*decoded.alert, settings_.submit_timeout_ms);
    if (!outcome.ok()) {
      if (outcome.status().IsInvalidArgument()) {
        json error = {{"field", outcome.status().field()}, {"reason", outcome.status().message()}};
        Reply(res, 422, {{"errors", json::array({error})}});
      } else {
        Log().error("POST /alerts: {}", outcome.status().ToString());
        Reply(res, 500, {{"error", "the adapter could not store the alert"}});
      }
      return;
    }
    const std::string id = Hex(outcome->message_id);
    if (!outcome->answer.has_value()) {
      Reply(res, 503,
            {{"message_id", id},
             {"status", "queued"},
             {"detail",
              "the hub did not answer in time; the alert is kept in the adapter's "
              "outbox and will be sent when the hub is reachable; do not post it "
              "again"}});
      return;
    }
    const SubmitAnswer& a = *outcome->answer;
    if (!a.accepted) {
      Reply(res, StatusForRefusal(a.refused_msg.reason_code()),
            {{"message_id", id},
             {"reason_code", CodeName(a.refused_msg.reason_code())},
             {"field", a.refused_msg.field()},
             {"reason", a.refused_msg.reason()}});
      return;
    }
    json results = json::array();
    for (const auto& r : a.accepted_msg.results()) {
      json item = {{"recipient", r.recipient()}, {"queued", r.queued()}};
      if (!r.queued()) {
        item["reason_code"] = CodeName(r.reason_code());
        item["reason"] = r.reason();
      }
      results.push_back(item);
    }
    Reply(res, 202, {{"message_id", id}, {"results", results}});
  });
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    Health h = host_->health();
    Reply(res, 200, {{"connected", h.connected}, {"outbox_depth", h.outbox_depth}});
  });

  if (settings_.port == 0) {
    bound_port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    bound_port_ = server_->bind_to_port("127.0.0.1", settings_.port) ? settings_.port : -1;
  }
  if (bound_port_ <= 0) {
    return Status::IOError("cannot listen on 127.0.0.1:" + std::to_string(settings_.port));
  }
  if (!settings_.port_file.empty()) {
    HUB_RETURN_IF_ERROR(WriteFileDurably(settings_.port_file.parent_path(),
                                         settings_.port_file.filename().string(),
                                         std::to_string(bound_port_) + "\n"));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() only works once the server runs; do not return before it does.
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  Log().info("listening on http://127.0.0.1:{}", bound_port_);
  return Status::Ok();
}

void HttpTransport::Stop() {
  if (server_) {
    server_->stop();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

Status HttpTransport::Post(const std::string& url, const RenderedDocument& document) {
  auto [base, path] = SplitUrl(url);
  httplib::Client client(base);
  const auto timeout = std::chrono::milliseconds(settings_.delivery_timeout_ms);
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  httplib::Headers headers = {{"X-Sghub-Id", document.id_hex}, {"X-Sghub-Kind", document.kind}};
  int64_t backoff_ms = 250;
  std::string last;
  for (int attempt = 1; attempt <= settings_.delivery_attempts; ++attempt) {
    auto res = client.Post(path, headers, document.content, "application/json");
    if (res && res->status >= 200 && res->status < 300) {
      return Status::Ok();
    }
    last = res ? "HTTP " + std::to_string(res->status) : httplib::to_string(res.error());
    Log().warn("[{}={}] POST {} attempt {}/{} failed: {}", document.kind, document.id_hex, url,
               attempt, settings_.delivery_attempts, last);
    if (attempt < settings_.delivery_attempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
      backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000);
    }
  }
  return Status::Unavailable("the agency's system did not take the " + document.kind + " (" + last +
                             ")");
}

Status HttpTransport::DeliverAlert(const RenderedDocument& document) {
  return Post(settings_.delivery_url, document);
}

Status HttpTransport::DeliverNotice(const RenderedDocument& document) {
  return Post(settings_.notice_url.empty() ? settings_.delivery_url : settings_.notice_url,
              document);
}

}  // namespace hub::sdk
