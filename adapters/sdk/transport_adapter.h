// TransportAdapter is the adapter that the sghub-adapter-<kind> binaries run: a codec (the
// agency's document format) paired with a transport (how documents move between the agency's
// system and the adapter). Inbound documents go transport -> codec -> SDK; deliveries and
// notices go SDK -> codec -> transport, and are acknowledged once the transport has them.
#pragma once

#include "adapters/codecs/codec.h"
#include "adapters/sdk/adapter_base.h"
#include "adapters/sdk/transport.h"

namespace hub::sdk {

class TransportAdapter final : public AdapterBase {
 public:
  TransportAdapter(codecs::CodecPtr codec, TransportPtr transport,
                   ClockPtr clock = std::make_unique<SystemClock>());
  ~TransportAdapter() override;

  const codecs::Codec& codec() const { return *codec_; }
  Transport& transport() { return *transport_; }

 protected:
  Status HandleAlert(const Delivered& alert) override;
  Status HandleNotice(const sghub::v1::NoticeBody& notice) override;
  Status OnStart() override;
  void OnStop() override;

 private:
  codecs::CodecPtr codec_;
  TransportPtr transport_;
};

}  // namespace hub::sdk
