#include "hub/ctl/command_table.h"

#include "hub/ctl/agencies_command.h"
#include "hub/ctl/audit_command.h"
#include "hub/ctl/keygen_command.h"
#include "hub/ctl/keygen_subject_command.h"
#include "hub/ctl/metrics_command.h"
#include "hub/ctl/overdue_command.h"
#include "hub/ctl/policy_command.h"
#include "hub/ctl/queues_command.h"
#include "hub/ctl/status_command.h"
#include "hub/ctl/watch_command.h"

namespace hub::ctl {

std::span<const CommandEntry> Commands() {
  static constexpr CommandEntry kCommands[] = {
      {"keygen", &AddKeygenCommand},
      {"keygen-subject", &AddKeygenSubjectCommand},
      {"status", &AddStatusCommand},
      {"watch", &AddWatchCommand},
      {"agencies", &AddAgenciesCommand},
      {"queues", &AddQueuesCommand},
      {"overdue", &AddOverdueCommand},
      {"metrics", &AddMetricsCommand},
      {"policy", &AddPolicyCommand},
      {"audit", &AddAuditCommand},
  };
  return kCommands;
}

}  // namespace hub::ctl
