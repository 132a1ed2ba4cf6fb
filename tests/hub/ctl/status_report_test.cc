// Tests sghubctl's reading of the status JSON, the health verdict and the tables.
#include "hub/ctl/status_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "hub/ctl/status_health.h"
#include "hub/ctl/status_views.h"

namespace hub::ctl {
namespace {

constexpr int64_t kMinute = 60'000;

// A status document as sghubd writes it (see hub/core/status_render.cc), at now = 10^9 ms,
// the hub up for an hour.
std::string Document(const std::string& agencies, const std::string& queues = "[]",
                     const std::string& overdue = "[]") {
  return R"({"status_format": 1, "version": "0.1.0", "hub_id": "hub",
    "listen": "tcp://127.0.0.1:7800", "now_ms": 1000000000, "started_ms": 996400000,
    "uptime_s": 3600, "offline_threshold_ms": 900000,
    "store": {"path": "/var/lib/sghub/sghub.db", "size_bytes": 8192, "wal_bytes": 0},
    "agencies": )" +
         agencies + R"(, "queues": )" + queues + R"(, "in_flight": 0,
    "counters": {"accepted": 4, "refused": 1, "refused_by_reason": {"REASON_CODE_EXPIRED": 1},
                 "future_counter": 9},
    "overdue": )" +
         overdue + R"(,
    "audit": {"head_seq": 12, "head_hash": "ab", "last_checkpoint": null},
    "some_future_field": {"x": 1}})";
}

std::string Agency(const std::string& id, bool connected, const std::string& last_seen,
                   bool revoked = false) {
  return R"({"id": ")" + id + R"(", "kind": "council", "name": "N", "connected": )" +
         (connected ? "true" : "false") + R"(, "last_seen_ms": )" + last_seen +
         R"(, "in_flight": 0, "queue_depth": 0, "oldest_queued_age_ms": null, "revoked": )" +
         (revoked ? "true" : "false") + "}";
}

StatusReport Parse(const std::string& text) {
  auto r = ParseStatusReport(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : StatusReport{};
}

TEST(StatusReportTest, ReadsTheDocumentAndIgnoresUnknownFields) {
  const StatusReport r = Parse(Document("[" + Agency("council-east", true, "999990000") + "]"));
  EXPECT_EQ(r.version, "0.1.0");
  EXPECT_EQ(r.uptime_s, 3600);
  EXPECT_EQ(r.offline_threshold_ms, 900000);
  ASSERT_EQ(r.agencies.size(), 1u);
  EXPECT_EQ(r.agencies[0].id, "council-east");
  EXPECT_EQ(r.agencies[0].last_seen_ms, 999990000);
  EXPECT_EQ(CounterOf(r, "accepted"), 4);
  EXPECT_EQ(CounterOf(r, "future_counter"), 9);
  EXPECT_EQ(r.refused_by_reason.at("REASON_CODE_EXPIRED"), 1);
  EXPECT_EQ(r.audit_head_seq, 12);
  EXPECT_FALSE(r.last_checkpoint_audit_seq.has_value());
}

TEST(StatusReportTest, HubErrorObjectIsUnavailableWithTheHubsMessage) {
  auto r = ParseStatusReport(R"({"error": "unknown request", "code": "bad_request"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(r.status().message().find("bad_request"), std::string::npos);
}

TEST(StatusReportTest, GarbageAndMissingFieldsAreRefusedNamingTheField) {
  EXPECT_FALSE(ParseStatusReport("not json").ok());
  EXPECT_FALSE(ParseStatusReport("[1,2]").ok());
  auto missing = ParseStatusReport(R"({"status_format": 1, "version": "x"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("hub_id"), std::string::npos);
  auto wrong_type = ParseStatusReport(Document("[" + Agency("a", true, "\"yesterday\"") + "]"));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("agencies[0].last_seen_ms"), std::string::npos);
}

TEST(StatusHealthTest, ConnectedAgenciesAndNoBacklogAreHealthy) {
  const StatusReport r = Parse(Document("[" + Agency("a", true, "999990000") + "]"));
  const HealthVerdict v = AssessHealth(r, {});
  EXPECT_FALSE(v.degraded);
  EXPECT_TRUE(v.problems.empty());
}

TEST(StatusHealthTest, AnAgencyOfflinePastTheThresholdIsDegraded) {
  // Last seen 20 minutes ago, disconnected.
  const StatusReport r = Parse(Document("[" + Agency("a", false, "998800000") + "]"));
  EXPECT_TRUE(AssessHealth(r, {.offline_after_ms = 15 * kMinute}).degraded);
  EXPECT_FALSE(AssessHealth(r, {.offline_after_ms = 30 * kMinute}).degraded);
}

TEST(StatusHealthTest, AConnectedButSilentAgencyIsDegraded) {
  const StatusReport r = Parse(Document("[" + Agency("a", true, "998800000") + "]"));
  const HealthVerdict v = AssessHealth(r, {.offline_after_ms = 15 * kMinute});
  ASSERT_TRUE(v.degraded);
  EXPECT_NE(v.problems[0].find("silent"), std::string::npos);
}

TEST(StatusHealthTest, AnAgencyNeverSeenCountsFromTheHubsStart) {
  const StatusReport r = Parse(Document("[" + Agency("a", false, "null") + "]"));  // up 1 h
  EXPECT_TRUE(AssessHealth(r, {.offline_after_ms = 15 * kMinute}).degraded);
  EXPECT_FALSE(AssessHealth(r, {.offline_after_ms = 2 * 60 * kMinute}).degraded);
}

TEST(StatusHealthTest, RevokedAgenciesMayBeOfflineButNotConnected) {
  const StatusReport offline = Parse(Document("[" + Agency("a", false, "null", true) + "]"));
  EXPECT_FALSE(AssessHealth(offline, {}).degraded);
  const StatusReport connected = Parse(Document("[" + Agency("a", true, "999999000", true) + "]"));
  const HealthVerdict v = AssessHealth(connected, {});
  ASSERT_TRUE(v.degraded);
  EXPECT_NE(v.problems[0].find("revoked"), std::string::npos);
}

TEST(StatusHealthTest, AnOldQueueIsDegraded) {
  const std::string queues = R"([{"recipient": "a", "depth": 3, "oldest_queued_ms": 1,
                                  "oldest_age_ms": 1200000}])";
  const StatusReport r = Parse(Document("[]", queues));
  EXPECT_TRUE(AssessHealth(r, {.max_queue_age_ms = 15 * kMinute}).degraded);
  EXPECT_FALSE(AssessHealth(r, {.max_queue_age_ms = 30 * kMinute}).degraded);
}

TEST(StatusHealthTest, AnyOverdueAlertIsDegraded) {
  const std::string overdue = R"([{"message_id": "00ff", "sender": "nhs", "recipient": "a",
    "urgency": "immediate", "stage": "not_acknowledged", "deadline_ms": 999000000,
    "age_ms": 4600000}])";
  const StatusReport r = Parse(Document("[]", "[]", overdue));
  const HealthVerdict v = AssessHealth(r, {});
  ASSERT_TRUE(v.degraded);
  std::ostringstream out;
  PrintOverdue(r, out);
  EXPECT_NE(out.str().find("00ff"), std::string::npos);
  EXPECT_NE(out.str().find("not_acknowledged"), std::string::npos);
  EXPECT_NE(out.str().find("16m40s ago"), std::string::npos);  // due 1,000 s before now
}

TEST(StatusViewsTest, FullStatusShowsAgenciesAndTheVerdict) {
  const StatusReport r = Parse(Document("[" + Agency("council-east", false, "998800000") + "]"));
  std::ostringstream out;
  PrintFullStatus(r, AssessHealth(r, {}), out);
  const std::string text = out.str();
  EXPECT_NE(text.find("council-east  council  offline  20m00s ago"), std::string::npos) << text;
  EXPECT_NE(text.find("health: DEGRADED"), std::string::npos);
  EXPECT_NE(text.find("accepted 4"), std::string::npos);
}

TEST(StatusHealthTest, FormatsAgesShortly) {
  EXPECT_EQ(FormatAge(0), "0s");
  EXPECT_EQ(FormatAge(59'999), "59s");
  EXPECT_EQ(FormatAge(185'000), "3m05s");
  EXPECT_EQ(FormatAge(2 * 3600'000 + 7 * 60'000), "2h07m");
  EXPECT_EQ(FormatAge(3 * 86400'000LL + 4 * 3600'000), "3d04h");
  EXPECT_EQ(FormatAge(-5), "0s");
}

}  // namespace
}  // namespace hub::ctl
