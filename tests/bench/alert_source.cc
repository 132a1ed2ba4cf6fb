#include "tests/bench/alert_source.h"

#include <sodium.h>

#include <thread>

#include "hub/wire/signed_message.h"

namespace hub::bench {
namespace {

// Alerts live this long, so a long backlog run never expires what it queued.
constexpr int64_t kLifetimeMs = 12LL * 3600 * 1000;

}  // namespace

AlertSource::AlertSource(const testutil::TestWorld& world, std::vector<std::string> senders,
                         std::vector<std::string> recipients, size_t body_bytes)
    : world_(world),
      senders_(std::move(senders)),
      recipients_(std::move(recipients)),
      body_bytes_(body_bytes),
      tag_(8, '\0') {
  randombytes_buf(tag_.data(), tag_.size());
}

std::string AlertSource::MessageId(uint64_t index) const {
  std::string id = tag_;
  for (int shift = 56; shift >= 0; shift -= 8) {
    id.push_back(static_cast<char>((index >> shift) & 0xff));
  }
  return id;
}

int64_t AlertSource::IndexOf(const std::string& message_id) const {
  if (message_id.size() != 16 || message_id.compare(0, 8, tag_) != 0) {
    return -1;
  }
  uint64_t index = 0;
  for (size_t i = 8; i < 16; ++i) {
    index = (index << 8) | static_cast<unsigned char>(message_id[i]);
  }
  return static_cast<int64_t>(index);
}

Result<std::string> AlertSource::SealOne(uint64_t index) const {
  testutil::AlertSpec spec;
  spec.sender = SenderOf(index);
  spec.recipients = recipients_;
  spec.body_bytes = body_bytes_;
  spec.lifetime_ms = kLifetimeMs;
  spec.message_id = MessageId(index);
  return world_.MakeAlert(spec);
}

Status AlertSource::SealAll(size_t count, int threads) {
  sealed_.assign(count, std::string());
  std::vector<Status> failures(static_cast<size_t>(threads), Status::Ok());
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([this, t, threads, count, &failures]() {
      for (size_t i = static_cast<size_t>(t); i < count; i += static_cast<size_t>(threads)) {
        auto envelope = SealOne(i);
        if (!envelope.ok()) {
          failures[static_cast<size_t>(t)] = envelope.status();
          return;
        }
        sealed_[i] = std::move(*envelope);
      }
    });
  }
  for (std::thread& w : workers) {
    w.join();
  }
  for (const Status& s : failures) {
    HUB_RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

Status AlertSource::MakeTemplates() {
  for (size_t s = 0; s < senders_.size(); ++s) {
    HUB_ASSIGN_OR_RETURN(std::string sealed, SealOne(s));
    Template t;
    if (!t.envelope.ParseFromString(sealed) || !t.header.ParseFromString(t.envelope.header())) {
      return Status::Internal("cannot parse a freshly sealed envelope");
    }
    templates_.push_back(std::move(t));
  }
  return Status::Ok();
}

Result<std::string> AlertSource::Resign(uint64_t index) {
  if (templates_.empty()) {
    HUB_RETURN_IF_ERROR(MakeTemplates());
  }
  Template& t = templates_[index % senders_.size()];
  t.header.set_message_id(MessageId(index));
  std::string header_bytes = t.header.SerializeAsString();
  const std::string message =
      wire::EnvelopeSignedMessage(header_bytes, t.envelope.body_nonce(), t.envelope.body_ciphertext());
  HUB_ASSIGN_OR_RETURN(std::string signature,
                       wire::SignDetached(message, world_.agency(SenderOf(index)).signing_secret()));
  sghub::v1::Envelope envelope = t.envelope;
  envelope.set_header(std::move(header_bytes));
  envelope.set_signature(std::move(signature));
  return envelope.SerializeAsString();
}

}  // namespace hub::bench
