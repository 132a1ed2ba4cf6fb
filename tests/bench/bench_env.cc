#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "tests/bench/scenarios.h"

namespace hub::bench {
namespace {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it).
Result<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Status::IOError("socket failed");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return Status::IOError("cannot find a free loopback port");
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

}  // namespace

Result<BenchEnv> MakeEnv(const std::filesystem::path& dir, const std::string& transport,
                         const BenchOptions& options, bool seal) {
  BenchEnv env;
  env.transport = transport;
  std::string listen;
  if (transport == "tcp") {
    HUB_ASSIGN_OR_RETURN(int port, FreeLoopbackPort());
    listen = "tcp://127.0.0.1:" + std::to_string(port);
  } else if (transport != "ipc") {
    return Status::InvalidArgument("transport must be tcp or ipc, not " + transport);
  }
  std::vector<testutil::AgencySpec> agencies = {{"council", sghub::v1::AGENCY_KIND_COUNCIL},
                                                {"police", sghub::v1::AGENCY_KIND_POLICE}};
  std::vector<std::string> senders;
  for (int s = 0; s < options.senders; ++s) {
    senders.push_back("nhs-" + std::to_string(s + 1));
    agencies.push_back({senders.back(), sghub::v1::AGENCY_KIND_NHS_MH});
  }
  HUB_ASSIGN_OR_RETURN(env.world,
                       testutil::TestWorld::Create(dir, agencies, options.hub_limits, listen));
  env.source = std::make_unique<AlertSource>(*env.world, senders,
                                             std::vector<std::string>{"council", "police"},
                                             options.body_bytes);
  if (seal) {
    const uint64_t count =
        std::max(options.alerts, options.latency_warmup + options.latency_alerts);
    HUB_RETURN_IF_ERROR(env.source->SealAll(count, options.seal_threads));
  }
  return env;
}

}  // namespace hub::bench
