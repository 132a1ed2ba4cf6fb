#include "hub/store/audit_chain.h"

#include <sodium.h>

#include <cstdint>

namespace hub::store {
namespace {

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

void PutField(std::string& out, const std::string& field) {
  PutU64(out, field.size());
  out += field;
}

}  // namespace

std::string CheckpointMessage(int64_t audit_seq, const std::string& audit_hash, int64_t at_ms) {
  std::string msg = "sghub.v1.checkpoint";
  msg.push_back('\0');
  PutU64(msg, static_cast<uint64_t>(audit_seq));
  msg += audit_hash;
  PutU64(msg, static_cast<uint64_t>(at_ms));
  return msg;
}

std::string AuditEntryHash(const std::string& prev_hash, const AuditEntry& entry) {
  std::string msg = "sghub.v1.audit";
  msg.push_back('\0');
  PutField(msg, prev_hash);
  PutU64(msg, static_cast<uint64_t>(entry.seq));
  PutU64(msg, static_cast<uint64_t>(entry.at_ms));
  PutField(msg, entry.event);
  PutField(msg, entry.actor);
  PutField(msg, entry.message_id);
  PutField(msg, entry.recipient);
  PutU64(msg, static_cast<uint64_t>(static_cast<uint32_t>(entry.reason_code)));
  PutU64(msg, static_cast<uint64_t>(static_cast<uint32_t>(entry.basis)));
  PutField(msg, entry.subject_refs);
  PutField(msg, entry.detail);
  std::string hash(kAuditHashBytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), nullptr, 0);
  return hash;
}

}  // namespace hub::store
