// The hub fails closed: without a running ZAP handler no CURVE client completes a handshake,
// and a broker whose ZAP handler dies stops instead of serving.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <zmq.hpp>

#include "hub/base/clock.h"
#include "hub/config/hub_config.h"
#include "hub/core/agency_registry.h"
#include "hub/core/broker.h"
#include "hub/core/hub_signer.h"
#include "hub/core/listener.h"
#include "hub/core/zap_handler.h"
#include "hub/policy/policy_config.h"
#include "hub/store/sqlite_store.h"
#include "hub/wire/crypto_init.h"
#include "tests/testutil/hub_client.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_world.h"

namespace hub::core {
namespace {

class ZapGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wire::InitCrypto().ok());
    auto world = testutil::TestWorld::Create(dir_.path(),
                                             {{"nhs-north", sghub::v1::AGENCY_KIND_NHS_MH}});
    ASSERT_TRUE(world.ok());
    world_ = std::move(*world);
    auto config = config::LoadHubConfig(world_->config_path());
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    config_ = std::move(*config);
    registry_ = std::make_unique<RegistryHolder>(
        std::make_shared<const AgencyRegistry>(config_.agencies));
  }

  bool ClientCompletesHandshake() {
    auto client = testutil::HubClient::ConnectRaw(context_, world_->endpoint(),
                                                  world_->agency("nhs-north"),
                                                  world_->hub().card().transport);
    EXPECT_TRUE(client.ok());
    zmq::socket_t monitor(context_, zmq::socket_type::pair);
    const std::string address = "inproc://monitor-" + std::to_string(++monitors_);
    zmq_socket_monitor((*client)->socket().handle(), address.c_str(),
                       ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                           ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                           ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL);
    monitor.connect(address);
    monitor.set(zmq::sockopt::rcvtimeo, 3000);
    // Events that arrived before the monitor connected are lost, so reconnect to be sure.
    (*client)->socket().disconnect(world_->endpoint());
    (*client)->socket().connect(world_->endpoint());
    while (true) {
      zmq::message_t event;
      if (!monitor.recv(event)) {
        return false;  // no success within the timeout
      }
      uint16_t id = 0;
      std::memcpy(&id, event.data(), sizeof(id));
      zmq::message_t address_part;
      (void)monitor.recv(address_part);
      if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
        return true;
      }
      if (id != 0) {
        return false;
      }
    }
  }

  testutil::TempDir dir_;
  std::unique_ptr<testutil::TestWorld> world_;
  config::HubConfig config_;
  std::unique_ptr<RegistryHolder> registry_;
  zmq::context_t context_{1};
  int monitors_ = 0;
};

TEST_F(ZapGuardTest, NoHandshakeSucceedsWithoutAZapHandler) {
  zmq::socket_t listener(context_, zmq::socket_type::router);
  ASSERT_TRUE(ConfigureListener(listener, config_, world_->hub()).ok());
  EXPECT_FALSE(ClientCompletesHandshake());
}

TEST_F(ZapGuardTest, HandshakesStopSucceedingWhenTheZapHandlerDies) {
  ZapHandler zap(context_, *registry_, kZapDomain);
  ASSERT_TRUE(zap.Start().ok());
  zmq::socket_t listener(context_, zmq::socket_type::router);
  ASSERT_TRUE(ConfigureListener(listener, config_, world_->hub()).ok());
  EXPECT_TRUE(ClientCompletesHandshake());
  zap.KillForTest();
  EXPECT_FALSE(zap.alive());
  EXPECT_FALSE(ClientCompletesHandshake());
}

TEST_F(ZapGuardTest, BrokerStopsWhenItsZapHandlerDies) {
  auto store = store::SqliteStore::Open(dir_ / "broker.db");
  ASSERT_TRUE(store.ok());
  policy::PolicyEngine policy(policy::DefaultPolicy());
  HubSigner signer(world_->hub().signing_secret());
  SystemClock clock;
  ZapHandler zap(context_, *registry_, kZapDomain);
  ASSERT_TRUE(zap.Start().ok());
  zmq::socket_t listener(context_, zmq::socket_type::router);
  ASSERT_TRUE(ConfigureListener(listener, config_, world_->hub()).ok());
  Broker broker(config_, *registry_, **store, policy, signer, clock, listener, zap, {});
  int code = -1;
  std::thread loop([&] { code = broker.Run(-1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  zap.KillForTest();
  loop.join();
  EXPECT_EQ(code, kExitZapDied);
}

}  // namespace
}  // namespace hub::core
