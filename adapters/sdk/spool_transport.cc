#include "adapters/sdk/spool_transport.h"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "adapters/sdk/durable_file.h"
#include "hub/base/bytes.h"
#include "hub/base/logging.h"

namespace hub::sdk {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSourcePrefix = "spool:";

spdlog::logger& Log() { return AdapterLogger("spool"); }

std::string Hex(const std::string& id) { return HexEncode(AsBytes(id)); }

// Whether the agency's system is done writing `name`.
bool IsCompleteDocument(const std::string& name) {
  return !name.empty() && name[0] != '.' && !name.ends_with(".tmp") && !name.ends_with(".part");
}

// The outbox key of a document: its name and a hash of its bytes, so a different document
// dropped later under the same name is a new alert, and the same one is never sent twice.
std::string SourceKey(const std::string& name, const std::string& content) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(content.data()),
                     content.size(), nullptr, 0);
  return std::string(kSourcePrefix) + name + ":" +
         HexEncode(
             AsBytes(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest))));
}

std::string NameFromSource(const std::string& source) {
  std::string rest = source.substr(kSourcePrefix.size());
  size_t colon = rest.rfind(':');
  return colon == std::string::npos ? rest : rest.substr(0, colon);
}

Result<std::string> ReadDocument(const fs::path& path) {
  std::error_code ec;
  uintmax_t size = fs::file_size(path, ec);
  if (ec) {
    return Status::IOError(path.string() + ": " + ec.message());
  }
  if (size > SpoolTransport::kMaxDocumentBytes) {
    return Status::InvalidArgument("the document is " + std::to_string(size) +
                                   " bytes; the largest accepted is " +
                                   std::to_string(SpoolTransport::kMaxDocumentBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::IOError("cannot read " + path.string());
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string RefusalText(const SubmitAnswer& answer) {
  std::string name = sghub::v1::ReasonCode_Name(answer.refused_msg.reason_code());
  std::ostringstream out;
  out << "refused by the hub\n"
      << "message_id: " << Hex(answer.message_id) << "\n"
      << "reason_code: " << name << "\n"
      << "field: " << answer.refused_msg.field() << "\n"
      << "reason: " << answer.refused_msg.reason() << "\n";
  return out.str();
}

std::string ReceiptText(const SubmitAnswer& answer) {
  std::ostringstream out;
  out << "accepted by the hub\n"
      << "message_id: " << Hex(answer.message_id) << "\n"
      << "accepted_at_ms: " << answer.accepted_msg.accepted_at_ms() << "\n";
  for (const auto& r : answer.accepted_msg.results()) {
    out << "recipient: " << r.recipient() << ": ";
    if (r.queued()) {
      out << "queued for delivery\n";
    } else {
      out << "NOT sent: " << sghub::v1::ReasonCode_Name(r.reason_code()) << ": " << r.reason()
          << "\n";
    }
  }
  return out.str();
}

}  // namespace

SpoolTransport::SpoolTransport(SpoolSettings settings)
    : settings_(std::move(settings)),
      inbox_(settings_.root / "inbox"),
      sent_(settings_.root / "sent"),
      failed_(settings_.root / "failed"),
      outbox_(settings_.root / "outbox"),
      notices_(settings_.root / "notices") {}

SpoolTransport::~SpoolTransport() { Stop(); }

Status SpoolTransport::Start(TransportHost& host, const codecs::Codec& codec) {
  host_ = &host;
  codec_ = &codec;
  for (const fs::path& dir : {inbox_, sent_, failed_, outbox_, notices_}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
      return Status::IOError(dir.string() + ": cannot create the spool directory: " + ec.message());
    }
  }
  CompleteOrphans();
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
  Log().info("spool at {} (poll every {} ms)", settings_.root.string(), settings_.poll_interval_ms);
  return Status::Ok();
}

void SpoolTransport::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void SpoolTransport::CompleteOrphans() {
  // An answered row whose document already left inbox/ was moved just before a crash.
  auto rows = host_->AnsweredRows();
  if (!rows.ok()) {
    Log().error("cannot read the outbox: {}", rows.status().ToString());
    return;
  }
  for (const OutboxRow& row : *rows) {
    if (row.source.rfind(kSourcePrefix, 0) != 0) {
      continue;
    }
    std::error_code ec;
    if (!fs::exists(inbox_ / NameFromSource(row.source), ec)) {
      Status s = host_->Complete(row.message_id);
      if (!s.ok()) {
        Log().error("[msg={}] cannot complete: {}", Hex(row.message_id), s.ToString());
      }
    }
  }
}

void SpoolTransport::Loop() {
  while (true) {
    ScanInbox();
    SettleAnswers();
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(settings_.poll_interval_ms),
                     [this] { return stop_; })) {
      return;
    }
  }
}

void SpoolTransport::ScanInbox() {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(inbox_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (IsCompleteDocument(name) && it->is_regular_file(ec) && !pending_.contains(name)) {
      names.push_back(name);
    }
  }
  if (ec) {
    Log().error("cannot list {}: {}", inbox_.string(), ec.message());
    return;
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    auto content = ReadDocument(inbox_ / name);
    if (!content.ok()) {
      if (content.status().IsInvalidArgument()) {
        Fail(name, "could not be read\n" + content.status().message() + "\n");
      } else {
        Log().warn("[file={}] {}; will retry", name, content.status().message());
      }
      continue;
    }
    const std::string source = SourceKey(name, *content);
    auto existing = host_->FindBySource(source);
    if (!existing.ok()) {
      Log().error("[file={}] cannot read the outbox: {}", name, existing.status().ToString());
      continue;
    }
    if (existing->has_value()) {
      // Submitted before a restart: wait for (or use) that alert's answer.
      pending_[name] = (*existing)->message_id;
      continue;
    }
    codecs::DecodeResult decoded = codec_->Decode(*content);
    if (!decoded.ok()) {
      Log().warn("[file={}] not a valid {} document: {} field problem(s)", name, codec_->name(),
                 decoded.errors.size());
      Fail(name, "could not be read as " + std::string(codec_->name()) + ": " +
                     std::to_string(decoded.errors.size()) + " field problem(s)\n" +
                     codecs::FormatFieldErrors(decoded.errors));
      continue;
    }
    auto id = host_->Enqueue(*decoded.alert, source);
    if (!id.ok()) {
      if (id.status().IsInvalidArgument()) {
        Fail(name, "could not be sent: 1 field problem(s)\n" + id.status().message() + "\n");
      } else {
        Log().error("[file={}] cannot store the alert: {}; will retry", name,
                    id.status().ToString());
      }
      continue;
    }
    Log().info("[file={} msg={}] submitted", name, Hex(*id));
    pending_[name] = *id;
  }
}

void SpoolTransport::SettleAnswers() {
  for (auto it = pending_.begin(); it != pending_.end();) {
    const std::string& name = it->first;
    const std::string& id = it->second;
    auto answer = host_->AnswerFor(id);
    if (!answer.ok()) {
      if (answer.status().IsNotFound()) {
        it = pending_.erase(it);
      } else {
        Log().error("[file={}] cannot read the answer: {}", name, answer.status().ToString());
        ++it;
      }
      continue;
    }
    if (!answer->has_value()) {
      ++it;
      continue;
    }
    const SubmitAnswer& a = **answer;
    Status s;
    if (a.accepted) {
      s = WriteFileDurably(sent_, name + ".receipt", ReceiptText(a));
      if (s.ok()) {
        s = MoveFileDurably(inbox_ / name, sent_ / name);
      }
    } else {
      s = WriteFileDurably(failed_, name + ".error", RefusalText(a));
      if (s.ok()) {
        s = MoveFileDurably(inbox_ / name, failed_ / name);
      }
    }
    std::error_code ec;
    if (!s.ok() && fs::exists(inbox_ / name, ec)) {
      Log().error("[file={}] cannot move after the hub's answer: {}; will retry", name,
                  s.message());
      ++it;
      continue;
    }
    Log().info("[file={} msg={}] {}", name, Hex(id), a.Summary());
    Status done = host_->Complete(id);
    if (!done.ok()) {
      Log().error("[file={}] cannot complete: {}", name, done.ToString());
    }
    it = pending_.erase(it);
  }
}

void SpoolTransport::Fail(const std::string& name, const std::string& error_text) {
  Status s = WriteFileDurably(failed_, name + ".error", error_text);
  if (s.ok()) {
    s = MoveFileDurably(inbox_ / name, failed_ / name);
  }
  if (!s.ok()) {
    Log().error("[file={}] cannot move to failed/: {}", name, s.message());
  }
}

Status SpoolTransport::DeliverAlert(const RenderedDocument& document) {
  return WriteFileDurably(outbox_, "alert-" + document.id_hex + document.extension,
                          document.content);
}

Status SpoolTransport::DeliverNotice(const RenderedDocument& document) {
  return WriteFileDurably(notices_, "notice-" + document.id_hex + document.extension,
                          document.content);
}

}  // namespace hub::sdk
