// The status socket of a real sghubd, read through the real sghubctl: a scripted scenario
// (alerts queued for an agency that is offline) must show in the JSON, the tables, the
// Prometheus text and the exit codes; garbage, oversize and unauthorised requests must be
// refused while the hub keeps serving.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/hub_fixture.h"

namespace hub::testutil {
namespace {

using nlohmann::json;

struct CtlRun {
  int code = -1;
  std::string out;  // stdout only
  std::string err;
};

// Runs sghubctl with `args` (trusted, fixed words and temp paths), capturing stdout and
// stderr separately.
CtlRun Sghubctl(const std::string& args, const std::string& prefix = "") {
  TempDir scratch;
  const std::string err_file = (scratch / "stderr").string();
  const std::string command = prefix + "'" + BuiltProgram("hub/ctl/sghubctl").string() + "' " +
                              args + " 2>'" + err_file + "'";
  CtlRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
    run.out.append(buf, n);
  }
  const int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = ReadFile(err_file);
  return run;
}

// Sends raw bytes to a unix socket and returns everything it answers.
std::string RawExchange(const std::filesystem::path& path, const std::string& bytes) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  [[maybe_unused]] ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string answer;
  char buf[4096];
  ssize_t n = 0;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
    answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class StatusSocketTest : public HubFixture {
 protected:
  std::filesystem::path Socket() const { return dir_ / "status.sock"; }
  std::string SocketArg() const { return "--socket '" + Socket().string() + "'"; }

  // Starts the hub and queues `n` alerts from nhs-north for council-west, which never
  // connects.
  void QueueAlertsForOfflineCouncil(int n) {
    StartHub();
    auto nhs = ConnectAs("nhs-north");
    ASSERT_NE(nhs, nullptr);
    before_ms_ = NowMs();
    for (int i = 0; i < n; ++i) {
      auto envelope = world_->MakeAlert({.sender = "nhs-north", .recipients = {"council-west"}});
      ASSERT_TRUE(envelope.ok()) << envelope.status().ToString();
      auto answer = nhs->Submit(*envelope, 5000);
      ASSERT_TRUE(answer.ok()) << answer.status().ToString();
      ASSERT_TRUE(answer->accepted) << answer->refused_msg.DebugString();
    }
    after_ms_ = NowMs();
  }

  int64_t before_ms_ = 0;
  int64_t after_ms_ = 0;
};

TEST_F(StatusSocketTest, JsonReportsTheQueuedAlertsOfAnOfflineRecipient) {
  QueueAlertsForOfflineCouncil(3);
  const CtlRun run = Sghubctl("status --json " + SocketArg());
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  const json doc = json::parse(run.out);

  EXPECT_EQ(doc["status_format"], 1);
  EXPECT_FALSE(doc["version"].get<std::string>().empty());
  EXPECT_EQ(doc["hub_id"], "hub");
  EXPECT_EQ(doc["listen"], world_->endpoint());
  EXPECT_GE(doc["uptime_s"].get<int64_t>(), 0);
  EXPECT_EQ(doc["store"]["path"], world_->store_path().string());
  EXPECT_GT(doc["store"]["size_bytes"].get<int64_t>(), 0);

  EXPECT_EQ(doc["counters"]["accepted"], 3);
  EXPECT_EQ(doc["counters"]["refused"], 0);
  EXPECT_EQ(doc["counters"]["delivered"], 0);
  EXPECT_TRUE(doc["counters"]["refused_by_reason"].is_object());

  json council_queue;
  for (const json& q : doc["queues"]) {
    if (q["recipient"] == "council-west") {
      council_queue = q;
    }
  }
  ASSERT_FALSE(council_queue.is_null()) << doc["queues"].dump();
  EXPECT_EQ(council_queue["depth"], 3);
  const int64_t oldest = council_queue["oldest_queued_ms"];
  EXPECT_GE(oldest, before_ms_);
  EXPECT_LE(oldest, after_ms_);
  EXPECT_GE(council_queue["oldest_age_ms"].get<int64_t>(), 0);
  EXPECT_LE(council_queue["oldest_age_ms"].get<int64_t>(),
            doc["now_ms"].get<int64_t>() - before_ms_);

  ASSERT_EQ(doc["agencies"].size(), 3u);
  for (const json& a : doc["agencies"]) {
    if (a["id"] == "council-west") {
      EXPECT_EQ(a["connected"], false);
      EXPECT_TRUE(a["last_seen_ms"].is_null());
      EXPECT_EQ(a["queue_depth"], 3);
      EXPECT_EQ(a["kind"], "council");
      EXPECT_EQ(a["revoked"], false);
    }
    if (a["id"] == "nhs-north") {
      EXPECT_EQ(a["connected"], true);
      EXPECT_GE(a["last_seen_ms"].get<int64_t>(), before_ms_);
    }
  }
  EXPECT_TRUE(doc["overdue"].is_array());
  EXPECT_GE(doc["audit"]["head_seq"].get<int64_t>(), 3);  // one "accepted" entry each at least
  EXPECT_EQ(doc["audit"]["head_hash"].get<std::string>().size(), 64u);
}

TEST_F(StatusSocketTest, TablesNameTheOfflineAgencyAndItsBacklog) {
  QueueAlertsForOfflineCouncil(2);
  const CtlRun queues = Sghubctl("queues " + SocketArg());
  EXPECT_EQ(queues.code, 0) << queues.err;
  EXPECT_TRUE(std::regex_search(queues.out, std::regex("council-west +2 +[0-9]+s"))) << queues.out;
  const CtlRun agencies = Sghubctl("agencies " + SocketArg());
  EXPECT_EQ(agencies.code, 0) << agencies.err;
  EXPECT_TRUE(std::regex_search(agencies.out, std::regex("council-west +council +offline +never")))
      << agencies.out;
  const CtlRun overdue = Sghubctl("overdue " + SocketArg());
  EXPECT_EQ(overdue.code, 0) << overdue.err;
  EXPECT_NE(overdue.out.find("no overdue alerts"), std::string::npos);
}

TEST_F(StatusSocketTest, ExitCodeIsOneWhenAnAgencyIsOfflinePastTheThreshold) {
  StartHub();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past a 10 ms threshold
  const CtlRun healthy = Sghubctl("status " + SocketArg());
  EXPECT_EQ(healthy.code, 0) << healthy.out << healthy.err;
  EXPECT_NE(healthy.out.find("health: ok"), std::string::npos) << healthy.out;

  const CtlRun degraded = Sghubctl("status --offline-after 10ms " + SocketArg());
  EXPECT_EQ(degraded.code, 1) << degraded.out << degraded.err;
  EXPECT_NE(degraded.out.find("health: DEGRADED"), std::string::npos);
  EXPECT_NE(degraded.out.find("council-west"), std::string::npos);
  // The other views give the same verdict, so any of them works as a monitoring check.
  EXPECT_EQ(Sghubctl("agencies --offline-after 10ms " + SocketArg()).code, 1);
}

TEST_F(StatusSocketTest, ExitCodeIsOneWhenAQueueHoldsOldItems) {
  QueueAlertsForOfflineCouncil(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const CtlRun run = Sghubctl("queues --max-queue-age 10ms --offline-after 1h " + SocketArg());
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("queue for council-west"), std::string::npos) << run.out;
}

TEST_F(StatusSocketTest, ExitCodeIsTwoWhenTheSocketIsMissingOrAnswersNonsense) {
  const CtlRun missing = Sghubctl("status --socket '" + (dir_ / "nowhere.sock").string() + "'");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("cannot connect"), std::string::npos) << missing.err;
  EXPECT_EQ(Sghubctl("metrics --socket '" + (dir_ / "nowhere.sock").string() + "'").code, 2);
  EXPECT_EQ(Sghubctl("watch --count 1 --socket '" + (dir_ / "nowhere.sock").string() + "'").code,
            2);

  // A socket that answers something other than a status document.
  const std::filesystem::path fake = dir_ / "fake.sock";
  int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, fake.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  std::thread server([listener] {
    for (int i = 0; i < 2; ++i) {
      int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) {
        return;
      }
      const char reply[] = "{\"status_format\": 1, \"version\": 7}\n";
      [[maybe_unused]] ssize_t n = ::send(fd, reply, sizeof reply - 1, MSG_NOSIGNAL);
      ::close(fd);
    }
  });
  const CtlRun nonsense = Sghubctl("status --socket '" + fake.string() + "'");
  const CtlRun nonsense_metrics = Sghubctl("metrics --socket '" + fake.string() + "'");
  server.join();
  ::close(listener);
  EXPECT_EQ(nonsense.code, 2);
  EXPECT_NE(nonsense.err.find("not a status document"), std::string::npos)
      << nonsense.err << nonsense.out;
  EXPECT_EQ(nonsense_metrics.code, 2);
}

TEST_F(StatusSocketTest, GarbageAndOversizeRequestsAreRefusedAndTheHubKeepsServing) {
  StartHub();
  const json garbage = json::parse(RawExchange(Socket(), "GET / HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(garbage["code"], "bad_request");
  const json binary = json::parse(RawExchange(Socket(), std::string("\x00\x01\xff\n", 4)));
  EXPECT_EQ(binary["code"], "bad_request");
  const json oversize = json::parse(RawExchange(Socket(), std::string(100000, 'A')));
  EXPECT_EQ(oversize["code"], "request_too_large");

  ASSERT_TRUE(hub_->Running()) << HubLog();
  const CtlRun run = Sghubctl("status --json " + SocketArg());
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(json::parse(run.out)["status_socket"]["bad_requests"], 3);
  // And the hub still takes alerts.
  EXPECT_NE(ConnectAs("police-west"), nullptr);
}

TEST_F(StatusSocketTest, SocketIsMode0660AndRemovedOnStop) {
  StartHub();
  struct stat st {};
  ASSERT_EQ(::lstat(Socket().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
  EXPECT_EQ(StopHub(), 0);
  EXPECT_FALSE(std::filesystem::exists(Socket()));
}

TEST_F(StatusSocketTest, AUserWithoutPermissionIsRefused) {
  if (::geteuid() != 0 || ::access("/usr/bin/setpriv", X_OK) != 0) {
    GTEST_SKIP() << "needs root and setpriv to run sghubctl as another user";
  }
  StartHub();
  // Let "nobody" reach the socket file, so that only the socket's own mode decides.
  std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  const CtlRun run = Sghubctl("status " + SocketArg(),
                              "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups ");
  EXPECT_EQ(run.code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("Permission denied"), std::string::npos) << run.err;
  EXPECT_EQ(Sghubctl("status " + SocketArg()).code, 0);  // the owner still may
}

TEST_F(StatusSocketTest, MetricsAreWellFormedPrometheusText) {
  QueueAlertsForOfflineCouncil(2);
  const CtlRun run = Sghubctl("metrics " + SocketArg());
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string line;
  std::set<std::string> typed;
  const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$)");
  const std::regex help(R"(^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"\})? -?[0-9.]+$)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, type)) {
      typed.insert(m[1]);
    } else if (!std::regex_match(line, help)) {
      ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
      EXPECT_EQ(typed.count(m[1]), 1u) << "no TYPE line before " << line;
    }
  }
  EXPECT_NE(run.out.find("sghub_alerts_accepted_total 2\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("sghub_queue_depth{recipient=\"council-west\"} 2\n"), std::string::npos);
  EXPECT_NE(run.out.find("sghub_agency_connected{agency=\"council-west\"} 0\n"), std::string::npos);
}

TEST_F(StatusSocketTest, WatchRefreshesUntilItsCountAndReturnsTheVerdict) {
  StartHub();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const CtlRun run = Sghubctl("watch --interval 0.1 --count 3 --offline-after 10ms " + SocketArg());
  EXPECT_EQ(run.code, 1) << run.err;
  size_t refreshes = 0;
  for (size_t at = run.out.find("sghubctl watch"); at != std::string::npos;
       at = run.out.find("sghubctl watch", at + 1)) {
    ++refreshes;
  }
  EXPECT_EQ(refreshes, 3u) << run.out;
}

}  // namespace
}  // namespace hub::testutil
