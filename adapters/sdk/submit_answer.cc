#include "adapters/sdk/submit_answer.h"

#include "sghub/v1/common.pb.h"

namespace hub::sdk {
namespace {

std::string CodeName(sghub::v1::ReasonCode code) {
  std::string name = sghub::v1::ReasonCode_Name(code);
  constexpr std::string_view kPrefix = "REASON_CODE_";
  if (name.rfind(kPrefix, 0) == 0) {
    name.erase(0, kPrefix.size());
  }
  return name.empty() ? std::to_string(static_cast<int>(code)) : name;
}

}  // namespace

std::string SubmitAnswer::Summary() const {
  if (!accepted) {
    std::string out = "refused: " + CodeName(refused_msg.reason_code());
    if (!refused_msg.field().empty()) {
      out += " " + refused_msg.field();
    }
    return out + ": " + refused_msg.reason();
  }
  std::string out = "accepted:";
  bool first = true;
  for (const auto& r : accepted_msg.results()) {
    out += first ? " " : "; ";
    first = false;
    out += r.recipient();
    if (r.queued()) {
      out += " queued";
    } else {
      out += " not queued (" + CodeName(r.reason_code()) + ": " + r.reason() + ")";
    }
  }
  return out;
}

}  // namespace hub::sdk
