// The client side of the hub's status socket (hub/core/status_server.h): connect to the
// AF_UNIX socket, send one request line, read the answer until the server closes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "hub/base/result.h"

namespace hub::ctl {

inline constexpr const char* kDefaultStatusSocket = "/run/sghub/status.sock";

// Sends `request` ("status" or "metrics") and returns the whole answer. Unavailable when the
// socket cannot be reached (missing, refused, no permission: the message says which and
// what to check), IOError when the conversation fails or exceeds `timeout_ms`.
Result<std::string> QueryStatusSocket(const std::filesystem::path& socket, std::string_view request,
                                      int timeout_ms);

}  // namespace hub::ctl
