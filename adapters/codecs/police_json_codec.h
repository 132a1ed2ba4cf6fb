// police_json: the police "adult at risk / vulnerability" notification as JSON, and police
// outcomes (crime recorded with its crime reference, no further action...) going back.
// Schema, mapping and examples: docs/adapters/police.md, docs/adapters/examples/police-*.json.
#pragma once

#include "adapters/codecs/codec.h"

namespace hub::codecs {

class PoliceJsonCodec final : public Codec {
 public:
  std::string_view name() const override { return "police_json"; }
  DecodeResult Decode(std::string_view document) const override;
  Result<std::string> Encode(const DeliveredAlert& alert) const override;
  Result<std::string> EncodeNotice(const sghub::v1::NoticeBody& notice) const override;
  std::string_view file_extension() const override { return ".json"; }
};

}  // namespace hub::codecs
