// Hard limits on what the wire library accepts. Every breach is InvalidArgument carrying the
// matching sghub.v1.ReasonCode (e.g. REASON_CODE_FRAME_TOO_LARGE), the field path, and a
// message naming the limit and the value seen. The hub announces its limits in Welcome.
#pragma once

#include <cstdint>

namespace hub::wire {

struct Limits {
  uint32_t max_frame_bytes = 256 * 1024;  // whole frame, preamble included; also bounds envelopes
  uint32_t max_header_bytes = 8 * 1024;   // serialised Header inside an Envelope
  uint32_t max_recipients = 16;           // header.recipients
  uint32_t max_subject_refs = 8;          // header.subject_refs
  uint32_t max_body_bytes = 192 * 1024;   // serialised AlertBody (plaintext)
  int parse_depth = 16;                   // protobuf recursion limit for every parse
};

}  // namespace hub::wire
