#include "storage/postgres/postgres_database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "storage/postgres/postgres_status.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

constexpr char kSkipReason[] =
    "GETIHU_TEST_PG is not set: run under tests/postgres/with_postgres.sh to test PostgreSQL";

// The server the PostgreSQL tests use, from GETIHU_TEST_PG; nullopt when none is given.
std::optional<std::string> TestConninfo() {
  const char* conninfo = std::getenv("GETIHU_TEST_PG");
  if (conninfo == nullptr || *conninfo == '\0') return std::nullopt;
  return std::string(conninfo);
}

// Each test gets its own schema, so that tests in parallel processes share one database.
class PostgresFactory final : public BackendFactory {
 public:
  std::string name() const override { return "Postgres"; }
  std::optional<std::string> SkipReason() const override {
    if (TestConninfo()) return std::nullopt;
    return kSkipReason;
  }
  base::Result<std::unique_ptr<Database>> Open() override {
    if (admin_ == nullptr) {
      GETIHU_ASSIGN_OR_RETURN(admin_, OpenPostgres(*TestConninfo()));
    }
    schema_ = "getihu_test_" + std::to_string(getpid()) + "_" + std::to_string(++count_);
    GETIHU_RETURN_IF_ERROR(admin_->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                                 " CASCADE; CREATE SCHEMA " + schema_));
    return OpenPostgres(*TestConninfo(), {.schema = schema_});
  }
  std::optional<base::Result<std::unique_ptr<Database>>> OpenAnother() override {
    return OpenPostgres(*TestConninfo(), {.schema = schema_});
  }
  void Cleanup() override {
    if (admin_ == nullptr || schema_.empty()) return;
    base::Status dropped = admin_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
    EXPECT_TRUE(dropped.ok()) << dropped.ToString();
    schema_.clear();
  }
  const std::string& schema() const { return schema_; }

 private:
  std::unique_ptr<Database> admin_;  // creates and drops the per-test schemas
  std::string schema_;
  int count_ = 0;
};

PostgresFactory postgres_factory;

GETIHU_INSTANTIATE_STORAGE_SUITES(Postgres, &postgres_factory);

// PostgreSQL-specific behaviour, on a fresh unmigrated schema db().
class PostgresDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = factory_.SkipReason()) GTEST_SKIP() << *reason;
    auto opened = factory_.Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
  }
  void TearDown() override {
    db_.reset();
    factory_.Cleanup();
  }
  Database& db() { return *db_; }
  // A second connection to the same schema.
  std::unique_ptr<Database> Connect() {
    auto db = OpenPostgres(*TestConninfo(), {.schema = factory_.schema()});
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }

 private:
  PostgresFactory factory_;
  std::unique_ptr<Database> db_;
};

TEST_F(PostgresDatabaseTest, SpeaksThePostgresDialectInItsOwnSchema) {
  EXPECT_EQ(db().dialect(), Dialect::kPostgres);
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a INTEGER)").ok());
  EXPECT_EQ(db().QueryInt(TableExistsSql(Dialect::kPostgres), {"t"})->value_or(-1), 1);
}

TEST_F(PostgresDatabaseTest, ParametersAndColumnsRoundTrip) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (i BIGINT, d DOUBLE PRECISION, s TEXT)").ok());
  int64_t big = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (?, ?, ?)", {big, 0.1, "巴南区 ? '引号'"}).ok());
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (?, ?, ?)", {Value(), Value(), Value()}).ok());
  auto stmt = db().Prepare("SELECT i, d, s, i IS NULL FROM t ORDER BY i NULLS LAST");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  ASSERT_TRUE(*(*stmt)->Step());
  EXPECT_EQ((*stmt)->column_count(), 4);
  EXPECT_EQ((*stmt)->ColumnInt(0), big);
  EXPECT_DOUBLE_EQ((*stmt)->ColumnDouble(1), 0.1);
  EXPECT_EQ((*stmt)->ColumnText(2), "巴南区 ? '引号'");
  EXPECT_EQ((*stmt)->ColumnInt(3), 0);  // a boolean reads as 0/1
  ASSERT_TRUE(*(*stmt)->Step());
  EXPECT_TRUE((*stmt)->ColumnIsNull(0));
  EXPECT_EQ((*stmt)->ColumnOptionalText(2), std::nullopt);
  EXPECT_EQ((*stmt)->ColumnInt(3), 1);
  EXPECT_FALSE(*(*stmt)->Step());
}

TEST_F(PostgresDatabaseTest, BindingOutOfRangeIsInternal) {
  auto stmt = db().Prepare("SELECT CAST(? AS BIGINT)");
  ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
  EXPECT_TRUE((*stmt)->BindInt(1, 7).ok());
  EXPECT_EQ((*stmt)->BindInt(2, 7).code(), StatusCode::kInternal);
}

TEST_F(PostgresDatabaseTest, BadSqlIsInternal) {
  auto stmt = db().Prepare("SELEC 1");
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().code(), StatusCode::kInternal);
  EXPECT_EQ(db().Prepare("SELECT 1; SELECT 2").status().code(), StatusCode::kInternal);
}

TEST_F(PostgresDatabaseTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a TEXT PRIMARY KEY)").ok());
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (?)", {"x"}).ok());
  auto again = db().Execute("INSERT INTO t VALUES (?)", {"x"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(again.status().message().starts_with("记录已存在")) << again.status().message();
}

TEST_F(PostgresDatabaseTest, FailedStatementRollsTheTransactionBack) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a TEXT PRIMARY KEY)").ok());
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES ('a')").ok());
  ASSERT_FALSE(db().Execute("INSERT INTO t VALUES ('a')").ok());
  EXPECT_EQ(tx->Commit().code(), StatusCode::kAborted);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 0);
}

TEST_F(PostgresDatabaseTest, BatchInATransactionIsPipelinedAndCountsEachStatement) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)").ok());
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  std::vector<BatchStatement> batch;
  constexpr std::string_view kInsert = "INSERT INTO t VALUES (?, ?) ON CONFLICT DO NOTHING";
  constexpr std::string_view kUpdate = "UPDATE t SET v = ? WHERE k = ?";
  // More than one chunk (256), a repeated key, NULLs and text that needs no escaping.
  for (int k = 0; k < 600; ++k) batch.push_back({kInsert, {k % 500, "值'" + std::to_string(k)}});
  batch.push_back({kUpdate, {nullptr, 7}});
  batch.push_back({kUpdate, {"x", 9999}});
  auto changes = db().ExecuteBatch(batch);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->size(), 602u);
  EXPECT_EQ((*changes)[0], 1);
  EXPECT_EQ((*changes)[499], 1);
  EXPECT_EQ((*changes)[500], 0) << "key 0 again: ON CONFLICT DO NOTHING";
  EXPECT_EQ((*changes)[600], 1);
  EXPECT_EQ((*changes)[601], 0);
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 500);
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t WHERE v IS NULL")->value_or(-1), 1);
}

TEST_F(PostgresDatabaseTest, BatchErrorIsReturnedAndTheConnectionStaysUsable) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
  {
    auto tx = Transaction::Begin(db());
    ASSERT_TRUE(tx.ok());
    std::vector<BatchStatement> batch;
    for (int k : {1, 2, 2, 3}) batch.push_back({"INSERT INTO t VALUES (?)", {k}});
    auto changes = db().ExecuteBatch(batch);
    ASSERT_FALSE(changes.ok());
    EXPECT_EQ(changes.status().code(), StatusCode::kAlreadyExists) << changes.status().ToString();
    EXPECT_EQ(tx->Commit().code(), StatusCode::kAborted);
  }
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 0);
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (?)", {5}).ok());
  // Outside a transaction a batch runs statement by statement.
  std::vector<BatchStatement> batch = {{"INSERT INTO t VALUES (?)", {6}}};
  EXPECT_EQ(db().ExecuteBatch(batch)->at(0), 1);
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 2);
}

TEST_F(PostgresDatabaseTest, SerializationFailureIsAborted) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)").ok());
  std::unique_ptr<Database> other = Connect();
  ASSERT_NE(other, nullptr);
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db().ExecuteScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").ok());
  ASSERT_EQ(db().QueryInt("SELECT a FROM t")->value_or(0), 1);  // takes the snapshot
  ASSERT_TRUE(other->Execute("UPDATE t SET a = 2").ok());
  auto update = db().Execute("UPDATE t SET a = 3");
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.status().code(), StatusCode::kAborted) << update.status().ToString();
}

TEST_F(PostgresDatabaseTest, DroppedConnectionIsReestablishedForTheNextStatement) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a INTEGER)").ok());
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (?)", {1}).ok());
  auto killed = db().QueryInt("SELECT CAST(pg_terminate_backend(pg_backend_pid()) AS INTEGER)");
  ASSERT_FALSE(killed.ok());
  EXPECT_EQ(killed.status().code(), StatusCode::kUnavailable) << killed.status().ToString();
  // The same prepared SQL works again: the statement is prepared anew on the new connection.
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (?)", {2}).ok());
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 2);
}

TEST_F(PostgresDatabaseTest, ConnectionLostInATransactionLosesTheTransaction) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a INTEGER)").ok());
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db().Execute("INSERT INTO t VALUES (1)").ok());
  ASSERT_FALSE(
      db().QueryInt("SELECT CAST(pg_terminate_backend(pg_backend_pid()) AS INTEGER)").ok());
  EXPECT_EQ(db().Execute("INSERT INTO t VALUES (2)").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(tx->Commit().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(db().QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 0);
}

TEST(PostgresOpenTest, UnreachableServerIsUnavailableWithAChineseMessage) {
  auto db = OpenPostgres("postgresql://getihu@127.0.0.1:1/none", {.connect_timeout_s = 2});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(db.status().message().starts_with("无法连接 PostgreSQL 数据库"))
      << db.status().message();
}

TEST(PostgresOpenTest, MalformedConninfoIsUnavailable) {
  auto db = OpenPostgres("host=127.0.0.1 port", {.connect_timeout_s = 2});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(db.status().message().starts_with("无法连接 PostgreSQL 数据库"))
      << db.status().message();
}

TEST(PostgresStatusTest, MapsSqlStatesToStatusCodes) {
  EXPECT_EQ(PostgresStatus("23505", "").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(PostgresStatus("23503", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PostgresStatus("23514", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PostgresStatus("23502", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PostgresStatus("22P02", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(PostgresStatus("40001", "").code(), StatusCode::kAborted);
  EXPECT_EQ(PostgresStatus("40P01", "").code(), StatusCode::kAborted);
  EXPECT_EQ(PostgresStatus("08006", "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(PostgresStatus("57P01", "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(PostgresStatus("53100", "").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(PostgresStatus("25006", "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(PostgresStatus("42P01", "relation \"x\" does not exist").code(), StatusCode::kInternal);
  EXPECT_EQ(PostgresStatus("42601", "syntax error").message(), "数据库内部错误（syntax error）");
}

}  // namespace
}  // namespace getihu::storage::testing
