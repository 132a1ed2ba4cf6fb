#include "hub/wire/curve.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/hub/wire/wire_test_util.h"

namespace hub::wire {
namespace {

TEST(CurveTest, ClientWithTheRightServerKeyTalksToTheServer) {
  const AgencyKeys hub = testing::MakeAgency("hub", sghub::v1::AGENCY_KIND_HUB);
  const AgencyKeys agency = testing::MakeAgency("nhs-north", sghub::v1::AGENCY_KIND_NHS_MH);
  zmq::context_t ctx;
  zmq::socket_t server(ctx, zmq::socket_type::router);
  zmq::socket_t client(ctx, zmq::socket_type::dealer);
  // No ZAP handler in this test: libzmq then admits any client that knows the server key,
  // which is exactly the handshake this test checks.
  ASSERT_TRUE(ConfigureCurveServer(server, hub.transport_secret(), "sghub").ok());
  server.bind("tcp://127.0.0.1:*");
  const std::string endpoint = server.get(zmq::sockopt::last_endpoint);
  ASSERT_TRUE(
      ConfigureCurveClient(client, agency.card(), agency.transport_secret(), hub.card().transport)
          .ok());
  client.set(zmq::sockopt::linger, 0);
  server.set(zmq::sockopt::linger, 0);
  client.connect(endpoint);
  ASSERT_TRUE(client.send(zmq::str_buffer("hello"), zmq::send_flags::none).has_value());

  server.set(zmq::sockopt::rcvtimeo, 5000);
  zmq::message_t routing_id;
  zmq::message_t payload;
  ASSERT_TRUE(server.recv(routing_id).has_value());
  ASSERT_TRUE(server.recv(payload).has_value());
  EXPECT_EQ(payload.to_string(), "hello");
}

TEST(CurveTest, RefusesSecretOfTheWrongSizeWithoutThrowing) {
  zmq::context_t ctx;
  zmq::socket_t server(ctx, zmq::socket_type::router);
  SecretKey empty;
  EXPECT_TRUE(ConfigureCurveServer(server, empty, "sghub").IsInvalidArgument());
}

TEST(CurveTest, ZmqErrorsBecomeStatus) {
  const AgencyKeys hub = testing::MakeAgency("hub", sghub::v1::AGENCY_KIND_HUB);
  zmq::context_t ctx;
  zmq::socket_t server(ctx, zmq::socket_type::router);
  // libzmq refuses a ZAP domain longer than 255 bytes with EINVAL; cppzmq throws.
  EXPECT_TRUE(
      ConfigureCurveServer(server, hub.transport_secret(), std::string(300, 'z')).IsIOError());
}

}  // namespace
}  // namespace hub::wire
