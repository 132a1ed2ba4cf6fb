#include "hub/policy/subject_consent_history.h"

#include <utility>

namespace hub::policy {

void SubjectConsentHistory::Record(std::string subject_ref, ConsentRecord record) {
  records_[std::move(subject_ref)].push_back(std::move(record));
}

const ConsentRecord* SubjectConsentHistory::Latest(std::string_view subject_ref,
                                                   int64_t now_ms) const {
  auto it = records_.find(subject_ref);
  if (it == records_.end()) {
    return nullptr;
  }
  const ConsentRecord* latest = nullptr;
  for (const ConsentRecord& record : it->second) {
    if (record.recorded_at_ms > now_ms) {
      continue;
    }
    // ">=" so that of equal times the record made later wins.
    if (latest == nullptr || record.recorded_at_ms >= latest->recorded_at_ms) {
      latest = &record;
    }
  }
  return latest;
}

const ConsentRecord* SubjectConsentHistory::BlockingRecord(
    std::span<const std::string> subject_refs, int64_t now_ms) const {
  const ConsentRecord* blocking = nullptr;
  for (const std::string& ref : subject_refs) {
    const ConsentRecord* latest = Latest(ref, now_ms);
    if (latest == nullptr) {
      continue;
    }
    bool blocks = latest->state == sghub::v1::CONSENT_STATE_WITHDRAWN ||
                  latest->state == sghub::v1::CONSENT_STATE_REFUSED;
    if (blocks && (blocking == nullptr || latest->recorded_at_ms > blocking->recorded_at_ms)) {
      blocking = latest;
    }
  }
  return blocking;
}

}  // namespace hub::policy
