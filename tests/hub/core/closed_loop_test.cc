// The closed loop with a fake clock: the real Daemon runs in this process on a thread with a
// FakeClock, test clients connect over CurveZMQ, and the test moves time past each deadline.
// Each stage escalates exactly once, to the sender and to the recipient's escalation
// contact; an outcome stops further escalation and reaches the sender end-to-end encrypted.
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <zmq.hpp>

#include "hub/base/clock.h"
#include "hub/config/hub_config.h"
#include "hub/core/daemon.h"
#include "hub/wire/crypto_init.h"
#include "hub/wire/envelope.h"
#include "hub/wire/limits.h"
#include "hub/wire/notice.h"
#include "tests/testutil/hub_client.h"
#include "tests/testutil/temp_dir.h"
#include "tests/testutil/test_world.h"

namespace hub::core {
namespace {

using testutil::Delivery;
using testutil::HubClient;

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;

int64_t RealNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ClosedLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wire::InitCrypto().ok());
    // council-west names council-lead as the contact to escalate to when it does not respond.
    auto world = testutil::TestWorld::Create(
        dir_.path(), {{"nhs-north", sghub::v1::AGENCY_KIND_NHS_MH},
                      {"council-west", sghub::v1::AGENCY_KIND_COUNCIL, "council-lead"},
                      {"council-lead", sghub::v1::AGENCY_KIND_COUNCIL}});
    ASSERT_TRUE(world.ok()) << world.status().ToString();
    world_ = std::move(*world);
    auto config = config::LoadHubConfig(world_->config_path());
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    daemon_ = std::make_unique<Daemon>(std::move(*config), &clock_);
    thread_ = std::thread([this] { exit_code_ = daemon_->Run(); });
    nhs_ = Connect("nhs-north");
    council_ = Connect("council-west");
    lead_ = Connect("council-lead");
    ASSERT_TRUE(nhs_ && council_ && lead_);
  }

  void TearDown() override {
    nhs_.reset();
    council_.reset();
    lead_.reset();
    if (thread_.joinable()) {
      pthread_kill(thread_.native_handle(), SIGTERM);
      thread_.join();
      EXPECT_EQ(exit_code_, 0);
    }
  }

  std::unique_ptr<HubClient> Connect(const std::string& agency) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto c = HubClient::Connect(context_, world_->endpoint(), world_->agency(agency),
                                  world_->hub().card().transport, 200);
      if (c.ok()) {
        return std::move(*c);
      }
    }
    ADD_FAILURE() << agency << " could not connect to the in-process daemon";
    return nullptr;
  }

  // The next new delivery within `timeout_ms` (acked), or nothing. Redeliveries of what the
  // client already had are acked and skipped, as an adapter de-duplicates by id: moving the
  // fake clock can pass the redelivery timeout of a notice not yet read.
  std::optional<Delivery> Next(HubClient& client, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) {
        return std::nullopt;
      }
      auto d = client.NextDelivery(static_cast<int>(left));
      if (!d.ok()) {
        return std::nullopt;
      }
      EXPECT_TRUE(client.Ack(*d).ok());
      if (seen_[&client].insert(d->message_id).second) {
        return *d;
      }
    }
  }

  // Verifies a delivered notice's hub signature and returns its body.
  sghub::v1::NoticeBody NoticeBody(const Delivery& d) {
    EXPECT_TRUE(d.is_notice);
    auto body = wire::VerifyNotice(d.notice, world_->hub().card().signing, wire::Limits{});
    EXPECT_TRUE(body.ok()) << body.status().ToString();
    return body.ok() ? *body : sghub::v1::NoticeBody();
  }

  // Waits for one escalation notice at `client`, skipping delivery reports.
  sghub::v1::NoticeBody NextEscalation(HubClient& client) {
    for (int i = 0; i < 5; ++i) {
      std::optional<Delivery> d = Next(client, 5000);
      if (!d.has_value()) {
        break;
      }
      if (!d->is_notice) {
        continue;
      }
      sghub::v1::NoticeBody body = NoticeBody(*d);
      if (body.kind() == sghub::v1::NOTICE_KIND_ESCALATION) {
        return body;
      }
    }
    ADD_FAILURE() << "no escalation notice arrived";
    return {};
  }

  // Moves time forward in five-minute steps, giving the broker real time to sweep after each
  // (it sweeps once per second of the fake monotonic clock, at its next 50 ms poll).
  void Advance(int64_t total_ms) {
    constexpr int64_t kStepMs = 5 * kMinuteMs;
    for (int64_t moved = 0; moved < total_ms; moved += kStepMs) {
      clock_.AdvanceMs(std::min(kStepMs, total_ms - moved));
      std::this_thread::sleep_for(std::chrono::milliseconds(60));
    }
  }

  // Asserts that no escalation (nor anything else) reaches `client` for a while.
  void ExpectNothingFor(HubClient& client, const char* who) {
    std::optional<Delivery> d = Next(client, 700);
    if (d.has_value()) {
      ADD_FAILURE() << who << " got an unexpected "
                    << (d->is_notice ? sghub::v1::NoticeKind_Name(NoticeBody(*d).kind())
                                     : std::string("alert"));
    }
  }

  // nhs-north raises an immediate concern with council-west, which receives it; the delivery
  // report reaches nhs-north. Returns the concern's id.
  std::string RaiseConcern() {
    std::string id;
    auto envelope = world_->MakeAlert({.sender = "nhs-north",
                                       .recipients = {"council-west"},
                                       .urgency = sghub::v1::URGENCY_IMMEDIATE,
                                       .created_at_ms = clock_.NowMs()},
                                      &id);
    EXPECT_TRUE(envelope.ok());
    auto answer = nhs_->Submit(*envelope, 5000);
    EXPECT_TRUE(answer.ok() && answer->accepted);
    std::optional<Delivery> delivered = Next(*council_, 5000);
    EXPECT_TRUE(delivered.has_value() && delivered->message_id == id);
    std::optional<Delivery> report = Next(*nhs_, 5000);
    EXPECT_TRUE(report.has_value() &&
                NoticeBody(*report).kind() == sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
    return id;
  }

  // council-west answers the concern with an OUTCOME of `code`, sent to nhs-north. Returns
  // the outcome's id.
  std::string SendOutcome(const std::string& concern_id, sghub::v1::OutcomeCode code) {
    std::string id;
    auto envelope = world_->MakeAlert({.sender = "council-west",
                                       .recipients = {"nhs-north"},
                                       .kind = sghub::v1::ALERT_KIND_OUTCOME,
                                       .created_at_ms = clock_.NowMs(),
                                       .edit_header =
                                           [&](sghub::v1::Header& h) {
                                             h.set_in_reply_to(concern_id);
                                             h.set_outcome_code(code);
                                           }},
                                      &id);
    EXPECT_TRUE(envelope.ok());
    auto answer = council_->Submit(*envelope, 5000);
    EXPECT_TRUE(answer.ok() && answer->accepted) << answer->refused_msg.reason();
    return id;
  }

  // nhs-north receives the outcome and opens it with its own keys.
  void ExpectOutcomeArrivesSealed(const std::string& outcome_id, sghub::v1::OutcomeCode code) {
    std::optional<Delivery> d = Next(*nhs_, 5000);
    ASSERT_TRUE(d.has_value());
    ASSERT_FALSE(d->is_notice);
    EXPECT_EQ(d->message_id, outcome_id);
    auto parsed = wire::ParseEnvelope(AsBytes(d->envelope), wire::Limits{});
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->header.outcome_code(), code);
    const wire::AgencyKeys& council = world_->agency("council-west");
    ASSERT_TRUE(wire::VerifyEnvelopeSignature(*parsed, council.card().signing).ok());
    const wire::AgencyKeys& nhs = world_->agency("nhs-north");
    auto body = wire::OpenEnvelope(*parsed, "nhs-north", nhs.sealing_secret(), nhs.card().sealing);
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    EXPECT_EQ(body->message_id(), outcome_id);
    EXPECT_EQ(body->sender(), "council-west");
    // The hub could not have read it: no key was sealed to the hub.
    const wire::AgencyKeys& hub = world_->hub();
    EXPECT_FALSE(wire::OpenEnvelope(*parsed, "hub", hub.sealing_secret(), hub.card().sealing).ok());
  }

  testutil::TempDir dir_;
  std::unique_ptr<testutil::TestWorld> world_;
  FakeClock clock_{RealNowMs()};
  std::unique_ptr<Daemon> daemon_;
  std::thread thread_;
  int exit_code_ = -1;
  zmq::context_t context_{1};
  std::unique_ptr<HubClient> nhs_;
  std::unique_ptr<HubClient> council_;
  std::unique_ptr<HubClient> lead_;
  std::map<HubClient*, std::set<std::string>> seen_;  // ids each client has received
};

TEST_F(ClosedLoopTest, EachStageEscalatesExactlyOnceToSenderAndEscalationContact) {
  const std::string concern = RaiseConcern();

  // Past the acknowledgement deadline (1 h for immediate): one NOT_ACKNOWLEDGED each.
  Advance(kHourMs + kMinuteMs);
  for (HubClient* client : {nhs_.get(), lead_.get()}) {
    sghub::v1::NoticeBody n = NextEscalation(*client);
    EXPECT_EQ(n.stage(), sghub::v1::ESCALATION_STAGE_NOT_ACKNOWLEDGED);
    EXPECT_EQ(n.message_id(), concern);
    EXPECT_EQ(n.recipient(), "council-west");
  }
  // More time, nothing new: no second escalation of the same stage.
  Advance(20 * kMinuteMs);
  ExpectNothingFor(*nhs_, "nhs-north");
  ExpectNothingFor(*lead_, "council-lead");
  ExpectNothingFor(*council_, "council-west");

  // A person at council-west acknowledges; the loop stays open for the outcome.
  const std::string ack = SendOutcome(concern, sghub::v1::OUTCOME_CODE_ACKNOWLEDGED);
  ExpectOutcomeArrivesSealed(ack, sghub::v1::OUTCOME_CODE_ACKNOWLEDGED);

  // Past the outcome deadline (one more hour): one NO_OUTCOME each.
  Advance(kHourMs);
  for (HubClient* client : {nhs_.get(), lead_.get()}) {
    sghub::v1::NoticeBody n = NextEscalation(*client);
    EXPECT_EQ(n.stage(), sghub::v1::ESCALATION_STAGE_NO_OUTCOME);
    EXPECT_EQ(n.message_id(), concern);
  }
  // And never again.
  Advance(3 * kHourMs);
  ExpectNothingFor(*nhs_, "nhs-north");
  ExpectNothingFor(*lead_, "council-lead");
}

TEST_F(ClosedLoopTest, OutcomeBeforeTheDeadlineStopsEscalationAndReachesTheSenderSealed) {
  const std::string concern = RaiseConcern();
  Advance(10 * kMinuteMs);
  const std::string outcome = SendOutcome(concern, sghub::v1::OUTCOME_CODE_S42_ENQUIRY_OPENED);
  ExpectOutcomeArrivesSealed(outcome, sghub::v1::OUTCOME_CODE_S42_ENQUIRY_OPENED);
  // council-west gets the delivery report for its outcome.
  std::optional<Delivery> report = Next(*council_, 5000);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(NoticeBody(*report).kind(), sghub::v1::NOTICE_KIND_DELIVERY_REPORT);

  // Past both deadlines: no escalation to anyone.
  Advance(3 * kHourMs);
  ExpectNothingFor(*nhs_, "nhs-north");
  ExpectNothingFor(*lead_, "council-lead");
  ExpectNothingFor(*council_, "council-west");
}

}  // namespace
}  // namespace hub::core
