// The policy engine's header input: the explain document (and a bare header) as JSON, then
// the default policy's decision. Decide must give exactly one decision per recipient, and a
// refusal always carries a reason code.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hub/policy/explain.h"
#include "hub/policy/policy_config.h"
#include "hub/policy/policy_engine.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hub::policy::PolicyEngine engine(hub::policy::DefaultPolicy());
  std::string_view json(reinterpret_cast<const char*>(data), size);
  (void)hub::policy::HeaderFromJson(json);
  auto input = hub::policy::ExplainInputFromJson(json);
  if (!input.ok()) {
    return 0;
  }
  auto decisions = engine.Decide(input->header, input->recipients, input->history, input->now_ms);
  FUZZ_CHECK(decisions.size() == input->recipients.size());
  for (const hub::policy::Decision& d : decisions) {
    FUZZ_CHECK(d.verdict == hub::policy::Verdict::kAllow || d.reason_code != 0);
  }
  (void)hub::policy::ExplainDecisions(decisions);
  (void)hub::policy::DecisionsToJson(decisions);
  return 0;
}
