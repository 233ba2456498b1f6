#include "storage/migrations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/batch_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/testing/backend_test.h"
#include "storage/tier_repository.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

int LatestVersion() { return BuiltinMigrations().back().version; }

// The built-in migrations followed by `extra`, numbered after them.
std::vector<Migration> BuiltinPlus(std::string_view name, std::string_view sql) {
  std::vector<Migration> all(BuiltinMigrations().begin(), BuiltinMigrations().end());
  all.push_back({LatestVersion() + 1, name, sql});
  return all;
}

TEST(BuiltinMigrationsTest, AreNumberedWithoutGaps) {
  ASSERT_FALSE(BuiltinMigrations().empty());
  int expected = 1;
  for (const Migration& m : BuiltinMigrations()) {
    EXPECT_EQ(m.version, expected++);
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.sql.empty());
  }
  EXPECT_EQ(BuiltinMigrations().front().name, "data_pool");
}

TEST(BuiltinMigrationsTest, ExpandForBothDialects) {
  for (const Migration& m : BuiltinMigrations()) {
    for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
      auto sql = ExpandSchemaScript(m.sql, d);
      ASSERT_TRUE(sql.ok()) << m.name << ": " << sql.status().ToString();
      EXPECT_EQ(sql->find("{{"), std::string::npos);
    }
  }
}

TEST_P(MigrationsTest, FreshDatabaseIsAtTheLatestVersion) {
  EXPECT_EQ(*db().SchemaVersion(), LatestVersion());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(BuiltinMigrations().size()));
  auto stmt = db().Prepare("SELECT name, applied_at FROM schema_migrations WHERE version = 1");
  ASSERT_TRUE(stmt.ok() && *(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnText(0), "data_pool");
  EXPECT_EQ((*stmt)->ColumnText(1), CstTimestamp(kNow));
}

TEST_P(MigrationsTest, RunningAgainChangesNothing) {
  base::FixedClock later(kNow + 86400);
  ASSERT_TRUE(db().Migrate(later).ok());
  ASSERT_TRUE(db().Migrate(later).ok());
  EXPECT_EQ(*db().SchemaVersion(), LatestVersion());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int64_t>(BuiltinMigrations().size()));
  EXPECT_EQ(
      Int("SELECT COUNT(*) FROM schema_migrations WHERE applied_at = ?", {CstTimestamp(kNow)}),
      static_cast<int64_t>(BuiltinMigrations().size()));
}

TEST_P(MigrationsTest, AppliesOnlyTheNewOnes) {
  auto all = BuiltinPlus("add_notes", "CREATE TABLE notes (id {{id_pk}}, body TEXT NOT NULL)");
  ASSERT_TRUE(ApplyMigrations(db(), all, clock()).ok());
  EXPECT_EQ(*db().SchemaVersion(), LatestVersion() + 1);
  EXPECT_TRUE(db().Execute("INSERT INTO notes (body) VALUES ('x')").ok());
  EXPECT_EQ(Int("SELECT id FROM notes"), 1);  // the surrogate key is generated
}

TEST_P(MigrationsTest, FailedMigrationLeavesTheSchemaAsItWas) {
  auto all = BuiltinPlus(
      "broken", "CREATE TABLE half_done (a INTEGER); CREATE TABLE households (a INTEGER);");
  base::Status s = ApplyMigrations(db(), all, clock());
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.message().starts_with("数据库迁移 ")) << s.message();
  EXPECT_NE(s.message().find("_broken 失败："), std::string::npos) << s.message();
  EXPECT_EQ(*db().SchemaVersion(), LatestVersion());
  EXPECT_FALSE(db().in_transaction());
  EXPECT_FALSE(db().Prepare("SELECT a FROM half_done").ok());
}

TEST_P(MigrationsTest, DatabaseFromANewerProgramIsRefused) {
  ASSERT_TRUE(db().Execute("INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (999, 'future', 'x')")
                  .ok());
  base::Status s = db().Migrate(clock());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "数据库结构版本 999 高于本程序支持的版本 " +
                             std::to_string(LatestVersion()) + "，请使用新版本的程序");
}

TEST_P(MigrationsTest, MigrationsOutOfOrderAreAProgrammingError) {
  std::vector<Migration> bad = {{2, "b", "SELECT 1"}, {1, "a", "SELECT 1"}};
  EXPECT_EQ(ApplyMigrations(db(), bad, clock()).code(), StatusCode::kInternal);
}

TEST_P(MigrationsTest, MigrateInsideATransactionIsRefused) {
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  auto all = BuiltinPlus("late", "CREATE TABLE late (a INTEGER)");
  EXPECT_EQ(ApplyMigrations(db(), all, clock()).code(), StatusCode::kFailedPrecondition);
}

// Migration 0015 rebuilds tier_results in SQLite (WITHOUT ROWID) under the objections that
// reference it: the results, the objections and the reference itself survive.
TEST(ClusteredTierResultsMigrationTest, KeepsResultsAndTheObjectionsOnThem) {
  auto opened = OpenSqlite(":memory:");
  ASSERT_TRUE(opened.ok());
  Database& db = **opened;
  constexpr int64_t kNow = 1719792000;
  base::FixedClock clock(kNow);
  ASSERT_TRUE(ApplyMigrations(db, BuiltinMigrations().first(14), clock).ok());
  auto batch = BatchRepository(db).CreateBatch({.feed = "registration",
                                                .file_name = "f.csv",
                                                .content_sha256 = std::string(64, 'a'),
                                                .imported_by = "tester",
                                                .imported_at_unix = kNow});
  ASSERT_TRUE(batch.ok());
  std::vector<TierResultRow> rows;
  for (int n = 1; n <= 3; ++n) {
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
    h.operator_name = "张三";
    h.region_code = "500113";
    h.industry_code = "5211";
    h.registered_on = h.status_since = *base::Date::FromYmd(2020, 3, 15);
    auto id = HouseholdRepository(db).UpsertHousehold(h, *batch);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    rows.push_back({.household_id = *id, .outcome = kOutcomeSurvival, .row = n});
  }
  TierRepository tiers(db, clock);
  TierRunRecord run;
  run.rule_set_name = "r";
  run.rule_set_version = "1";
  run.rule_set_sha256 = std::string(64, 'f');
  run.params_json = "{}";
  run.as_of = *base::Date::FromYmd(2024, 6, 30);
  run.created_by = "tester";
  run.households = run.survival = 3;
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  ASSERT_TRUE(tiers.InsertResults(run.id, rows).ok());
  Objection objection;
  objection.run_id = run.id;
  objection.household_id = rows[1].household_id;
  objection.filed_by = "owner";
  objection.claim = "claim";
  ASSERT_TRUE(tiers.FileObjection(objection).ok());

  ASSERT_TRUE(ApplyMigrations(db, BuiltinMigrations(), clock).ok());
  EXPECT_EQ(*db.QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'tier_results'"
                         " AND sql LIKE '%WITHOUT ROWID%'"),
            1);
  std::vector<int> kept;
  ASSERT_TRUE(tiers
                  .ScanResults(run.id,
                               [&](const TierResultRow& r) {
                                 kept.push_back(r.row);
                                 return base::OkStatus();
                               })
                  .ok());
  EXPECT_EQ(kept, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(tiers.History(rows[1].household_id)->size(), 1u);
  EXPECT_EQ(tiers.ListObjections(run.id, std::nullopt)->size(), 1u);
  // The objection still pins its result; the others can go.
  EXPECT_FALSE(
      db.Execute("DELETE FROM tier_results WHERE household_id = ?", {rows[1].household_id}).ok());
  EXPECT_EQ(*db.Execute("DELETE FROM tier_results WHERE household_id = ?", {rows[0].household_id}),
            1);
}

}  // namespace
}  // namespace getihu::storage::testing
