#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "storage/dialect.h"
#include "storage/sqlite/sqlite_status.h"

namespace getihu::storage {
namespace {

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  base::Status BindNull(int index) override { return Check(sqlite3_bind_null(stmt_, index)); }
  base::Status BindInt(int index, int64_t value) override {
    return Check(sqlite3_bind_int64(stmt_, index, value));
  }
  base::Status BindDouble(int index, double value) override {
    return Check(sqlite3_bind_double(stmt_, index, value));
  }
  base::Status BindText(int index, std::string_view value) override {
    return Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8));
  }

  base::Status BindTextBorrowed(int index, std::string_view value) override {
    return Check(
        sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
  }

  base::Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteStatus(rc, sqlite3_errmsg(db_));
  }

  base::Status Reset() override {
    sqlite3_reset(stmt_);  // its code repeats the last Step's error, already reported
    return Check(sqlite3_clear_bindings(stmt_));
  }

  int64_t changes() const override { return sqlite3_changes64(db_); }

  int column_count() const override { return sqlite3_column_count(stmt_); }
  bool ColumnIsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t ColumnInt(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double ColumnDouble(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string ColumnText(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return std::string();
    return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
  }
  std::string_view ColumnTextView(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return std::string_view();
    return std::string_view(reinterpret_cast<const char*>(text),
                            static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  base::Status Check(int rc) const {
    if (rc == SQLITE_OK) return base::OkStatus();
    return SqliteStatus(rc, sqlite3_errmsg(db_));
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

class SqliteDatabase final : public Database {
 public:
  // Takes ownership of `db`, which may be a handle whose open failed.
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}
  ~SqliteDatabase() override {
    for (sqlite3_stmt* stmt : control_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  sqlite3* handle() const { return db_; }
  Dialect dialect() const override { return Dialect::kSqlite; }

  base::Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
    if (rc != SQLITE_OK) {
      return SqliteStatus(rc, sqlite3_errmsg(db_)).WithContext("SQL 语句无法编译");
    }
    auto result = std::make_unique<SqliteStatement>(db_, stmt);
    if (stmt == nullptr) return base::Internal("SQL 语句为空");
    if (!IsBlank(std::string_view(tail, sql.data() + sql.size() - tail))) {
      return base::Internal("一次只能编译一条 SQL 语句：" + std::string(sql));
    }
    return std::unique_ptr<Statement>(std::move(result));
  }

  base::Status ExecuteScript(std::string_view sql) override {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return base::OkStatus();
    std::string detail = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return SqliteStatus(sqlite3_extended_errcode(db_), detail);
  }

  base::Result<bool> EnterBulkLoadMode() override {
    if (in_transaction()) return base::FailedPrecondition("批量导入模式须在事务之外切换");
    // Leaving WAL needs the only connection: with another one open it fails at once (no
    // busy wait), and the load goes on in WAL.
    sqlite3_busy_timeout(db_, 0);
    base::Result<std::string> mode = JournalMode("DELETE");
    sqlite3_busy_timeout(db_, busy_timeout_ms_);
    if (!mode.ok() || *mode != "delete") return false;
    // A rollback journal is safe against power loss only with FULL sync at commit.
    GETIHU_RETURN_IF_ERROR(
        ExecuteScript("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF; PRAGMA "
                      "ignore_check_constraints = ON"));
    return true;
  }

  base::Status LeaveBulkLoadMode() override {
    if (in_transaction()) return base::FailedPrecondition("批量导入模式须在事务之外切换");
    // The checks first, so that they are back even when WAL cannot be.
    GETIHU_RETURN_IF_ERROR(
        ExecuteScript("PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF"));
    GETIHU_ASSIGN_OR_RETURN(std::string mode, JournalMode("WAL"));
    if (mode != "wal") return base::Unavailable("无法恢复数据库的 WAL 日志模式（" + mode + "）");
    return ExecuteScript("PRAGMA synchronous = NORMAL");
  }

  void set_busy_timeout_ms(int ms) {
    busy_timeout_ms_ = ms;
    sqlite3_busy_timeout(db_, ms);
  }

 private:
  // Sets the journal mode and returns the one in force afterwards (lower case).
  base::Result<std::string> JournalMode(std::string_view mode) {
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                            Prepare("PRAGMA journal_mode = " + std::string(mode)));
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    return row ? stmt->ColumnText(0) : std::string();
  }

  // Transaction control runs on every API request: through statements prepared once per
  // connection instead of sqlite3_exec, which parses and compiles the text each time.
  enum Control { kBeginWrite, kBeginRead, kCommit, kRollback, kControlCount };

  base::Status RunControl(Control which) {
    static const std::string_view kSql[kControlCount] = {BeginTransactionSql(Dialect::kSqlite),
                                                         BeginReadSql(Dialect::kSqlite), "COMMIT",
                                                         "ROLLBACK"};
    sqlite3_stmt*& stmt = control_[which];
    if (stmt == nullptr) {
      int rc = sqlite3_prepare_v2(db_, kSql[which].data(), static_cast<int>(kSql[which].size()),
                                  &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteStatus(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
    }
    int rc = sqlite3_step(stmt);
    base::Status status = rc == SQLITE_DONE
                              ? base::OkStatus()
                              : SqliteStatus(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
    sqlite3_reset(stmt);
    return status;
  }

  base::Status BeginTransaction() override { return RunControl(kBeginWrite); }
  base::Status BeginReadTransaction() override { return RunControl(kBeginRead); }
  base::Status CommitTransaction() override { return RunControl(kCommit); }
  base::Status RollbackTransaction() override { return RunControl(kRollback); }

  sqlite3* db_;
  int busy_timeout_ms_ = 0;
  sqlite3_stmt* control_[kControlCount] = {};
};

base::Status OpenFailure(const std::string& path, int rc, sqlite3* db) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_CANTOPEN) {
    return base::Unavailable("无法打开数据库文件 " + path + "：文件或目录不存在，或没有访问权限（" +
                             detail + "）");
  }
  return SqliteStatus(rc, detail).WithContext("无法打开数据库文件 " + path);
}

// Applies the connection settings; the first read here also detects a non-database file.
base::Status Configure(SqliteDatabase& db, const OpenOptions& options) {
  sqlite3_extended_result_codes(db.handle(), 1);
  db.set_busy_timeout_ms(options.busy_timeout_ms);
  std::string_view pragmas = options.read_only
                                 ? "PRAGMA foreign_keys = ON; PRAGMA schema_version;"
                                 : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                                   " PRAGMA foreign_keys = ON;";
  GETIHU_RETURN_IF_ERROR(db.ExecuteScript(pragmas));
  // A large page cache keeps a bulk import's transaction in memory instead of spilling pages
  // to the WAL again and again (the memory is only taken as pages are used).
  GETIHU_RETURN_IF_ERROR(db.ExecuteScript("PRAGMA cache_size = -" +
                                          std::to_string(options.cache_mib * 1024) +
                                          "; PRAGMA temp_store = MEMORY;"));
  // Reads through a memory map instead of a pread() and a copy per page: whole-pool scans
  // (tier runs, statistics) spend most of their time there otherwise. SQLite caps the size at
  // its compile-time limit; writes still go through the WAL.
  GETIHU_RETURN_IF_ERROR(db.ExecuteScript("PRAGMA mmap_size = 17179869184;"));
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> fk, db.QueryInt("PRAGMA foreign_keys"));
  if (fk.value_or(0) != 1) {
    return base::FailedPrecondition("此 SQLite 版本不支持外键约束");
  }
  return base::OkStatus();
}

}  // namespace

base::Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                   const OpenOptions& options) {
  // SQLite's memory statistics take a process-wide mutex on every allocation, which
  // serializes the server's connections; nothing reads them. Must precede the first open.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  int flags = SQLITE_OPEN_NOMUTEX;  // thread-compatible by contract
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (options.create_if_missing ? SQLITE_OPEN_CREATE : 0);
  }
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  auto db = std::make_unique<SqliteDatabase>(handle);
  if (rc != SQLITE_OK) return OpenFailure(path, rc, handle);
  GETIHU_RETURN_IF_ERROR(Configure(*db, options).WithContext("无法打开数据库文件 " + path));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace getihu::storage
