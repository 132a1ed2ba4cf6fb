// Expiry: an alert that cannot be delivered in time produces exactly one non-delivery report
// to its sender, and never both a delivery report and a non-delivery report.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

class ExpiryTest : public HubFixture {
 protected:
  std::string ExtraLimits() const override { return "redeliver_after_ms = 1000\n"; }

  // Collects every distinct notice (by notice id, as a receiver de-duplicates) the sender
  // receives within `window_ms`, acking each copy.
  std::vector<sghub::v1::NoticeBody> DrainNotices(HubClient& client, int window_ms) {
    std::vector<sghub::v1::NoticeBody> out;
    std::set<std::string> seen;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(window_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto d = client.NextDelivery(100);
      if (!d.ok()) {
        continue;
      }
      EXPECT_TRUE(d->is_notice);
      sghub::v1::NoticeBody body;
      EXPECT_TRUE(body.ParseFromString(d->notice.body()));
      if (seen.insert(body.notice_id()).second) {
        out.push_back(body);
      }
      EXPECT_TRUE(client.Ack(*d).ok());
    }
    return out;
  }
};

TEST_F(ExpiryTest, OfflineRecipientYieldsExactlyOneNonDeliveryReport) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  std::string id;
  AlertSpec spec{.sender = "nhs-north", .recipients = {"council-west"}, .lifetime_ms = 1500};
  auto envelope = world_->MakeAlert(spec, &id);
  ASSERT_TRUE(nhs->Submit(*envelope, 5000)->accepted);
  auto notices = DrainNotices(*nhs, 4000);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].kind(), sghub::v1::NOTICE_KIND_NON_DELIVERY_REPORT);
  EXPECT_EQ(notices[0].reason_code(), sghub::v1::REASON_CODE_EXPIRED_UNDELIVERED);
  EXPECT_EQ(notices[0].message_id(), id);
  // The recipient, connecting late, gets nothing.
  auto council = ConnectAs("council-west");
  EXPECT_FALSE(council->NextDelivery(1500).ok());
}

TEST_F(ExpiryTest, AckAroundTheDeadlineGivesADeliveryReportOrAnNdrNeverBoth) {
  StartHub();
  auto nhs = ConnectAs("nhs-north");
  auto council = ConnectAs("council-west");
  // Ack before, at and after the deadline; each alert ends in exactly one report.
  const int lifetime_ms = 1200;
  const std::vector<int> ack_after_ms = {900, 1150, 1200, 1250, 1600};
  std::vector<std::string> ids;
  for (int delay : ack_after_ms) {
    std::string id;
    AlertSpec spec{
        .sender = "nhs-north", .recipients = {"council-west"}, .lifetime_ms = lifetime_ms};
    auto envelope = world_->MakeAlert(spec, &id);
    auto submitted = std::chrono::steady_clock::now();
    ASSERT_TRUE(nhs->Submit(*envelope, 5000)->accepted);
    auto d = council->NextDelivery(3000);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    std::this_thread::sleep_until(submitted + std::chrono::milliseconds(delay));
    ASSERT_TRUE(council->Ack(*d).ok());
    ids.push_back(id);
  }
  auto notices = DrainNotices(*nhs, 4000);
  for (const std::string& id : ids) {
    int delivered = 0;
    int not_delivered = 0;
    for (const auto& n : notices) {
      for (const sghub::v1::Delivered& d : n.delivered()) {
        delivered += d.message_id() == id;
      }
      not_delivered +=
          n.kind() == sghub::v1::NOTICE_KIND_NON_DELIVERY_REPORT && n.message_id() == id;
    }
    EXPECT_EQ(delivered + not_delivered, 1)
        << "alert " << HexEncode(AsBytes(id)) << ": " << delivered << " delivery reports, "
        << not_delivered << " non-delivery reports";
  }
}

}  // namespace
}  // namespace hub::testutil
