#include "hub/wire/process_init.h"

#include <google/protobuf/stubs/logging.h>

#include "hub/base/logging.h"
#include "hub/wire/crypto_init.h"
#include "hub/wire/process_hardening.h"

namespace hub::wire {
namespace {

// protobuf reports parse problems (e.g. invalid UTF-8 in a string field) by field name,
// never by value; they are input problems, so they log at warn like other rejected input.
void ProtobufLog(google::protobuf::LogLevel level, const char* file, int line,
                 const std::string& message) {
  auto& log = Logger(Component::kWire);
  if (level >= google::protobuf::LOGLEVEL_FATAL) {
    log.critical("protobuf {}:{}: {}", file, line, message);
  } else if (level >= google::protobuf::LOGLEVEL_ERROR) {
    log.warn("protobuf: {}", message);
  } else {
    log.debug("protobuf: {}", message);
  }
}

}  // namespace

Status InitProcess(const std::string& program) {
  InitLogging(program);
  google::protobuf::SetLogHandler(&ProtobufLog);
  HUB_RETURN_IF_ERROR(InitCrypto());
  return DisableCoreDumps();
}

}  // namespace hub::wire
