#include "hub/ctl/command_table.h"

#include "hub/ctl/keygen_command.h"
#include "hub/ctl/keygen_subject_command.h"

namespace hub::ctl {

std::span<const CommandEntry> Commands() {
  static constexpr CommandEntry kCommands[] = {
      {"keygen", &AddKeygenCommand},
      {"keygen-subject", &AddKeygenSubjectCommand},
  };
  return kCommands;
}

}  // namespace hub::ctl
