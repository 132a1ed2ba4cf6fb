// SpoolTransport exchanges files with the agency's system through five directories under
// one root:
//
//   inbox/    the agency's system drops documents here: it writes NAME.tmp (or a dotfile)
//             and renames it, so only complete files are picked up (dotfiles and *.tmp are
//             ignored). Files are taken in name order.
//   sent/     a document the hub ACCEPTED, beside NAME.receipt (message id and the result
//             for each recipient, including any recipient refused by policy and why).
//   failed/   a document that could not be read (NAME.error lists every field at fault) or
//             that the hub REFUSED (NAME.error gives the reason code, field and sentence).
//   outbox/   alerts delivered to this agency, rendered by the codec: alert-<id><ext>.
//   notices/  hub notices (delivery reports, NDRs, escalations, withdrawals, outcomes):
//             notice-<id><ext>.
//
// Exactly once, across crashes: a document is put in the edge outbox under a key made of
// its name and a hash of its content before anything is sent; after a restart the key finds
// the same alert instead of submitting a second one. The document is moved only after the
// hub answered, and the outbox row is dropped only after the move. Deliveries are written
// atomically (temp file, fsync, rename, fsync dir) and acknowledged only then; their names
// carry the id, so a redelivery overwrites the same file.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/transport.h"

namespace hub::sdk {

class SpoolTransport final : public Transport {
 public:
  explicit SpoolTransport(SpoolSettings settings);
  ~SpoolTransport() override;

  std::string_view name() const override { return "spool"; }
  // Creates the five directories if needed and starts the polling thread. IOError naming
  // the directory when it cannot.
  Status Start(TransportHost& host, const codecs::Codec& codec) override;
  void Stop() override;
  Status DeliverAlert(const RenderedDocument& document) override;
  Status DeliverNotice(const RenderedDocument& document) override;

  // Largest document read from inbox/; bigger ones go to failed/.
  static constexpr size_t kMaxDocumentBytes = 4 * 1024 * 1024;

 private:
  void Loop();
  void ScanInbox();
  void SettleAnswers();
  void Fail(const std::string& name, const std::string& error_text);
  void CompleteOrphans();

  // Constant after construction.
  const SpoolSettings settings_;
  const std::filesystem::path inbox_, sent_, failed_, outbox_, notices_;

  TransportHost* host_ = nullptr;         // set by Start
  const codecs::Codec* codec_ = nullptr;  // set by Start
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_

  // Polling thread only: inbox documents submitted and waiting for the hub's answer.
  std::map<std::string, std::string> pending_;  // file name -> message id
};

}  // namespace hub::sdk
