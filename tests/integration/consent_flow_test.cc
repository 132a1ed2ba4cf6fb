// Consent withdrawn mid-flow, with real processes (DESIGN.md section 3, rule 4): the earlier
// recipients are told, the next consent-based alert is refused for each recipient, and an
// alert under an override basis with a fresh decision record still arrives. The audit
// export of the real store shows each step.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "hub/base/bytes.h"
#include "hub/wire/limits.h"
#include "hub/wire/notice.h"
#include "hub/wire/subject_ref.h"
#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

// Runs a shell command; returns its exit code and stdout.
std::pair<int, std::string> Capture(const std::string& cmd) {
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    return {-1, ""};
  }
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) {
    out.append(buf, n);
  }
  return {::pclose(pipe), out};
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ConsentFlowTest : public HubFixture {
 protected:
  // The one subject of this test, as the hub sees it.
  std::string SubjectRef() {
    auto ref = wire::SubjectRefFromNhsNumber(world_->subject_key(), "9434765919");
    EXPECT_TRUE(ref.ok());
    return ref.ok() ? std::string(reinterpret_cast<const char*>(ref->data()), ref->size()) : "";
  }

  // Waits for the next delivery to `client` and acks it.
  Delivery Receive(HubClient& client) {
    auto d = client.NextDelivery(5000);
    EXPECT_TRUE(d.ok()) << d.status().ToString() << "\n" << HubLog();
    if (!d.ok()) {
      return {};
    }
    EXPECT_TRUE(client.Ack(*d).ok());
    return *d;
  }

  // Receives deliveries until a notice of `kind` arrives (alerts and other notices before it
  // are acked and returned in `others`).
  sghub::v1::NoticeBody ReceiveNotice(HubClient& client, sghub::v1::NoticeKind kind,
                                      std::vector<Delivery>* others = nullptr) {
    for (int i = 0; i < 10; ++i) {
      Delivery d = Receive(client);
      if (d.is_notice) {
        auto body = wire::VerifyNotice(d.notice, world_->hub().card().signing, wire::Limits{});
        EXPECT_TRUE(body.ok()) << body.status().ToString();
        if (body.ok() && body->kind() == kind) {
          return *body;
        }
      }
      if (others != nullptr) {
        others->push_back(d);
      }
      if (::testing::Test::HasFailure()) {
        break;
      }
    }
    ADD_FAILURE() << "no notice of kind " << sghub::v1::NoticeKind_Name(kind);
    return {};
  }
};

TEST_F(ConsentFlowTest, WithdrawalNotifiesEarlierRecipientsBlocksConsentAndLetsOverrideThrough) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  auto council = ConnectAs("council-west");
  auto police = ConnectAs("police-west");
  ASSERT_TRUE(nhs && council && police);
  const std::string subject = SubjectRef();

  // 1. A consent-based concern reaches both (consent covers police; Art 9 is Sch 1 para 18,
  // which covers disclosure to police: docs/policy.md R0.police-art9-condition).
  std::string first_id;
  auto first = world_->MakeAlert(
      {.sender = "nhs-north", .recipients = {"council-west", "police-west"}}, &first_id);
  ASSERT_TRUE(first.ok());
  auto answer = nhs->Submit(*first, 5000);
  ASSERT_TRUE(answer.ok() && answer->accepted) << answer->refused_msg.reason();
  EXPECT_EQ(Receive(*council).message_id, first_id);
  EXPECT_EQ(Receive(*police).message_id, first_id);

  // 2. The person withdraws consent; nhs-north tells council-west.
  std::string change_id;
  auto change =
      world_->MakeAlert({.sender = "nhs-north",
                         .recipients = {"council-west"},
                         .kind = sghub::v1::ALERT_KIND_CONSENT_CHANGE,
                         .edit_header =
                             [](sghub::v1::Header& h) {
                               h.mutable_consent()->Clear();
                               h.mutable_consent()->set_state(sghub::v1::CONSENT_STATE_WITHDRAWN);
                             }},
                        &change_id);
  ASSERT_TRUE(change.ok());
  answer = nhs->Submit(*change, 5000);
  ASSERT_TRUE(answer.ok() && answer->accepted) << answer->refused_msg.reason();
  const int64_t withdrawn_by_ms = NowMs();

  // 3. Both earlier recipients get a signed withdrawal notice naming the subject.
  std::vector<Delivery> council_other;
  for (HubClient* client : {council.get(), police.get()}) {
    sghub::v1::NoticeBody notice =
        ReceiveNotice(*client, sghub::v1::NOTICE_KIND_WITHDRAWAL,
                      client == council.get() ? &council_other : nullptr);
    ASSERT_EQ(notice.subject_refs_size(), 1);
    EXPECT_EQ(notice.subject_refs(0), subject);
    EXPECT_EQ(notice.message_id(), change_id);
  }

  // 4. The next consent-based concern is refused, for every recipient, as withdrawn.
  auto blocked =
      world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west", "police-west"}});
  ASSERT_TRUE(blocked.ok());
  answer = nhs->Submit(*blocked, 5000);
  ASSERT_TRUE(answer.ok());
  EXPECT_FALSE(answer->accepted);
  EXPECT_EQ(answer->reason(), sghub::v1::REASON_CODE_CONSENT_WITHDRAWN);
  EXPECT_NE(answer->refused_msg.reason().find("council-west"), std::string::npos);
  EXPECT_NE(answer->refused_msg.reason().find("police-west"), std::string::npos);

  // 5. Under vital_interests, with a decision record made after the withdrawal, it flows.
  std::string override_id;
  auto override_alert = world_->MakeAlert(
      {.sender = "nhs-north",
       .recipients = {"council-west", "police-west"},
       .urgency = sghub::v1::URGENCY_IMMEDIATE,
       .edit_header =
           [withdrawn_by_ms](sghub::v1::Header& h) {
             auto* consent = h.mutable_consent();
             consent->Clear();
             consent->set_state(sghub::v1::CONSENT_STATE_WITHDRAWN);
             consent->set_override_basis(sghub::v1::OVERRIDE_BASIS_VITAL_INTERESTS);
             auto* record = consent->mutable_decision();
             record->set_decided_by_name("A. Practitioner");
             record->set_decided_by_role("Safeguarding lead");
             record->set_decided_by_organisation("North Trust");
             record->set_decided_at_ms(withdrawn_by_ms);
             record->set_reason("Immediate risk to life; the withdrawal was weighed.");
             record->set_advice_sought(sghub::v1::ADVICE_SOUGHT_CALDICOTT_GUARDIAN);
             record->set_person_told(sghub::v1::PERSON_TOLD_AFTER);
           }},
      &override_id);
  ASSERT_TRUE(override_alert.ok());
  answer = nhs->Submit(*override_alert, 5000);
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(answer->accepted) << answer->refused_msg.reason();
  for (const auto& r : answer->accepted_msg.results()) {
    EXPECT_TRUE(r.queued()) << r.recipient() << ": " << r.reason();
  }
  // council-west may still have the CONSENT_CHANGE alert itself ahead of the override.
  std::set<std::string> council_ids;
  for (const Delivery& d : council_other) {
    council_ids.insert(d.message_id);
  }
  while (council_ids.count(override_id) == 0 && !::testing::Test::HasFailure()) {
    council_ids.insert(Receive(*council).message_id);
  }
  EXPECT_TRUE(council_ids.count(change_id) == 1);
  EXPECT_EQ(Receive(*police).message_id, override_id);

  // 6. The audit trail of the real store, through sghubctl, shows each step.
  ASSERT_EQ(StopHub(), 0) << HubLog();
  const std::string cmd = "'" + BuiltProgram("hub/ctl/sghubctl").string() +
                          "' audit export --db '" + world_->store_path().string() + "' --subject " +
                          HexEncode(AsBytes(subject));
  auto [code, out] = Capture(cmd);
  ASSERT_EQ(code, 0) << out;
  nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << out;
  const std::string override_hex = HexEncode(AsBytes(override_id));
  int queued_override = 0, refused_withdrawn = 0, withdrawal_notices = 0, consent_changes = 0;
  for (const auto& e : j["events"]) {
    if (e["event"] == "queued_override" && e["message_id"] == override_hex) {
      ++queued_override;
      EXPECT_EQ(e["basis"], "vital_interests");
      EXPECT_EQ(e["person_told"], "told_after");
    } else if (e["event"] == "refused_policy") {
      ++refused_withdrawn;
      EXPECT_EQ(e["reason"], "CONSENT_WITHDRAWN");
    } else if (e["event"] == "withdrawal_notice") {
      ++withdrawal_notices;
    } else if (e["event"] == "consent_change") {
      ++consent_changes;
      EXPECT_EQ(e["note"], "consent withdrawn");
    }
  }
  EXPECT_EQ(queued_override, 2);     // council-west and police-west
  EXPECT_EQ(refused_withdrawn, 2);   // one per recipient of the blocked alert
  EXPECT_EQ(withdrawal_notices, 2);  // council-west and police-west
  EXPECT_EQ(consent_changes, 1);
  // No personal data in the trail: not the decider's name (signed header only), not the NHS
  // number or the person's words (sealed body only).
  auto [dump_code, dump] =
      Capture("sqlite3 '" + world_->store_path().string() + "' \"SELECT * FROM audit\"");
  ASSERT_EQ(dump_code, 0);
  EXPECT_FALSE(dump.empty());
  for (const char* personal : {"A. Practitioner", "9434765919", "taking my money"}) {
    EXPECT_EQ(dump.find(personal), std::string::npos) << personal;
  }
}

}  // namespace
}  // namespace hub::testutil
