#include "hub/config/endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstdint>

namespace hub::config {
namespace {

constexpr std::string_view kTcp = "tcp://";
constexpr std::string_view kIpc = "ipc://";

bool IsIpv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool IsIpv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

bool IsWildcard(const std::string& host) {
  if (host == "*") {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return v4.s_addr == htonl(INADDR_ANY);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    // "::" and its IPv4-mapped spelling "::ffff:0.0.0.0" both mean every interface.
    const bool mapped_any = IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 0 &&
                            v6.s6_addr[13] == 0 && v6.s6_addr[14] == 0 && v6.s6_addr[15] == 0;
    return IN6_IS_ADDR_UNSPECIFIED(&v6) || mapped_any;
  }
  return false;
}

Result<std::string> NormalizeTcp(std::string_view endpoint, std::string_view rest,
                                 bool allow_public_bind) {
  std::string host;
  std::string_view port_text;
  bool bracketed = !rest.empty() && rest.front() == '[';
  if (bracketed) {
    size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return Status::InvalidArgument("\"" + std::string(endpoint) + "\" is not tcp://[IPV6]:PORT");
    }
    host = std::string(rest.substr(1, close - 1));
    port_text = rest.substr(close + 2);
  } else {
    size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidArgument("\"" + std::string(endpoint) +
                                     "\" has no port; write tcp://IP:PORT");
    }
    host = std::string(rest.substr(0, colon));
    port_text = rest.substr(colon + 1);
    if (host.find(':') != std::string::npos) {
      return Status::InvalidArgument("\"" + std::string(endpoint) +
                                     "\": put an IPv6 address in brackets, tcp://[IPV6]:PORT");
    }
  }
  if (host.empty()) {
    return Status::InvalidArgument("\"" + std::string(endpoint) + "\" has no host");
  }

  uint32_t port = 0;
  bool port_ok = !port_text.empty() && port_text.size() <= 5;
  for (char c : port_text) {
    if (c < '0' || c > '9') {
      port_ok = false;
      break;
    }
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (!port_ok || port == 0 || port > 65535) {
    return Status::InvalidArgument("\"" + std::string(endpoint) +
                                   "\": port must be a number from 1 to 65535 (a daemon needs a "
                                   "fixed port, so \"*\" and 0 are refused)");
  }

  bool is_ip = host == "*" || (bracketed ? IsIpv6(host) : IsIpv4(host));
  if (!is_ip) {
    return Status::InvalidArgument(
        "\"" + host +
        "\" is not an IP address; give the literal address of the interface to "
        "listen on (hostnames and interface names are not accepted)");
  }
  if (IsWildcard(host) && !allow_public_bind) {
    return Status::InvalidArgument(
        "\"" + std::string(endpoint) +
        "\" binds every interface; name one address, or set hub.allow_public_bind = true if "
        "that is really meant");
  }
  return std::string(endpoint);
}

Result<std::string> NormalizeIpc(std::string_view endpoint, std::string_view rest,
                                 const std::filesystem::path& base_dir) {
  if (rest.empty()) {
    return Status::InvalidArgument("\"" + std::string(endpoint) + "\" has no socket path");
  }
  if (rest.front() == '@') {
    return Status::InvalidArgument("\"" + std::string(endpoint) +
                                   "\": abstract sockets have no file permissions; use a path");
  }
  if (rest.find('*') != std::string_view::npos) {
    return Status::InvalidArgument("\"" + std::string(endpoint) +
                                   "\": give a fixed socket path, not a wildcard");
  }
  std::filesystem::path path(rest);
  if (path.is_relative()) {
    path = base_dir / path;
  }
  path = path.lexically_normal();
  HUB_RETURN_IF_ERROR(CheckUnixSocketPath(path));
  return std::string(kIpc) + path.string();
}

}  // namespace

Result<std::string> NormalizeListenEndpoint(std::string_view endpoint,
                                            const std::filesystem::path& base_dir,
                                            bool allow_public_bind) {
  if (endpoint.starts_with(kTcp)) {
    return NormalizeTcp(endpoint, endpoint.substr(kTcp.size()), allow_public_bind);
  }
  if (endpoint.starts_with(kIpc)) {
    return NormalizeIpc(endpoint, endpoint.substr(kIpc.size()), base_dir);
  }
  return Status::InvalidArgument("\"" + std::string(endpoint) +
                                 "\" must be tcp://IP:PORT or ipc://PATH");
}

Status CheckUnixSocketPath(const std::filesystem::path& path) {
  constexpr size_t kMaxPath = sizeof(sockaddr_un{}.sun_path) - 1;
  if (path.native().size() > kMaxPath) {
    return Status::InvalidArgument(
        "socket path \"" + path.string() + "\" is " + std::to_string(path.native().size()) +
        " bytes; Unix sockets allow at most " + std::to_string(kMaxPath));
  }
  return Status::Ok();
}

}  // namespace hub::config
