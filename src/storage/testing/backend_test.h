// Backend-agnostic test fixtures for storage: every suite below runs unchanged on each
// backend that instantiates it with GETIHU_INSTANTIATE_STORAGE_SUITES (the SQLite backend in
// sqlite/sqlite_database_test.cc, PostgreSQL in postgres/postgres_database_test.cc). For tests
// only.
#ifndef GETIHU_STORAGE_TESTING_BACKEND_TEST_H_
#define GETIHU_STORAGE_TESTING_BACKEND_TEST_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "base/clock.h"
#include "base/date.h"
#include "base/status.h"
#include "domain/household.h"
#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/database.h"
#include "storage/household_repository.h"

namespace getihu::storage::testing {

// Opens fresh, empty databases of one backend.
class BackendFactory {
 public:
  virtual ~BackendFactory() = default;
  // A test-name suffix, e.g. "SqliteMemory".
  virtual std::string name() const = 0;
  // Returns a new, empty, unmigrated database.
  virtual base::Result<std::unique_ptr<Database>> Open() = 0;
  // Removes what the last Open created; called after that database is closed (also after a
  // skipped test, when nothing was opened).
  virtual void Cleanup() {}
  // When set, every test on this backend is skipped with this reason (e.g. no server).
  virtual std::optional<std::string> SkipReason() const { return std::nullopt; }
  // Returns another connection to the database the last Open created, for tests of concurrent
  // writers; nullopt where there cannot be one (an in-memory database).
  virtual std::optional<base::Result<std::unique_ptr<Database>>> OpenAnother() {
    return std::nullopt;
  }
};

// The fixture: db() is a fresh database migrated with clock(), plus helpers to fill it.
class BackendTest : public ::testing::TestWithParam<BackendFactory*> {
 protected:
  // 2024-07-01T08:00:00+08:00, the July tier run.
  static constexpr int64_t kNow = 1719792000;

  void SetUp() override {
    if (auto reason = GetParam()->SkipReason()) GTEST_SKIP() << *reason;
    auto opened = GetParam()->Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
    base::Status migrated = db_->Migrate(clock_);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
  }

  void TearDown() override {
    db_.reset();
    GetParam()->Cleanup();
  }

  Database& db() { return *db_; }
  const base::Clock& clock() const { return clock_; }

  // Returns the first column of the first row; fails the test on an error.
  std::optional<int64_t> Int(std::string_view sql, std::initializer_list<Value> params = {}) {
    auto r = db().QueryInt(sql, params);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << " in " << sql;
    return r.ok() ? *r : std::nullopt;
  }

  // Creates a loading batch of `feed` whose hash is derived from `n`.
  int64_t NewBatchId(int n = 1, std::string feed = "registration") {
    NewBatch batch{.feed = std::move(feed),
                   .file_name = "file" + std::to_string(n) + ".csv",
                   .content_sha256 = Sha(n),
                   .period = std::nullopt,
                   .as_of = std::nullopt,
                   .imported_by = "tester",
                   .imported_at_unix = kNow};
    auto id = BatchRepository(db()).CreateBatch(batch);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  // A 64-character hex string distinct for each n.
  static std::string Sha(int n) {
    std::string hex = std::to_string(n);
    return std::string(64 - hex.size(), 'a') + hex;
  }

  // A valid USCC of a household in 500113 (巴南区), distinct for each n.
  static std::string Uscc(int n) {
    return domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
  }

  // An active household registered in 2020, numbered n.
  static domain::Household SampleHousehold(int n) {
    domain::Household h;
    h.uscc = Uscc(n);
    h.name = "巴南区测试商店" + std::to_string(n);
    h.operator_name = "张三";
    h.region_code = "500113";
    h.industry_code = "5211";
    h.registered_on = *base::Date::FromYmd(2020, 3, 15);
    h.status_since = h.registered_on;
    return h;
  }

  // Stores SampleHousehold(n) under `batch_id` and returns its id.
  int64_t AddHousehold(int n, int64_t batch_id) {
    auto id = HouseholdRepository(db()).UpsertHousehold(SampleHousehold(n), batch_id);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  static base::Date Ymd(int y, int m, int d) { return *base::Date::FromYmd(y, m, d); }

 private:
  base::FixedClock clock_{kNow};
  std::unique_ptr<Database> db_;
};

// One suite per area, so that test names say what they test.
class DatabaseTest : public BackendTest {};
class MigrationsTest : public BackendTest {};
class BatchRepositoryTest : public BackendTest {};
class HouseholdRepositoryTest : public BackendTest {};
class FactRepositoryTest : public BackendTest {};
class EventRepositoryTest : public BackendTest {};
class TierRepositoryTest : public BackendTest {};
class AuditRepositoryTest : public BackendTest {};
class AccountRepositoryTest : public BackendTest {};
class PoolSummaryTest : public BackendTest {};
class ProfileQueryTest : public BackendTest {};
class StatsSettingsRepositoryTest : public BackendTest {};
class TransactionRetryTest : public BackendTest {};

inline std::string BackendName(const ::testing::TestParamInfo<BackendFactory*>& info) {
  return info.param->name();
}

}  // namespace getihu::storage::testing

// Runs every backend-agnostic storage suite on the given BackendFactory* values. Use it at
// namespace scope inside getihu::storage::testing.
#define GETIHU_INSTANTIATE_STORAGE_SUITES(prefix, ...)                                             \
  INSTANTIATE_TEST_SUITE_P(prefix, DatabaseTest, ::testing::Values(__VA_ARGS__), BackendName);     \
  INSTANTIATE_TEST_SUITE_P(prefix, MigrationsTest, ::testing::Values(__VA_ARGS__), BackendName);   \
  INSTANTIATE_TEST_SUITE_P(prefix, BatchRepositoryTest, ::testing::Values(__VA_ARGS__),            \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, HouseholdRepositoryTest, ::testing::Values(__VA_ARGS__),        \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, FactRepositoryTest, ::testing::Values(__VA_ARGS__),             \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, EventRepositoryTest, ::testing::Values(__VA_ARGS__),            \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, TierRepositoryTest, ::testing::Values(__VA_ARGS__),             \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, AuditRepositoryTest, ::testing::Values(__VA_ARGS__),            \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, AccountRepositoryTest, ::testing::Values(__VA_ARGS__),          \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, PoolSummaryTest, ::testing::Values(__VA_ARGS__), BackendName);  \
  INSTANTIATE_TEST_SUITE_P(prefix, ProfileQueryTest, ::testing::Values(__VA_ARGS__), BackendName); \
  INSTANTIATE_TEST_SUITE_P(prefix, StatsSettingsRepositoryTest, ::testing::Values(__VA_ARGS__),    \
                           BackendName);                                                           \
  INSTANTIATE_TEST_SUITE_P(prefix, TransactionRetryTest, ::testing::Values(__VA_ARGS__),           \
                           BackendName)

#endif  // GETIHU_STORAGE_TESTING_BACKEND_TEST_H_
