// AdapterBase against a real sghubd: submissions, the edge outbox across hub downtime and
// adapter restarts, and deliveries that are verified, opened and de-duplicated.
#include "adapters/sdk/adapter_base.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "hub/base/bytes.h"
#include "hub/wire/crypto_init.h"
#include "hub/wire/envelope.h"
#include "tests/adapters/sdk/adapter_test_env.h"
#include "tests/testutil/temp_dir.h"

namespace hub::sdk {
namespace {

using testutil::kCouncil;
using testutil::kNhs;
using testutil::kPolice;

// Records what the SDK hands over; can be told to fail.
class RecordingAdapter final : public AdapterBase {
 public:
  ~RecordingAdapter() override { Stop(); }

  std::vector<Delivered> alerts() {
    std::lock_guard lock(mu_);
    return alerts_;
  }
  std::vector<sghub::v1::NoticeBody> notices() {
    std::lock_guard lock(mu_);
    return notices_;
  }
  void FailNextWith(Status s) {
    std::lock_guard lock(mu_);
    fail_next_ = std::move(s);
  }

 protected:
  Status HandleAlert(const Delivered& alert) override {
    std::lock_guard lock(mu_);
    if (!fail_next_.ok()) {
      Status s = std::move(fail_next_);
      fail_next_ = Status::Ok();
      return s;
    }
    alerts_.push_back(alert);
    return Status::Ok();
  }
  Status HandleNotice(const sghub::v1::NoticeBody& notice) override {
    std::lock_guard lock(mu_);
    notices_.push_back(notice);
    return Status::Ok();
  }

 private:
  std::mutex mu_;
  std::vector<Delivered> alerts_;
  std::vector<sghub::v1::NoticeBody> notices_;
  Status fail_next_;
};

codecs::InboundAlert ConcernFor(std::vector<std::string> recipients) {
  codecs::InboundAlert a;
  a.kind = sghub::v1::ALERT_KIND_CONCERN;
  a.category = sghub::v1::CATEGORY_TARGETED_HOSTILITY;
  a.urgency = sghub::v1::URGENCY_URGENT;
  a.purpose = sghub::v1::PURPOSE_SAFEGUARDING;
  a.recipients = std::move(recipients);
  a.consent.set_state(sghub::v1::CONSENT_STATE_GIVEN);
  auto* scope = a.consent.mutable_scope();
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_COUNCIL);
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_POLICE);
  scope->add_recipient_kinds(sghub::v1::AGENCY_KIND_NHS_MH);
  scope->add_purposes(sghub::v1::PURPOSE_SAFEGUARDING);
  scope->set_expires_at_ms(SystemClock().NowMs() + 90LL * 24 * 3600 * 1000);
  a.body.mutable_person()->set_nhs_number("9434765919");
  a.body.mutable_incident()->set_summary("Neighbours shouting abuse about his mental health.");
  return a;
}

class AdapterBaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(wire::InitCrypto().ok());
    auto env = testutil::AdapterTestEnv::Create(dir_.path(), "redeliver_after_ms = 1000\n");
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    env_ = std::move(*env);
  }

  std::unique_ptr<RecordingAdapter> OpenAdapter(const std::string& agency, bool start = true) {
    auto adapter = std::make_unique<RecordingAdapter>();
    Status opened = adapter->Open(env_->BaseConfig(agency, "none"), "adapter_base_test");
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    if (start) {
      Status started = adapter->Start();
      EXPECT_TRUE(started.ok()) << started.ToString();
    }
    return adapter;
  }

  testutil::TempDir dir_;
  std::unique_ptr<testutil::AdapterTestEnv> env_;
};

TEST_F(AdapterBaseTest, SubmitReturnsTheHubsAcceptanceAndTheRecipientCanOpenTheAlert) {
  ASSERT_TRUE(env_->StartHub().ok());
  auto council = env_->ConnectAs(kCouncil);
  ASSERT_NE(council, nullptr);
  auto nhs = OpenAdapter(kNhs);

  auto outcome = nhs->Submit(ConcernFor({kCouncil}));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_TRUE(outcome->answer.has_value()) << env_->HubLog();
  EXPECT_TRUE(outcome->answer->accepted) << outcome->answer->Summary();
  ASSERT_EQ(outcome->answer->accepted_msg.results_size(), 1);
  EXPECT_TRUE(outcome->answer->accepted_msg.results(0).queued());
  EXPECT_EQ(nhs->health().outbox_depth, 0);

  auto delivery = council->NextDelivery(5000);
  ASSERT_TRUE(delivery.ok()) << delivery.status().ToString();
  EXPECT_EQ(delivery->message_id, outcome->message_id);
  auto parsed = wire::ParseEnvelope(AsBytes(delivery->envelope), wire::Limits{});
  ASSERT_TRUE(parsed.ok());
  const auto& keys = env_->world().agency(kCouncil);
  auto body = wire::OpenEnvelope(*parsed, kCouncil, keys.sealing_secret(), keys.card().sealing);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(body->person().nhs_number(), "9434765919");
  EXPECT_EQ(parsed->header.sender(), kNhs);
  EXPECT_EQ(parsed->header.subject_refs_size(), 1);
}

TEST_F(AdapterBaseTest, SubmitReportsAPolicyRefusalPerRecipient) {
  ASSERT_TRUE(env_->StartHub().ok());
  auto nhs = OpenAdapter(kNhs);
  codecs::InboundAlert alert = ConcernFor({kCouncil, kPolice});
  alert.consent.Clear();
  alert.consent.set_state(sghub::v1::CONSENT_STATE_REFUSED);
  auto outcome = nhs->Submit(alert);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  ASSERT_TRUE(outcome->answer.has_value());
  const SubmitAnswer& a = *outcome->answer;
  if (a.accepted) {
    for (const auto& r : a.accepted_msg.results()) {
      EXPECT_FALSE(r.queued()) << r.recipient();
      EXPECT_NE(r.reason_code(), sghub::v1::REASON_CODE_UNSPECIFIED);
    }
  } else {
    EXPECT_NE(a.refused_msg.reason_code(), sghub::v1::REASON_CODE_UNSPECIFIED);
  }
  EXPECT_NE(a.Summary().find("CONSENT"), std::string::npos) << a.Summary();
}

TEST_F(AdapterBaseTest, SealingFailsWithTheFieldWhenThePersonCannotBeIdentified) {
  auto nhs = OpenAdapter(kNhs, /*start=*/false);
  codecs::InboundAlert alert = ConcernFor({kCouncil});
  alert.body.mutable_person()->set_nhs_number("1234567890");  // fails the mod-11 check
  auto outcome = nhs->Submit(alert, 100);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().field(), "person.nhs_number");
  alert.body.mutable_person()->clear_nhs_number();
  outcome = nhs->Submit(alert, 100);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().field(), "person");
  alert = ConcernFor({"council.unknown"});
  outcome = nhs->Submit(alert, 100);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().field(), "recipients");
}

TEST_F(AdapterBaseTest, OutboxKeepsAnAlertWhileTheHubIsDownAndSendsItWhenItReturns) {
  auto nhs = OpenAdapter(kNhs);
  auto outcome = nhs->Submit(ConcernFor({kCouncil}), 300);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_FALSE(outcome->answer.has_value());
  EXPECT_EQ(nhs->health().outbox_depth, 1);
  EXPECT_FALSE(nhs->health().connected);

  ASSERT_TRUE(env_->StartHub().ok());
  auto council = env_->ConnectAs(kCouncil);
  ASSERT_NE(council, nullptr);
  auto delivery = council->NextDelivery(10000);
  ASSERT_TRUE(delivery.ok()) << delivery.status().ToString() << env_->HubLog();
  EXPECT_EQ(delivery->message_id, outcome->message_id);
  EXPECT_TRUE(testutil::WaitFor([&] { return nhs->health().outbox_depth == 0; }, 5000));
}

TEST_F(AdapterBaseTest, OutboxSurvivesAnAdapterRestart) {
  std::string message_id;
  {
    auto nhs = OpenAdapter(kNhs);
    auto outcome = nhs->Submit(ConcernFor({kCouncil}), 200);
    ASSERT_TRUE(outcome.ok());
    ASSERT_FALSE(outcome->answer.has_value());
    message_id = outcome->message_id;
  }
  auto nhs = OpenAdapter(kNhs);
  EXPECT_EQ(nhs->health().outbox_depth, 1);
  ASSERT_TRUE(env_->StartHub().ok());
  auto council = env_->ConnectAs(kCouncil);
  ASSERT_NE(council, nullptr);
  auto delivery = council->NextDelivery(10000);
  ASSERT_TRUE(delivery.ok()) << delivery.status().ToString();
  EXPECT_EQ(delivery->message_id, message_id);
  EXPECT_TRUE(testutil::WaitFor([&] { return nhs->health().outbox_depth == 0; }, 5000));
  // Exactly one delivery: nothing else is queued for the council.
  EXPECT_FALSE(council->NextDelivery(500).ok());
}

TEST_F(AdapterBaseTest, SameDeliveryTwiceCallsTheHandlerOnceAndAcksBoth) {
  auto council = OpenAdapter(kCouncil, /*start=*/false);
  testutil::AlertSpec spec;
  spec.sender = kNhs;
  spec.recipients = {kCouncil};
  auto envelope = env_->world().MakeAlert(spec);
  ASSERT_TRUE(envelope.ok());
  sghub::v1::Deliver deliver;
  deliver.set_envelope(*envelope);
  deliver.set_delivery_id(7);
  deliver.set_attempt(1);
  DeliveryResult first = council->Deliver(deliver);
  EXPECT_EQ(first.action, DeliveryAction::kAcked) << first.why.ToString();
  deliver.set_attempt(2);
  DeliveryResult second = council->Deliver(deliver);
  EXPECT_EQ(second.action, DeliveryAction::kAckedDuplicate);
  ASSERT_EQ(council->alerts().size(), 1u);
  EXPECT_EQ(council->alerts()[0].header.sender(), kNhs);
  EXPECT_EQ(council->alerts()[0].body.voice().own_words(),
            "They keep coming round and taking my money.");

  // The seen table is on disk: a restarted adapter still recognises the repeat.
  council.reset();
  auto reopened = OpenAdapter(kCouncil, /*start=*/false);
  EXPECT_EQ(reopened->Deliver(deliver).action, DeliveryAction::kAckedDuplicate);
  EXPECT_TRUE(reopened->alerts().empty());
}

TEST_F(AdapterBaseTest, EnvelopeSignedByAnotherAgencyIsNackedPermanently) {
  auto council = OpenAdapter(kCouncil, /*start=*/false);
  testutil::AlertSpec spec;
  spec.sender = kPolice;  // signed with police's key...
  spec.recipients = {kCouncil};
  spec.edit_header = [](sghub::v1::Header& h) { h.set_sender(kNhs); };  // ...claiming NHS
  auto envelope = env_->world().MakeAlert(spec);
  ASSERT_TRUE(envelope.ok());
  sghub::v1::Deliver deliver;
  deliver.set_envelope(*envelope);
  DeliveryResult result = council->Deliver(deliver);
  EXPECT_EQ(result.action, DeliveryAction::kNackPermanent);
  EXPECT_EQ(result.why.reason_code(), sghub::v1::REASON_CODE_BAD_SIGNATURE);
  EXPECT_TRUE(council->alerts().empty());

  sghub::v1::Deliver garbage;
  garbage.set_envelope("not an envelope");
  EXPECT_EQ(council->Deliver(garbage).action, DeliveryAction::kNackPermanent);
}

TEST_F(AdapterBaseTest, TransientHandlerFailureIsRedeliveredAndHandledOnce) {
  ASSERT_TRUE(env_->StartHub().ok());
  auto council = OpenAdapter(kCouncil);
  council->FailNextWith(Status::Unavailable("case system is down"));
  auto nhs = OpenAdapter(kNhs);
  auto outcome = nhs->Submit(ConcernFor({kCouncil}));
  ASSERT_TRUE(outcome.ok() && outcome->answer && outcome->answer->accepted);
  ASSERT_TRUE(testutil::WaitFor([&] { return council->alerts().size() == 1; }, 15000))
      << env_->HubLog();
  EXPECT_EQ(council->alerts()[0].header.message_id(), outcome->message_id);
  EXPECT_GE(council->alerts()[0].attempt, 2u);
  // The sender hears that the council has it.
  ASSERT_TRUE(testutil::WaitFor([&] { return !nhs->notices().empty(); }, 10000));
  EXPECT_EQ(nhs->notices()[0].kind(), sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
  ASSERT_EQ(nhs->notices()[0].delivered_size(), 1);
  EXPECT_EQ(nhs->notices()[0].delivered(0).message_id(), outcome->message_id);
  EXPECT_EQ(council->alerts().size(), 1u);
}

}  // namespace
}  // namespace hub::sdk
