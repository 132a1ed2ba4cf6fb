// Tests the pure renderings of a StatusSnapshot: the JSON document and Prometheus text.
#include "hub/core/status_render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace hub::core {
namespace {

using nlohmann::json;

StatusSnapshot Scenario() {
  StatusSnapshot s;
  s.version = "9.9.9";
  s.hub_id = "hub";
  s.listen = "tcp://127.0.0.1:7800";
  s.now_ms = 1'000'000;
  s.started_ms = 400'000;
  s.uptime_ms = 600'500;
  s.offline_threshold_ms = 900'000;
  s.store_path = "/var/lib/sghub/sghub.db";
  s.store_size_bytes = 81920;
  s.store_wal_bytes = 4096;
  AgencyStatus council;
  council.id = "council-east";
  council.kind = "council";
  council.name = "East \"Council\"";
  council.connected = true;
  council.last_seen_ms = 990'000;
  council.in_flight = 2;
  council.queue_depth = 3;
  council.oldest_queued_age_ms = 7000;
  AgencyStatus police;
  police.id = "police-east";
  police.kind = "police";
  police.name = "East Police";
  police.revoked = true;
  s.agencies = {council, police};
  s.queues = {{"council-east", 3, 993'000, 7000}};
  s.in_flight = 2;
  s.counters = {{"accepted", 5}, {"refused", 2}, {"delivered", 1}, {"escalated", 0}};
  s.refused_by_reason = {{"REASON_CODE_BAD_SIGNATURE", 2}};
  s.overdue = {{"00112233445566778899aabbccddeeff", "nhs-north", "council-east", "urgent",
                "no_outcome", 990'000, 90'000}};
  s.audit.head_seq = 17;
  s.audit.head_hash_hex = std::string(64, 'a');
  s.status_socket.requests = 4;
  return s;
}

TEST(StatusRenderTest, JsonCarriesEveryDocumentedField) {
  const json doc = json::parse(RenderStatusJson(Scenario()));
  EXPECT_EQ(doc["status_format"], 1);
  EXPECT_EQ(doc["version"], "9.9.9");
  EXPECT_EQ(doc["hub_id"], "hub");
  EXPECT_EQ(doc["listen"], "tcp://127.0.0.1:7800");
  EXPECT_EQ(doc["uptime_s"], 600);
  EXPECT_EQ(doc["offline_threshold_ms"], 900000);
  EXPECT_EQ(doc["store"]["path"], "/var/lib/sghub/sghub.db");
  EXPECT_EQ(doc["store"]["size_bytes"], 81920);
  EXPECT_EQ(doc["store"]["wal_bytes"], 4096);
  ASSERT_EQ(doc["agencies"].size(), 2u);
  const json& a = doc["agencies"][0];
  EXPECT_EQ(a["id"], "council-east");
  EXPECT_EQ(a["kind"], "council");
  EXPECT_EQ(a["name"], "East \"Council\"");
  EXPECT_EQ(a["connected"], true);
  EXPECT_EQ(a["last_seen_ms"], 990000);
  EXPECT_EQ(a["in_flight"], 2);
  EXPECT_EQ(a["queue_depth"], 3);
  EXPECT_EQ(a["oldest_queued_age_ms"], 7000);
  EXPECT_EQ(a["revoked"], false);
  const json& p = doc["agencies"][1];
  EXPECT_TRUE(p["last_seen_ms"].is_null());
  EXPECT_TRUE(p["oldest_queued_age_ms"].is_null());
  EXPECT_EQ(p["revoked"], true);
  ASSERT_EQ(doc["queues"].size(), 1u);
  EXPECT_EQ(doc["queues"][0]["recipient"], "council-east");
  EXPECT_EQ(doc["queues"][0]["depth"], 3);
  EXPECT_EQ(doc["queues"][0]["oldest_queued_ms"], 993000);
  EXPECT_EQ(doc["queues"][0]["oldest_age_ms"], 7000);
  EXPECT_EQ(doc["in_flight"], 2);
  EXPECT_EQ(doc["counters"]["accepted"], 5);
  EXPECT_EQ(doc["counters"]["refused_by_reason"]["REASON_CODE_BAD_SIGNATURE"], 2);
  ASSERT_EQ(doc["overdue"].size(), 1u);
  EXPECT_EQ(doc["overdue"][0]["message_id"], "00112233445566778899aabbccddeeff");
  EXPECT_EQ(doc["overdue"][0]["stage"], "no_outcome");
  EXPECT_EQ(doc["overdue"][0]["sender"], "nhs-north");
  EXPECT_EQ(doc["overdue"][0]["recipient"], "council-east");
  EXPECT_EQ(doc["overdue"][0]["urgency"], "urgent");
  EXPECT_EQ(doc["overdue"][0]["deadline_ms"], 990000);
  EXPECT_EQ(doc["overdue"][0]["age_ms"], 90000);
  EXPECT_EQ(doc["audit"]["head_seq"], 17);
  EXPECT_EQ(doc["audit"]["head_hash"], std::string(64, 'a'));
  EXPECT_TRUE(doc["audit"]["last_checkpoint"].is_null());
  EXPECT_EQ(doc["status_socket"]["requests"], 4);
}

TEST(StatusRenderTest, JsonShowsACheckpointWhenThereIsOne) {
  StatusSnapshot s = Scenario();
  s.audit.last_checkpoint_seq = 3;
  s.audit.last_checkpoint_audit_seq = 16;
  s.audit.last_checkpoint_ms = 980'000;
  const json doc = json::parse(RenderStatusJson(s));
  EXPECT_EQ(doc["audit"]["last_checkpoint"]["seq"], 3);
  EXPECT_EQ(doc["audit"]["last_checkpoint"]["audit_seq"], 16);
  EXPECT_EQ(doc["audit"]["last_checkpoint"]["at_ms"], 980000);
}

TEST(StatusRenderTest, JsonSurvivesInvalidUtf8InsteadOfThrowing) {
  StatusSnapshot s = Scenario();
  s.agencies[0].name = std::string("bad \xff\xfe name");
  const json doc = json::parse(RenderStatusJson(s));
  EXPECT_EQ(doc["agencies"][0]["id"], "council-east");
}

TEST(StatusRenderTest, ErrorIsOneJsonObjectWithACode) {
  const json doc = json::parse(RenderStatusError("bad_request", "what?"));
  EXPECT_EQ(doc["code"], "bad_request");
  EXPECT_EQ(doc["error"], "what?");
}

// A minimal check of the exposition format: every sample's family has HELP and TYPE lines
// before it, names are legal, and values parse as numbers.
TEST(StatusRenderTest, MetricsAreWellFormedPrometheusText) {
  const std::string text = RenderStatusMetrics(Scenario());
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> helped;
  std::set<std::string> typed;
  const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$)");
  const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"\})? (-?[0-9]+(\.[0-9]+)?)$)");
  int samples = 0;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      helped.insert(m[1]);
    } else if (std::regex_match(line, m, type)) {
      EXPECT_EQ(helped.count(m[1]), 1u) << "TYPE before HELP: " << line;
      typed.insert(m[1]);
    } else {
      ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample: " << line;
      EXPECT_EQ(typed.count(m[1]), 1u) << "sample without TYPE: " << line;
      ++samples;
    }
  }
  EXPECT_GT(samples, 20);
  EXPECT_NE(text.find("sghub_alerts_accepted_total 5\n"), std::string::npos);
  EXPECT_NE(text.find("sghub_queue_depth{recipient=\"council-east\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("sghub_queue_oldest_age_seconds{recipient=\"council-east\"} 7.000\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("sghub_alerts_refused_by_reason_total{reason=\"REASON_CODE_BAD_SIGNATURE\"} 2"),
      std::string::npos);
  EXPECT_NE(text.find("sghub_overdue_alerts{urgency=\"urgent\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("sghub_agency_revoked{agency=\"police-east\"} 1\n"), std::string::npos);
  // Counters the snapshot lacks are still exposed, as 0, so dashboards never lose a series.
  EXPECT_NE(text.find("sghub_redeliveries_total 0\n"), std::string::npos);
}

}  // namespace
}  // namespace hub::core
