#include "hub/wire/process_hardening.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace hub::wire {

Status DisableCoreDumps() {
  struct rlimit none = {0, 0};
  if (setrlimit(RLIMIT_CORE, &none) != 0) {
    return Status::IOError(std::string("setrlimit(RLIMIT_CORE, 0) failed: ") +
                           std::strerror(errno));
  }
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    return Status::IOError(std::string("prctl(PR_SET_DUMPABLE, 0) failed: ") +
                           std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace hub::wire
