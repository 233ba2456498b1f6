#include "storage/sqlite/sqlite_database.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "storage/migrations.h"
#include "storage/sqlite/sqlite_status.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

class SqliteMemoryFactory final : public BackendFactory {
 public:
  std::string name() const override { return "SqliteMemory"; }
  base::Result<std::unique_ptr<Database>> Open() override { return OpenSqlite(":memory:"); }
};

// A file under the test temp directory, removed with its WAL files after each test.
class SqliteFileFactory final : public BackendFactory {
 public:
  std::string name() const override { return "SqliteFile"; }
  base::Result<std::unique_ptr<Database>> Open() override {
    path_ = ::testing::TempDir() + "getihu_storage_" + std::to_string(getpid()) + "_" +
            std::to_string(++count_) + ".db";
    Cleanup();
    return OpenSqlite(path_);
  }
  std::optional<base::Result<std::unique_ptr<Database>>> OpenAnother() override {
    return OpenSqlite(path_);
  }
  void Cleanup() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int count_ = 0;
};

SqliteMemoryFactory memory_factory;
SqliteFileFactory file_factory;

GETIHU_INSTANTIATE_STORAGE_SUITES(Sqlite, &memory_factory, &file_factory);

// Returns the text of the first column of the first row of `sql`.
std::string Text(Database& db, std::string_view sql) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status().ToString();
  auto row = (*stmt)->Step();
  if (!row.ok() || !*row) return "<no row>";
  return (*stmt)->ColumnText(0);
}

// SQLite-specific behaviour, on a fresh unmigrated file database db().
class SqliteDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = factory_.Open();
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
  }
  void TearDown() override {
    db_.reset();
    factory_.Cleanup();
  }
  Database& db() { return *db_; }
  const std::string& path() const { return factory_.path(); }
  void Close() { db_.reset(); }

 private:
  SqliteFileFactory factory_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteDatabaseTest, FileDatabaseUsesWalAndForeignKeys) {
  EXPECT_EQ(Text(db(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Text(db(), "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(Text(db(), "PRAGMA synchronous"), "1");  // NORMAL
  EXPECT_EQ(db().dialect(), Dialect::kSqlite);
}

TEST_F(SqliteDatabaseTest, BulkLoadModeLeavesWalOnlyWhenAlone) {
  auto on = db().EnterBulkLoadMode();
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  EXPECT_TRUE(*on);
  EXPECT_EQ(Text(db(), "PRAGMA journal_mode"), "delete");
  EXPECT_EQ(Text(db(), "PRAGMA synchronous"), "2");   // FULL: safe without WAL
  EXPECT_EQ(Text(db(), "PRAGMA foreign_keys"), "0");  // the loader's rows are checked already
  EXPECT_EQ(Text(db(), "PRAGMA ignore_check_constraints"), "1");
  ASSERT_TRUE(db().LeaveBulkLoadMode().ok());
  EXPECT_EQ(Text(db(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Text(db(), "PRAGMA synchronous"), "1");
  EXPECT_EQ(Text(db(), "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(Text(db(), "PRAGMA ignore_check_constraints"), "0");

  // Another connection (the server, a report) keeps the pool in WAL: no wait, no error.
  auto other = OpenSqlite(path());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(Text(**other, "PRAGMA journal_mode"), "wal");
  on = db().EnterBulkLoadMode();
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  EXPECT_FALSE(*on);
  EXPECT_EQ(Text(db(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Text(db(), "PRAGMA foreign_keys"), "1");  // checks stay on outside the mode
}

TEST_F(SqliteDatabaseTest, MemoryDatabaseHasForeignKeys) {
  auto db = OpenSqlite(":memory:");
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(Text(**db, "PRAGMA foreign_keys"), "1");
}

TEST_F(SqliteDatabaseTest, MissingDirectoryGivesAChineseMessage) {
  auto db = OpenSqlite("/nonexistent-getihu-dir/pool.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(
      db.status().message().starts_with("无法打开数据库文件 /nonexistent-getihu-dir/pool.db"))
      << db.status().message();
}

TEST_F(SqliteDatabaseTest, MissingFileWithoutCreateIsUnavailable) {
  auto db = OpenSqlite(::testing::TempDir() + "getihu_absent.db", {.create_if_missing = false});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
}

TEST_F(SqliteDatabaseTest, FileThatIsNotADatabaseIsDataLoss) {
  std::string path = ::testing::TempDir() + "getihu_not_a_db_" + std::to_string(getpid());
  std::ofstream(path) << std::string(4096, 'x');
  auto db = OpenSqlite(path);
  std::remove(path.c_str());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(db.status().message().starts_with("无法打开数据库文件")) << db.status().message();
}

TEST_F(SqliteDatabaseTest, ReopenedFileKeepsSchemaAndMigrationsStayIdempotent) {
  ASSERT_TRUE(db().Migrate().ok());
  Close();
  auto reopened = OpenSqlite(path());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->SchemaVersion().value_or(-1), BuiltinMigrations().back().version);
  ASSERT_TRUE((*reopened)->Migrate().ok());
  EXPECT_EQ((*reopened)->QueryInt("SELECT COUNT(*) FROM schema_migrations")->value_or(0),
            static_cast<int64_t>(BuiltinMigrations().size()));
}

TEST_F(SqliteDatabaseTest, ReadOnlyConnectionRefusesWrites) {
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE t (a INTEGER)").ok());
  auto reader = OpenSqlite(path(), {.read_only = true});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->QueryInt("SELECT COUNT(*) FROM t")->value_or(-1), 0);
  EXPECT_EQ((*reader)->Execute("INSERT INTO t VALUES (1)").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(SqliteDatabaseTest, SecondWriterTimesOutWithAborted) {
  auto second = OpenSqlite(path(), {.busy_timeout_ms = 20});
  ASSERT_TRUE(second.ok());
  auto first_tx = Transaction::Begin(db());
  ASSERT_TRUE(first_tx.ok());
  auto second_tx = Transaction::Begin(**second);
  ASSERT_FALSE(second_tx.ok());
  EXPECT_EQ(second_tx.status().code(), StatusCode::kAborted);
  EXPECT_FALSE((*second)->in_transaction());
}

TEST(SqliteStatusTest, MapsResultCodesToStatusCodes) {
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_UNIQUE, "").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_PRIMARYKEY, "").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_FOREIGNKEY, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_CHECK, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_NOTNULL, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SqliteStatus(SQLITE_BUSY, "").code(), StatusCode::kAborted);
  EXPECT_EQ(SqliteStatus(SQLITE_LOCKED, "").code(), StatusCode::kAborted);
  EXPECT_EQ(SqliteStatus(SQLITE_CORRUPT, "").code(), StatusCode::kDataLoss);
  EXPECT_EQ(SqliteStatus(SQLITE_NOTADB, "").code(), StatusCode::kDataLoss);
  EXPECT_EQ(SqliteStatus(SQLITE_CANTOPEN, "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatus(SQLITE_IOERR_WRITE, "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatus(SQLITE_READONLY, "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteStatus(SQLITE_FULL, "").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(SqliteStatus(SQLITE_ERROR, "no such table: x").code(), StatusCode::kInternal);
  EXPECT_EQ(SqliteStatus(SQLITE_ERROR, "no such table: x").message(),
            "数据库内部错误（no such table: x）");
}

}  // namespace
}  // namespace getihu::storage::testing
