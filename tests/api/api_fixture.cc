#include "tests/api/api_fixture.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "rules/builtin_rule_sets.h"
#include "rules/profile_fields.h"
#include "server/password.h"
#include "storage/account_repository.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/value.h"
#include "synth/generator.h"
#include "workflows/import.h"
#include "workflows/tier_run.h"

namespace getihu::apitest {

namespace fs = std::filesystem;

fs::path* ApiTest::dir_ = nullptr;

base::Date TestClock::Today() const {
  return base::Date::FromDays(static_cast<int32_t>((now_.load() + 8 * 3600) / 86400));
}

httplib::Headers Client::Headers(bool with_csrf) const {
  httplib::Headers h;
  if (!cookie_.empty()) h.emplace("Cookie", "getihu_session=" + cookie_);
  if (with_csrf && !csrf_.empty()) h.emplace("X-CSRF-Token", csrf_);
  return h;
}

httplib::Result Client::Login(const std::string& username, const std::string& password) {
  Json body = {{"username", username}, {"password", password}};
  httplib::Result r = http_.Post("/api/v1/session/login", body.dump(), "application/json");
  if (r && r->status == 200) {
    std::string set = r->get_header_value("Set-Cookie");
    size_t eq = set.find('='), semi = set.find(';');
    cookie_ = set.substr(eq + 1, semi - eq - 1);
    csrf_ = Body(r)["csrf_token"].get<std::string>();
  }
  return r;
}

httplib::Result Client::Get(const std::string& path) { return http_.Get(path, Headers(false)); }

httplib::Result Client::Post(const std::string& path, const std::string& body,
                             const std::string& content_type) {
  return http_.Post(path, Headers(true), body, content_type);
}

httplib::Result Client::Patch(const std::string& path, const std::string& body) {
  return http_.Patch(path, Headers(true), body, "application/json");
}

httplib::Result Client::Put(const std::string& path, const std::string& body) {
  return http_.Put(path, Headers(true), body, "application/json");
}

httplib::Result Client::PostWithoutCsrf(const std::string& path, const std::string& body) {
  return http_.Post(path, Headers(false), body, "application/json");
}

Json Client::WaitForJob(int64_t job) {
  for (int i = 0; i < 600; ++i) {
    httplib::Result r = Get("/api/v1/jobs/" + std::to_string(job));
    Json j = Body(r);
    if (j.is_object() && (j["state"] == "succeeded" || j["state"] == "failed")) return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Json();
}

Json Body(const httplib::Result& r) {
  if (!r) return Json();
  return Json::parse(r->body, nullptr, false);
}

std::string ErrorCode(const httplib::Result& r) {
  Json j = Body(r);
  if (!j.is_object() || !j.contains("error")) return "";
  return j["error"]["code"].get<std::string>();
}

void ApiTest::SetUpTestSuite() {
  dir_ = new fs::path(fs::temp_directory_path() / ("getihu_api_test_" + std::to_string(getpid())));
  fs::remove_all(*dir_);
  for (const char* region : {kRegion, kOtherRegion}) {
    synth::GenerateOptions gen;
    gen.households = std::string(region) == kRegion ? 800 : 300;
    gen.region_code = region;
    gen.as_of = *base::Date::Parse("2026-11-01");
    gen.seed = 5;
    gen.threads = 1;
    gen.out_dir = (*dir_ / "feeds" / region).string();
    ASSERT_TRUE(synth::Generate(gen).ok());
  }
}

void ApiTest::TearDownTestSuite() {
  fs::remove_all(*dir_);
  delete dir_;
  dir_ = nullptr;
}

std::unique_ptr<storage::Database> ApiTest::OpenDb() {
  base::Result<std::unique_ptr<storage::Database>> db =
      schema_ ? storage::OpenPostgres(std::getenv("GETIHU_TEST_PG"), {.schema = *schema_})
              : storage::OpenSqlite(sqlite_path_);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(*db) : nullptr;
}

void ApiTest::SetUp() {
  static int count = 0;
  ++count;
  if (GetParam() == Backend::kPostgres) {
    const char* pg = std::getenv("GETIHU_TEST_PG");
    if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "GETIHU_TEST_PG is not set";
    auto admin = storage::OpenPostgres(pg);
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    schema_ = "getihu_api_" + std::to_string(getpid()) + "_" + std::to_string(count);
    ASSERT_TRUE((*admin)
                    ->ExecuteScript("DROP SCHEMA IF EXISTS " + *schema_ +
                                    " CASCADE; CREATE SCHEMA " + *schema_)
                    .ok());
  } else {
    sqlite_path_ = (*dir_ / ("pool-" + std::to_string(count) + ".db")).string();
  }
  std::unique_ptr<storage::Database> db = OpenDb();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Migrate(clock_).ok());
  base::Date as_of = *base::Date::Parse("2026-11-01");
  for (const char* region : {kRegion, kOtherRegion}) {
    workflows::ImportOptions options;
    options.as_of = as_of;
    options.rejects_path = (*dir_ / ("rejects-" + std::to_string(count) + ".csv")).string();
    auto reports = workflows::ImportDirectory(*db, (*dir_ / "feeds" / region).string(), options);
    ASSERT_TRUE(reports.ok()) << reports.status().ToString();
  }
  std::string text(rules::BuiltinRuleSetText(rules::kDefaultTiering));
  auto set = rules::ParseRuleSet(text, "default-tiering.toml", rules::ProfileFields());
  ASSERT_TRUE(set.ok());
  workflows::TierRunOptions run;
  run.as_of = *base::Date::Parse("2026-07-01");
  run.region_prefix = kRegion;
  run.threads = 1;
  auto report = workflows::RunTiering(*db, *set, text, run);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  run_id_ = report->run.id;

  auto pick = [&](const char* region, int outcome, int skip) {
    auto stmt = db->Prepare(
        "SELECT h.uscc FROM households h LEFT JOIN tier_results r ON r.household_id = h.id"
        " AND r.run_id = ? WHERE h.region_code = ? AND h.status = 'active'"
        " AND (? < 0 OR r.outcome = ?) ORDER BY h.id LIMIT 1 OFFSET ?");
    EXPECT_TRUE(stmt.ok());
    std::vector<storage::Value> params = {run_id_, region, outcome, outcome, skip};
    EXPECT_TRUE((*stmt)->BindAll(params).ok());
    auto row = (*stmt)->Step();
    EXPECT_TRUE(row.ok() && *row);
    return (*stmt)->ColumnText(0);
  };
  own_uscc_ = pick(kRegion, 1, 0);
  other_uscc_ = pick(kRegion, 1, 1);
  foreign_uscc_ = pick(kOtherRegion, -1, 0);

  // One hash for every account: Argon2id is slow on purpose.
  static const std::string hash = *server::HashPassword(kPassword);
  storage::AccountRepository accounts(*db);
  storage::Department tax{0, "tax", "区税务局", {"tax"}};
  ASSERT_TRUE(accounts.CreateDepartment(tax).ok());
  struct Account {
    const char* username;
    const char* role;
    std::string region;
    bool unmask;
    std::optional<std::string> household;
    std::optional<int64_t> department;
    bool must_change;
  };
  const Account list[] = {
      {"regulator", "regulator", kRegion, true, std::nullopt, std::nullopt, false},
      {"plain_regulator", "regulator", kRegion, false, std::nullopt, std::nullopt, false},
      {"other_regulator", "regulator", kOtherRegion, false, std::nullopt, std::nullopt, false},
      {"city_regulator", "regulator", "5001", false, std::nullopt, std::nullopt, false},
      {"taxman", "department", kRegion, false, std::nullopt, tax.id, false},
      {"owner", "owner", kRegion, false, own_uscc_, std::nullopt, false},
      {"admin", "admin", kRegion, false, std::nullopt, std::nullopt, false},
      {"newcomer", "regulator", kRegion, false, std::nullopt, std::nullopt, true},
  };
  for (const Account& a : list) {
    storage::UserRecord u;
    u.username = a.username;
    u.display_name = a.username;
    u.role = a.role;
    u.region_prefix = a.region;
    u.can_unmask = a.unmask;
    u.household_uscc = a.household;
    u.department_id = a.department;
    u.password_hash = hash;
    u.password_changed_at = clock_.NowUnixSeconds();
    u.must_change_password = a.must_change;
    ASSERT_TRUE(accounts.CreateUser(u, storage::CstTimestamp(clock_.NowUnixSeconds())).ok());
  }
  db.reset();

  server::ServerOptions o;
  o.port = 0;
  o.clock = &clock_;
  o.db_connections = 4;
  o.work_dir = (*dir_ / ("work-" + std::to_string(count))).string();
  fs::create_directories(o.work_dir);
  o.limits.worker_threads = 16;
  o.limits.max_upload_bytes = 8 << 20;
  o.job_threads = 1;
  // The statistics through the pool's images, as a province's server reads them (the test
  // pools are far below the default threshold).
  o.population_images.dir = o.work_dir + "/images";
  o.population_images.min_households = 1;
  o.sms = sms_;
  o.open_database = [this]() -> base::Result<std::unique_ptr<storage::Database>> {
    if (schema_) return storage::OpenPostgres(std::getenv("GETIHU_TEST_PG"), {.schema = *schema_});
    return storage::OpenSqlite(sqlite_path_);
  };
  server_ = std::make_unique<server::ApiServer>(std::move(o));
  ASSERT_TRUE(server_->Start().ok());
  port_ = server_->port();
  serving_ = std::thread([this] { server_->Serve(); });
  // Wait until it answers.
  for (int i = 0; i < 100; ++i) {
    httplib::Client c("127.0.0.1", port_);
    if (c.Get("/api/v1/session")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void ApiTest::TearDown() {
  if (server_) {
    server_->WaitForJobs();
    server_->Stop();
  }
  if (serving_.joinable()) serving_.join();
  server_.reset();
  if (schema_) {
    auto admin = storage::OpenPostgres(std::getenv("GETIHU_TEST_PG"));
    if (admin.ok()) (void)(*admin)->ExecuteScript("DROP SCHEMA " + *schema_ + " CASCADE");
  }
}

std::unique_ptr<Client> ApiTest::SignIn(const std::string& username) {
  auto c = std::make_unique<Client>(port_);
  httplib::Result r = c->Login(username, kPassword);
  EXPECT_TRUE(r && r->status == 200) << username << ": " << (r ? r->body : "no reply");
  return c;
}

}  // namespace getihu::apitest
