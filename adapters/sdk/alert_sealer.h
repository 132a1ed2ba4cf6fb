// AlertSealer turns what a codec read out of an agency document (codecs::InboundAlert) into
// a signed, sealed sghub.v1 Envelope: it picks a fresh message id, fills the header from the
// alert and the adapter's configured defaults, computes the subject references with the
// shared subject key (the person's identity never leaves the sealed body), seals the body to
// every recipient's card and signs. Stateless apart from its borrowed inputs; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/codecs/codec.h"
#include "adapters/sdk/adapter_config.h"
#include "adapters/sdk/peer_directory.h"
#include "hub/base/clock.h"
#include "hub/base/result.h"
#include "hub/wire/agency_keys.h"
#include "hub/wire/subject_key.h"

namespace hub::sdk {

struct SealedAlert {
  std::string message_id;  // 16 bytes
  std::string envelope;    // serialised Envelope
  sghub::v1::Header header;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
};

class AlertSealer {
 public:
  // All references are borrowed and must outlive the sealer.
  AlertSealer(const AdapterConfig& config, const wire::AgencyKeys& keys,
              const wire::SubjectKey& subject_key, const PeerDirectory& peers, const Clock& clock);

  // Seals `alert`. Recipients are the alert's own, else `fallback_recipients` (e.g. the
  // sender of the concern an outcome answers), else the configured defaults.
  // InvalidArgument naming the field when: no recipient is known, a recipient has no card,
  // the person can be identified neither by a valid NHS number nor by family name + date of
  // birth + postcode, in_reply_to is not 32 hex characters, or the wire library refuses the
  // header.
  Result<SealedAlert> Seal(const codecs::InboundAlert& alert,
                           const std::vector<std::string>& fallback_recipients) const;

 private:
  const AdapterConfig& config_;
  const wire::AgencyKeys& keys_;
  const wire::SubjectKey& subject_key_;
  const PeerDirectory& peers_;
  const Clock& clock_;
};

}  // namespace hub::sdk
