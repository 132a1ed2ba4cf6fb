// council_json: a local authority's safeguarding concern / Care Act s42 referral as JSON,
// and s42 decisions and outcomes going back. Schema, mapping and examples:
// docs/adapters/council.md and docs/adapters/examples/council-*.json.
#pragma once

#include "adapters/codecs/codec.h"

namespace hub::codecs {

class CouncilJsonCodec final : public Codec {
 public:
  std::string_view name() const override { return "council_json"; }
  DecodeResult Decode(std::string_view document) const override;
  Result<std::string> Encode(const DeliveredAlert& alert) const override;
  Result<std::string> EncodeNotice(const sghub::v1::NoticeBody& notice) const override;
  std::string_view file_extension() const override { return ".json"; }
};

}  // namespace hub::codecs
