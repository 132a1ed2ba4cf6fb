// Shape checks for the hub's listen endpoint and its local socket paths. The hub only ever
// binds where the operator said, so a tcp host must be a literal IP address; the wildcard
// ("*", 0.0.0.0, [::]) exposes the hub on every interface and needs an explicit opt-in.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "hub/base/result.h"

namespace hub::config {

// Validates `endpoint` and returns it in the form ZeroMQ binds to:
//   tcp://IPV4:PORT or tcp://[IPV6]:PORT   PORT 1..65535; wildcard host only when
//                                          `allow_public_bind`; hostnames never.
//   ipc://PATH                              a relative PATH is resolved against `base_dir`
//                                          (the result names the absolute path); abstract
//                                          ("@...") and temporary ("*") sockets are refused.
// InvalidArgument with a reason (no key) otherwise.
Result<std::string> NormalizeListenEndpoint(std::string_view endpoint,
                                            const std::filesystem::path& base_dir,
                                            bool allow_public_bind);

// A Unix socket path must fit in sockaddr_un.sun_path (107 bytes plus the terminator).
// `path` should already be absolute. InvalidArgument with a reason otherwise.
Status CheckUnixSocketPath(const std::filesystem::path& path);

}  // namespace hub::config
