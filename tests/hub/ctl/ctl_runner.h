// Runs the built sghubctl binary ($SGHUB_BUILD_DIR/hub/ctl/sghubctl) as an operator would,
// capturing its exit code, stdout and stderr separately.
#pragma once

#include <string>
#include <vector>

namespace hub::ctl {

struct CtlRun {
  int exit_code = -1;  // -1 when it did not exit normally
  std::string out;
  std::string err;
};

// Each argument is passed as one word (quoted for the shell).
CtlRun RunCtl(const std::vector<std::string>& args);

}  // namespace hub::ctl
