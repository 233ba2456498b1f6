// Backend-agnostic tests of Database, Statement and Transaction (see testing/backend_test.h).
#include "storage/database.h"

#include <gtest/gtest.h>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

constexpr std::string_view kCreateScratch =
    "CREATE TABLE scratch (i BIGINT, d DOUBLE PRECISION, s TEXT, n TEXT)";

TEST_P(DatabaseTest, BindsAndReadsEveryValueType) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  auto inserted = db().Execute("INSERT INTO scratch (i, d, s, n) VALUES (?, ?, ?, ?)",
                               {int64_t{9007199254740993}, 0.25, "经营者 ✓", nullptr});
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_EQ(*inserted, 1);

  auto stmt = db().Prepare("SELECT i, d, s, n FROM scratch");
  ASSERT_TRUE(stmt.ok());
  Statement& row = **stmt;
  ASSERT_TRUE(*row.Step());
  EXPECT_EQ(row.column_count(), 4);
  EXPECT_EQ(row.ColumnInt(0), 9007199254740993);
  EXPECT_EQ(row.ColumnDouble(1), 0.25);
  EXPECT_EQ(row.ColumnText(2), "经营者 ✓");
  EXPECT_TRUE(row.ColumnIsNull(3));
  EXPECT_EQ(row.ColumnOptionalText(3), std::nullopt);
  EXPECT_EQ(row.ColumnOptionalInt(0), 9007199254740993);
  EXPECT_FALSE(*row.Step());
}

TEST_P(DatabaseTest, StoresDatesAsIsoTextAndMoneyAsFen) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  ASSERT_TRUE(db().Execute("INSERT INTO scratch (i, s) VALUES (?, ?)",
                           {base::Money::FromFen(123456), Ymd(2023, 12, 31)})
                  .ok());
  auto stmt = db().Prepare("SELECT i, s, n FROM scratch WHERE s < ?");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE((*stmt)->Bind(1, Ymd(2024, 1, 1)).ok());
  ASSERT_TRUE(*(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnInt(0), 123456);
  EXPECT_EQ((*stmt)->ColumnText(1), "2023-12-31");
  EXPECT_EQ(*(*stmt)->ColumnDate(1), Ymd(2023, 12, 31));
  EXPECT_EQ(*(*stmt)->ColumnOptionalDate(2), std::nullopt);
}

TEST_P(DatabaseTest, UnreadableDateIsDataLoss) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  ASSERT_TRUE(db().Execute("INSERT INTO scratch (s) VALUES ('not a date')").ok());
  auto stmt = db().Prepare("SELECT s FROM scratch");
  ASSERT_TRUE(stmt.ok() && *(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnDate(0).status().code(), StatusCode::kDataLoss);
}

TEST_P(DatabaseTest, StatementRunsAgainWithNewParameters) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  auto insert = db().Prepare("INSERT INTO scratch (i) VALUES (?)");
  ASSERT_TRUE(insert.ok());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_EQ(*(*insert)->Run(std::vector<Value>{i}), 1);
  }
  EXPECT_EQ(Int("SELECT SUM(i) FROM scratch"), 6);
  EXPECT_EQ(*db().Execute("UPDATE scratch SET s = 'x' WHERE i >= ?", {2}), 2);
}

TEST_P(DatabaseTest, QueryIntWithoutRowIsNullopt) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  EXPECT_EQ(*db().QueryInt("SELECT i FROM scratch WHERE i = ?", {1}), std::nullopt);
  EXPECT_EQ(*db().QueryInt("SELECT COUNT(*) FROM scratch"), 0);
}

TEST_P(DatabaseTest, BadSqlIsInternal) {
  EXPECT_EQ(db().Prepare("SELEKT 1").status().code(), StatusCode::kInternal);
  EXPECT_EQ(db().Prepare("SELECT * FROM no_such_table").status().code(), StatusCode::kInternal);
  EXPECT_EQ(db().Prepare("SELECT 1; SELECT 2").status().code(), StatusCode::kInternal);
}

TEST_P(DatabaseTest, CommittedTransactionKeepsItsRows) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok()) << tx.status().ToString();
  EXPECT_TRUE(db().in_transaction());
  ASSERT_TRUE(db().Execute("INSERT INTO scratch (i) VALUES (1)").ok());
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_FALSE(tx->active());
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM scratch"), 1);
}

TEST_P(DatabaseTest, RolledBackTransactionLeavesNothing) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  {
    auto tx = Transaction::Begin(db());
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db().Execute("INSERT INTO scratch (i) VALUES (1)").ok());
    ASSERT_TRUE(tx->Rollback().ok());
    EXPECT_EQ(tx->Commit().code(), StatusCode::kFailedPrecondition);  // already finished
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM scratch"), 0);
}

TEST_P(DatabaseTest, AbandonedTransactionRollsBack) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  {
    auto tx = Transaction::Begin(db());
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db().Execute("INSERT INTO scratch (i) VALUES (1)").ok());
  }  // destroyed without Commit, e.g. by an early error return
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM scratch"), 0);
}

TEST_P(DatabaseTest, NestedTransactionIsRefused) {
  auto outer = Transaction::Begin(db());
  ASSERT_TRUE(outer.ok());
  auto inner = Transaction::Begin(db());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(outer->active());
  EXPECT_TRUE(outer->Commit().ok());
}

TEST_P(DatabaseTest, MovedTransactionIsFinishedOnce) {
  ASSERT_TRUE(db().ExecuteScript(kCreateScratch).ok());
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  Transaction moved = std::move(*tx);
  EXPECT_FALSE(tx->active());
  ASSERT_TRUE(db().Execute("INSERT INTO scratch (i) VALUES (1)").ok());
  ASSERT_TRUE(moved.Commit().ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM scratch"), 1);
}

}  // namespace
}  // namespace getihu::storage::testing
