#include "tests/integration/hub_fixture.h"

#include <signal.h>

#include <chrono>
#include <thread>

namespace hub::testutil {

void HubFixture::SetUp() {
  auto world = TestWorld::Create(dir_.path(),
                                 {{"nhs-north", sghub::v1::AGENCY_KIND_NHS_MH},
                                  {"council-west", sghub::v1::AGENCY_KIND_COUNCIL},
                                  {"police-west", sghub::v1::AGENCY_KIND_POLICE}},
                                 ExtraLimits());
  ASSERT_TRUE(world.ok()) << world.status().ToString();
  world_ = std::move(*world);
}

void HubFixture::TearDown() {
  if (hub_ && hub_->Running()) {
    hub_->Signal(SIGKILL);
    hub_->Wait(5000);
  }
}

void HubFixture::StartHub() {
  auto hub = ChildProcess::StartHub(world_->config_path(), dir_ / "sghubd.log");
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  hub_ = std::move(*hub);
  // Ready when an agency completes the handshake; poll rather than sleep a fixed time.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(hub_->Running()) << "sghubd exited during start:\n" << HubLog();
    auto probe = HubClient::Connect(context_, world_->endpoint(), world_->agency("nhs-north"),
                                    world_->hub().card().transport, 200);
    if (probe.ok()) {
      return;
    }
  }
  FAIL() << "sghubd did not become ready:\n" << HubLog();
}

void HubFixture::KillHub() {
  hub_->Signal(SIGKILL);
  ASSERT_EQ(hub_->Wait(10000), 128 + SIGKILL);
}

int HubFixture::StopHub() {
  hub_->Signal(SIGTERM);
  return hub_->Wait(20000);
}

std::unique_ptr<HubClient> HubFixture::ConnectAs(const std::string& agency,
                                                 uint32_t max_in_flight) {
  auto client = HubClient::Connect(context_, world_->endpoint(), world_->agency(agency),
                                   world_->hub().card().transport, 5000, max_in_flight);
  EXPECT_TRUE(client.ok()) << agency << ": " << client.status().ToString() << "\n" << HubLog();
  return client.ok() ? std::move(*client) : nullptr;
}

}  // namespace hub::testutil
