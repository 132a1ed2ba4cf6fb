// The hub's core promise: what it accepted reaches every recipient, in order, once (after the
// receiver's de-duplication), whether the recipient is online, offline or reconnecting.
#include <gtest/gtest.h>
#include <signal.h>

#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

class StoreAndForwardTest : public HubFixture {};

TEST_F(StoreAndForwardTest, OfflineRecipientGetsItsBacklogInOrderWhenItConnects) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  ASSERT_NE(nhs, nullptr);
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    std::string id;
    auto envelope = world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}}, &id);
    ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
    auto answer = nhs->Submit(*envelope, 5000);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    ASSERT_TRUE(answer->accepted) << answer->refused_msg.reason();
    ids.push_back(id);
  }
  auto council = ConnectAs("council-west");
  ASSERT_NE(council, nullptr);
  for (const std::string& id : ids) {
    auto d = council->NextDelivery(5000);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_FALSE(d->is_notice);
    EXPECT_EQ(d->message_id, id);
    ASSERT_TRUE(council->Ack(*d).ok());
  }
  // The sender's signed delivery reports list every acknowledged alert once, in order (the
  // hub gathers a turn's acknowledgements into one report, so there may be fewer reports).
  std::vector<std::string> reported;
  while (reported.size() < ids.size()) {
    auto report = nhs->NextDelivery(5000);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_TRUE(report->is_notice);
    sghub::v1::NoticeBody body;
    ASSERT_TRUE(body.ParseFromString(report->notice.body()));
    EXPECT_EQ(body.kind(), sghub::v1::NOTICE_KIND_DELIVERY_REPORT);
    EXPECT_TRUE(body.message_id().empty()) << "reports name their alerts in `delivered`";
    ASSERT_GE(body.delivered_size(), 1);
    for (const sghub::v1::Delivered& d : body.delivered()) {
      EXPECT_EQ(d.recipient(), "council-west");
      reported.push_back(d.message_id());
    }
    ASSERT_TRUE(nhs->Ack(*report).ok());
  }
  EXPECT_EQ(reported, ids);
}

TEST_F(StoreAndForwardTest, AcceptedAlertsSurviveAHubRestartAndAreDeliveredAfterIt) {
  StartHub();
  std::vector<std::string> ids;
  {
    auto nhs = ConnectAs("nhs-north");
    ASSERT_NE(nhs, nullptr);
    for (int i = 0; i < 5; ++i) {
      std::string id;
      auto envelope =
          world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}}, &id);
      ASSERT_TRUE(envelope.ok());
      auto answer = nhs->Submit(*envelope, 5000);
      ASSERT_TRUE(answer.ok() && answer->accepted);
      ids.push_back(id);
    }
  }
  KillHub();
  StartHub();
  auto council = ConnectAs("council-west");
  ASSERT_NE(council, nullptr);
  for (const std::string& id : ids) {
    auto d = council->NextDelivery(5000);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_EQ(d->message_id, id);
    ASSERT_TRUE(council->Ack(*d).ok());
  }
}

TEST_F(StoreAndForwardTest, UnacknowledgedDeliveryIsSentAgainOnReconnect) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  std::string id;
  auto envelope = world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}}, &id);
  ASSERT_TRUE(envelope.ok());
  ASSERT_TRUE(nhs->Submit(*envelope, 5000)->accepted);
  {
    auto council = ConnectAs("council-west");
    auto d = council->NextDelivery(5000);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->message_id, id);
    // Dropped without an ack, as a crashed adapter would.
  }
  auto council = ConnectAs("council-west");
  auto again = council->NextDelivery(5000);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->message_id, id);
  ASSERT_TRUE(council->Ack(*again).ok());
  auto nothing_more = council->NextDelivery(500);
  EXPECT_FALSE(nothing_more.ok());
}

TEST_F(StoreAndForwardTest, SigtermFinishesCleanlyWithExitCodeZero) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  auto envelope = world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}});
  ASSERT_TRUE(nhs->Submit(*envelope, 5000)->accepted);
  EXPECT_EQ(StopHub(), 0) << HubLog();
}

}  // namespace
}  // namespace hub::testutil
