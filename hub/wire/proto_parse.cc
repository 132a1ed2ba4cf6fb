#include "hub/wire/proto_parse.h"

#include <google/protobuf/io/coded_stream.h>

#include "hub/wire/unknown_fields.h"
#include "hub/wire/wire_status.h"

namespace hub::wire {

Status ParseMessageStrict(std::string_view bytes, const Limits& limits,
                          google::protobuf::Message* out, std::string_view path) {
  if (bytes.size() > limits.max_frame_bytes) {
    return LimitError(sghub::v1::REASON_CODE_FRAME_TOO_LARGE, path, "size in bytes", bytes.size(),
                      "max_frame_bytes", limits.max_frame_bytes);
  }
  out->Clear();
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  input.SetRecursionLimit(limits.parse_depth);
  if (!out->MergePartialFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    out->Clear();
    return FieldError(sghub::v1::REASON_CODE_MALFORMED_FRAME, path,
                      "is not a valid " + std::string(out->GetDescriptor()->full_name()) +
                          " (truncated, malformed, or nested deeper than parse_depth = " +
                          std::to_string(limits.parse_depth) + ")");
  }
  return RejectUnknownFields(*out, path);
}

}  // namespace hub::wire
