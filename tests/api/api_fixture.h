// The fixture of the API tests: a pool with two districts (巴南区 500113 and 九龙坡区 500107)
// generated, imported and tiered, the accounts of every role, and a server on a free port of
// 127.0.0.1 — on SQLite, and on PostgreSQL when GETIHU_TEST_PG names a server
// (tests/postgres/with_postgres.sh). A test clock makes idle timeouts and lock-outs testable.
#ifndef GETIHU_TESTS_API_API_FIXTURE_H_
#define GETIHU_TESTS_API_API_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "server/api.h"
#include "storage/database.h"
#include "workflows/notifications.h"

namespace getihu::apitest {

using Json = nlohmann::ordered_json;

// A clock the test moves forward.
class TestClock final : public base::Clock {
 public:
  base::Date Today() const override;
  int64_t NowUnixSeconds() const override { return now_.load(); }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  std::atomic<int64_t> now_{1795305600};  // 2026-11-22T00:00:00Z
};

// The test server's SMS gateway: keeps each (phone, text) instead of sending it.
class RecordingSms final : public workflows::SmsSender {
 public:
  base::Status Send(std::string_view phone, std::string_view text) override {
    std::lock_guard lock(mu_);
    sent_.emplace_back(std::string(phone), std::string(text));
    return base::OkStatus();
  }
  std::vector<std::pair<std::string, std::string>> sent() {
    std::lock_guard lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> sent_;
};

enum class Backend { kSqlite, kPostgres };

// One signed-in (or not) client: the session cookie and CSRF token it was given.
class Client {
 public:
  explicit Client(int port) : http_("127.0.0.1", port) { http_.set_read_timeout(60, 0); }
  // Logs in; returns the reply (status and body).
  httplib::Result Login(const std::string& username, const std::string& password);
  httplib::Result Get(const std::string& path);
  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& content_type = "application/json");
  httplib::Result Patch(const std::string& path, const std::string& body);
  httplib::Result Put(const std::string& path, const std::string& body);
  // Without the CSRF header (for the CSRF tests).
  httplib::Result PostWithoutCsrf(const std::string& path, const std::string& body);
  // Polls a background job until it ends; returns its final JSON.
  Json WaitForJob(int64_t job);
  void set_csrf(std::string token) { csrf_ = std::move(token); }
  const std::string& cookie() const { return cookie_; }
  httplib::Client& raw() { return http_; }

 private:
  httplib::Headers Headers(bool with_csrf) const;
  httplib::Client http_;
  std::string cookie_, csrf_;
};

// Parses a reply body; a JSON null when it is not JSON.
Json Body(const httplib::Result& r);
// The error code of an error reply ("" when none).
std::string ErrorCode(const httplib::Result& r);

class ApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  static constexpr char kPassword[] = "Test#Pass2026";
  static constexpr char kRegion[] = "500113";
  static constexpr char kOtherRegion[] = "500107";

  static void SetUpTestSuite();     // generates the feeds once per process
  static void TearDownTestSuite();  // removes them
  void SetUp() override;
  void TearDown() override;

  // A new client, signed in as `username` (ASSERTs the login worked).
  std::unique_ptr<Client> SignIn(const std::string& username);
  std::unique_ptr<Client> Anonymous() { return std::make_unique<Client>(port_); }
  // A direct connection to the test's database (to check what the API stored).
  std::unique_ptr<storage::Database> OpenDb();
  // USCCs: an operating, tiered household of each district; the demo owner's is `own_uscc_`.
  std::string own_uscc_, other_uscc_, foreign_uscc_;
  int64_t run_id_ = 0;
  TestClock clock_;
  std::shared_ptr<RecordingSms> sms_ = std::make_shared<RecordingSms>();
  int port() const { return port_; }

  static std::filesystem::path* dir_;

 private:
  std::optional<std::string> schema_;
  std::string sqlite_path_;
  std::unique_ptr<server::ApiServer> server_;
  std::thread serving_;
  int port_ = 0;
};

}  // namespace getihu::apitest

#endif  // GETIHU_TESTS_API_API_FIXTURE_H_
