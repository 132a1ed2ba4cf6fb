// AdapterProcessFixture is the setup shared by the tests that run the real
// sghub-adapter-<kind> binaries against a real sghubd, whatever the transport: an
// AdapterTestEnv in a temp dir (hub config and keys, the three example agencies, the hub
// redelivering after 1 s), every agency's adapter config written for one transport, the
// running adapter processes by agency, and all their logs for failure messages.
//
// A transport's test derives from it, names the transport in the constructor and gives each
// agency's [transport.*] text through TransportToml().
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "tests/adapters/sdk/adapter_test_env.h"
#include "tests/testutil/temp_dir.h"

namespace hub::testutil {

class AdapterProcessFixture : public ::testing::Test {
 protected:
  // `transport` is the [transport] name every agency's config uses ("spool", "http").
  explicit AdapterProcessFixture(std::string transport) : transport_(std::move(transport)) {}

  // Creates the environment and writes every agency's config. Does not start the hub.
  void SetUp() override;
  // Kills the adapters before the derived fixture's members (e.g. a test HTTP server the
  // adapters deliver to) are destroyed.
  void TearDown() override;

  // The [transport.<name>] table text of `agency`'s config.
  virtual std::string TransportToml(const std::string& agency) const = 0;

  // Starts sghub-adapter-<kind> for `agency` into adapters_, replacing (and so killing) an
  // earlier process of it. A fatal test failure when it cannot be started.
  virtual void Start(const std::string& agency);

  // The hub's log and every agency's adapter log, headed by whose it is.
  std::string Logs() const;

  TempDir dir_;
  std::unique_ptr<AdapterTestEnv> env_;
  std::map<std::string, std::unique_ptr<ChildProcess>> adapters_;

 private:
  std::string transport_;
};

// docs/adapters/examples/`name` with its 2024 consent dates moved to 2099, so that the
// examples' consent is in force whenever the test runs.
std::string Example(const std::string& name);

// The example council-concern.json with abuse_category "rudeness" and urgency "whenever":
// two values outside their code lists, both of which the council codec must name.
std::string CouncilConcernWithTwoBadFields();

// The example council-concern.json addressed to the NHS trust only, with the case reference
// MOS-ASC-<1000 + i> so that each `i` gives a distinct document.
std::string NumberedCouncilConcernToNhs(int i);

}  // namespace hub::testutil
