// Message records for the store tests: fixed header fields, the id and sealed bytes chosen
// by the test.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "hub/store/message_store.h"

namespace hub::store {

inline MessageRecord SampleMessage(const std::string& id,
                                   std::string envelope = std::string("sealed\0bytes", 12),
                                   int64_t accepted_ms = 1001) {
  MessageRecord r;
  r.message_id = id;
  r.sender = "nhs-north";
  r.kind = 1;
  r.category = 11;
  r.urgency = 2;
  r.created_ms = 1000;
  r.expires_ms = 9000;
  r.accepted_ms = accepted_ms;
  r.envelope = std::move(envelope);
  return r;
}

}  // namespace hub::store
