#include "storage/migrations.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/testing/backend_test.h"

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

}  // namespace
}  // namespace getihu::storage::testing
