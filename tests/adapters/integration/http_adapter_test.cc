// The real adapter binaries with the http transport against a real sghubd: POST /alerts,
// GET /healthz, deliveries POSTed to the agency's system (a test HTTP server here), retried
// until it answers 2xx, and nothing lost across a hub restart and an adapter SIGKILL.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/adapters/integration/adapter_process_fixture.h"

namespace hub::testutil {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The agency's own system: records every POST; can refuse the first few.
class AgencySystem {
 public:
  AgencySystem() {
    server_.Post("/sghub", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (refuse_ > 0) {
        --refuse_;
        res.status = 503;
        return;
      }
      posts_.push_back(
          {req.get_header_value("X-Sghub-Kind"), req.get_header_value("X-Sghub-Id"), req.body});
      res.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ~AgencySystem() {
    server_.stop();
    thread_.join();
  }
  struct Post {
    std::string kind, id, body;
  };
  std::vector<Post> posts() {
    std::lock_guard lock(mu_);
    return posts_;
  }
  std::set<std::string> AlertIds() {
    std::set<std::string> ids;
    for (const Post& p : posts()) {
      if (p.kind == "alert") {
        ids.insert(p.id);
      }
    }
    return ids;
  }
  void Refuse(int n) {
    std::lock_guard lock(mu_);
    refuse_ = n;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/sghub"; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Post> posts_;
  int refuse_ = 0;
};

class HttpAdapterTest : public AdapterProcessFixture {
 protected:
  HttpAdapterTest() : AdapterProcessFixture("http") {}

  std::string TransportToml(const std::string& agency) const override {
    return "[transport.http]\nport = 0\nport_file = \"" + agency + ".port\"\ndelivery_url = \"" +
           system_.url() + "\"\nsubmit_timeout = \"2s\"\ndelivery_attempts = 3\n";
  }

  // Starts the adapter, waits for the port it listens on and connects a client to it.
  void Start(const std::string& agency) override {
    fs::remove(dir_ / (agency + ".port"));
    AdapterProcessFixture::Start(agency);
    if (HasFatalFailure()) {
      return;
    }
    ASSERT_TRUE(WaitFor([&] { return !ReadFile(dir_ / (agency + ".port")).empty(); }, 10000))
        << env_->AdapterLog(agency);
    clients_[agency] = std::make_unique<httplib::Client>(
        "127.0.0.1", std::stoi(ReadFile(dir_ / (agency + ".port"))));
    clients_[agency]->set_read_timeout(std::chrono::seconds(10));
  }

  httplib::Result PostAlert(const std::string& agency, const std::string& body) {
    return clients_[agency]->Post("/alerts", body, "application/json");
  }

  AgencySystem system_;
  std::map<std::string, std::unique_ptr<httplib::Client>> clients_;
};

TEST_F(HttpAdapterTest, PostAlertsAnswers202AndTheRecipientsSystemGetsTheDelivery) {
  ASSERT_TRUE(env_->StartHub().ok());
  Start(kNhs);
  Start(kCouncil);
  system_.Refuse(1);  // the council's system is briefly down: the adapter retries

  auto res = PostAlert(kNhs, Example("nhs_mh-concern.json"));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 202) << res->body << Logs();
  json answer = json::parse(res->body);
  const std::string id = answer["message_id"];
  EXPECT_EQ(id.size(), 32u);
  bool council_queued = false;
  for (const auto& r : answer["results"]) {
    council_queued = council_queued || (r["recipient"] == kCouncil && r["queued"] == true);
  }
  EXPECT_TRUE(council_queued) << res->body;

  ASSERT_TRUE(WaitFor([&] { return system_.AlertIds().contains(id); }, 15000)) << Logs();
  for (const auto& p : system_.posts()) {
    if (p.id == id) {
      EXPECT_NE(p.body.find("9434765919"), std::string::npos);
    }
  }

  auto health = clients_[kNhs]->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  json h = json::parse(health->body);
  EXPECT_EQ(h["connected"], true);
  EXPECT_EQ(h["outbox_depth"], 0);
}

TEST_F(HttpAdapterTest, PostAlertsAnswers422ListingEveryFieldProblem) {
  ASSERT_TRUE(env_->StartHub().ok());
  Start(kCouncil);
  const std::string bad = CouncilConcernWithTwoBadFields();
  auto res = PostAlert(kCouncil, bad);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 422) << res->body;
  json body = json::parse(res->body);
  ASSERT_TRUE(body["errors"].is_array());
  std::string fields;
  for (const auto& e : body["errors"]) {
    fields += e["field"].get<std::string>() + " ";
    EXPECT_FALSE(e["reason"].get<std::string>().empty());
  }
  EXPECT_NE(fields.find("abuse_category"), std::string::npos) << fields;
  EXPECT_NE(fields.find("urgency"), std::string::npos) << fields;

  auto junk = PostAlert(kCouncil, "{ not json");
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->status, 422);
}

TEST_F(HttpAdapterTest, HubDownAnswers503WithTheIdAndTheAlertIsDeliveredWhenItReturns) {
  Start(kNhs);
  auto res = PostAlert(kNhs, Example("nhs_mh-concern.json"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 503) << res->body;
  json answer = json::parse(res->body);
  const std::string id = answer["message_id"];
  EXPECT_EQ(answer["status"], "queued");
  auto health = clients_[kNhs]->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["connected"], false);
  EXPECT_EQ(json::parse(health->body)["outbox_depth"], 1);

  ASSERT_TRUE(env_->StartHub().ok());
  Start(kCouncil);
  EXPECT_TRUE(WaitFor([&] { return system_.AlertIds().contains(id); }, 20000)) << Logs();
}

TEST_F(HttpAdapterTest, SurvivesAHubRestartAndAdapterKillsWithNothingLost) {
  constexpr int kAlerts = 12;
  ASSERT_TRUE(env_->StartHub().ok());
  Start(kCouncil);
  Start(kNhs);
  std::set<std::string> ids;
  int queued_while_hub_down = 0;
  for (int i = 0; i < kAlerts; ++i) {
    if (i == kAlerts / 3) {
      adapters_[kNhs]->Signal(SIGKILL);  // the recipient dies with deliveries in flight
      adapters_[kNhs]->Wait(5000);
    }
    if (i == kAlerts / 2) {
      env_->KillHub();  // the next two POSTs get 503: kept in the sender's outbox
    }
    if (i == kAlerts / 2 + 2) {
      adapters_[kCouncil]->Signal(SIGKILL);  // the sender dies with them unsent
      adapters_[kCouncil]->Wait(5000);
      ASSERT_TRUE(env_->StartHub().ok());
      Start(kCouncil);
    }
    auto res = PostAlert(kCouncil, NumberedCouncilConcernToNhs(i));
    ASSERT_TRUE(res);
    ASSERT_TRUE(res->status == 202 || res->status == 503) << res->status << res->body;
    if (res->status == 503) {
      ++queued_while_hub_down;
    }
    ids.insert(json::parse(res->body)["message_id"].get<std::string>());
  }
  Start(kNhs);
  ASSERT_TRUE(WaitFor([&] { return system_.AlertIds() == ids; }, 60000))
      << system_.AlertIds().size() << " of " << ids.size() << "\n"
      << Logs();
  EXPECT_EQ(ids.size(), static_cast<size_t>(kAlerts));
  EXPECT_EQ(queued_while_hub_down, 2);
  // Over HTTP the agency's system may see a repeat (a 2xx whose ack died with the adapter):
  // it de-duplicates by X-Sghub-Id. Repeats are bounded by what was in flight at the kill.
  size_t alert_posts = 0;
  for (const auto& p : system_.posts()) {
    alert_posts += p.kind == "alert" ? 1 : 0;
  }
  EXPECT_LE(alert_posts, ids.size() + 32);
}

}  // namespace
}  // namespace hub::testutil
