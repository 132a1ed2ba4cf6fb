#include "hub/config/endpoint.h"

#include <gtest/gtest.h>

#include <string>

namespace hub::config {
namespace {

std::string Reason(const Result<std::string>& r) {
  return r.ok() ? std::string("(accepted)") : r.status().message();
}

TEST(EndpointTest, AcceptsExplicitTcpAddresses) {
  EXPECT_EQ(*NormalizeListenEndpoint("tcp://127.0.0.1:7800", "/etc/sghub", false),
            "tcp://127.0.0.1:7800");
  EXPECT_EQ(*NormalizeListenEndpoint("tcp://10.1.2.3:1", "/etc/sghub", false), "tcp://10.1.2.3:1");
  EXPECT_EQ(*NormalizeListenEndpoint("tcp://[::1]:65535", "/etc/sghub", false),
            "tcp://[::1]:65535");
}

TEST(EndpointTest, RefusesWildcardsUnlessPublicBindIsAllowed) {
  for (const char* wildcard : {"tcp://*:7800", "tcp://0.0.0.0:7800", "tcp://[::]:7800",
                               "tcp://[::ffff:0.0.0.0]:7800", "tcp://[0:0:0:0:0:0:0:0]:7800"}) {
    Result<std::string> refused = NormalizeListenEndpoint(wildcard, "/", false);
    EXPECT_FALSE(refused.ok()) << wildcard;
    EXPECT_NE(Reason(refused).find("allow_public_bind"), std::string::npos) << wildcard;
    EXPECT_TRUE(NormalizeListenEndpoint(wildcard, "/", true).ok()) << wildcard;
  }
}

TEST(EndpointTest, RefusesHostnamesEvenWithPublicBind) {
  Result<std::string> r = NormalizeListenEndpoint("tcp://localhost:7800", "/", true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Reason(r).find("not an IP address"), std::string::npos);
  EXPECT_FALSE(NormalizeListenEndpoint("tcp://eth0:7800", "/", true).ok());
  EXPECT_FALSE(NormalizeListenEndpoint("tcp://[localhost]:7800", "/", true).ok());
}

TEST(EndpointTest, RefusesMalformedTcp) {
  for (const char* bad :
       {"tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp://127.0.0.1:0", "tcp://127.0.0.1:65536",
        "tcp://127.0.0.1:*", "tcp://127.0.0.1:80a", "tcp://:7800", "tcp://::1:7800",
        "tcp://[::1]7800", "tcp://[::1", "tcp://127.0.0.1:7800;10.0.0.1:1", "tcp://1.2.3:7800"}) {
    EXPECT_FALSE(NormalizeListenEndpoint(bad, "/", true).ok()) << bad;
  }
}

TEST(EndpointTest, RefusesOtherTransports) {
  for (const char* bad : {"udp://127.0.0.1:7800", "inproc://hub", "127.0.0.1:7800", "",
                          "TCP://127.0.0.1:7800", "ws://127.0.0.1:80"}) {
    Result<std::string> r = NormalizeListenEndpoint(bad, "/", true);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_NE(Reason(r).find("tcp://IP:PORT or ipc://PATH"), std::string::npos) << bad;
  }
}

TEST(EndpointTest, ResolvesRelativeIpcPathsAgainstTheConfigDirectory) {
  EXPECT_EQ(*NormalizeListenEndpoint("ipc://hub.sock", "/etc/sghub", false),
            "ipc:///etc/sghub/hub.sock");
  EXPECT_EQ(*NormalizeListenEndpoint("ipc://../run/./hub.sock", "/etc/sghub", false),
            "ipc:///etc/run/hub.sock");
  EXPECT_EQ(*NormalizeListenEndpoint("ipc:///run/sghub/hub.sock", "/etc/sghub", false),
            "ipc:///run/sghub/hub.sock");
}

TEST(EndpointTest, RefusesAbstractWildcardAndOverlongIpcPaths) {
  EXPECT_FALSE(NormalizeListenEndpoint("ipc://@hub", "/", false).ok());
  EXPECT_FALSE(NormalizeListenEndpoint("ipc://*", "/", false).ok());
  EXPECT_FALSE(NormalizeListenEndpoint("ipc://", "/", false).ok());
  std::string long_name(120, 'a');
  Result<std::string> r = NormalizeListenEndpoint("ipc:///" + long_name, "/", false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Reason(r).find("at most 107"), std::string::npos);
}

TEST(EndpointTest, SocketPathLimitIsSunPathLength) {
  EXPECT_TRUE(CheckUnixSocketPath("/" + std::string(106, 'a')).ok());
  EXPECT_FALSE(CheckUnixSocketPath("/" + std::string(107, 'a')).ok());
}

}  // namespace
}  // namespace hub::config
