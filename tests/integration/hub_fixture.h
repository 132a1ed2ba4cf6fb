// A fixture for integration tests: a TestWorld with an NHS trust, a council and a police
// force, a real sghubd process on it, and helpers to connect agencies as test clients.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <zmq.hpp>

#include "tests/testutil/hub_client.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_world.h"

namespace hub::testutil {

class HubFixture : public ::testing::Test {
 protected:
  // Extra [limits] keys for the hub config, e.g. "redeliver_after_ms = 300\n".
  virtual std::string ExtraLimits() const { return ""; }

  void SetUp() override;
  void TearDown() override;

  // Starts sghubd and waits until an agency can complete HELLO/WELCOME.
  void StartHub();
  // SIGKILLs the hub and waits for it.
  void KillHub();
  // SIGTERMs the hub and returns its exit code.
  int StopHub();
  std::unique_ptr<HubClient> ConnectAs(const std::string& agency, uint32_t max_in_flight = 0);
  std::string HubLog() const { return ReadFile(dir_ / "sghubd.log"); }

  TempDir dir_;
  std::unique_ptr<TestWorld> world_;
  std::unique_ptr<ChildProcess> hub_;
  zmq::context_t context_{1};
};

}  // namespace hub::testutil
