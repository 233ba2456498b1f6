#include "storage/migrations.h"

#include <optional>
#include <string>

#include "storage/database.h"
#include "storage/dialect.h"

namespace getihu::storage {
namespace {

// Portable in both dialects; `version` is a plain integer key (a rowid alias in SQLite).
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

std::string Label(const Migration& m) {
  std::string label = std::to_string(m.version);
  label.insert(0, label.size() < 4 ? 4 - label.size() : 0, '0');
  return label + "_" + std::string(m.name);
}

base::Status CheckOrder(std::span<const Migration> migrations) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return base::Internal("数据库迁移的编号未严格递增：" + Label(migrations[i]));
    }
  }
  return base::OkStatus();
}

// Applies one migration unless another process did so first.
base::Status ApplyOne(Database& db, const Migration& m, const base::Clock& clock) {
  GETIHU_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> done,
      db.QueryInt("SELECT version FROM schema_migrations WHERE version = ?", {m.version}));
  if (done.has_value()) return tx.Commit();
  GETIHU_ASSIGN_OR_RETURN(std::string sql, ExpandSchemaScript(m.sql, db.dialect()));
  GETIHU_RETURN_IF_ERROR(db.ExecuteScript(sql));
  GETIHU_RETURN_IF_ERROR(
      db.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                 {m.version, m.name, CstTimestamp(clock.NowUnixSeconds())}));
  return tx.Commit();
}

}  // namespace

base::Status ApplyMigrations(Database& db, std::span<const Migration> migrations,
                             const base::Clock& clock) {
  if (db.in_transaction()) {
    return base::FailedPrecondition("数据库迁移不能在事务中进行");
  }
  GETIHU_RETURN_IF_ERROR(CheckOrder(migrations));
  GETIHU_RETURN_IF_ERROR(db.ExecuteScript(kCreateMigrationsTable));
  GETIHU_ASSIGN_OR_RETURN(int applied, AppliedSchemaVersion(db));
  int known = migrations.empty() ? 0 : migrations.back().version;
  if (applied > known) {
    return base::FailedPrecondition("数据库结构版本 " + std::to_string(applied) +
                                    " 高于本程序支持的版本 " + std::to_string(known) +
                                    "，请使用新版本的程序");
  }
  for (const Migration& m : migrations) {
    if (m.version <= applied) continue;
    GETIHU_RETURN_IF_ERROR(ApplyOne(db, m, clock).WithContext("数据库迁移 " + Label(m) + " 失败"));
  }
  return base::OkStatus();
}

base::Result<int> AppliedSchemaVersion(Database& db) {
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> tables,
                          db.QueryInt(TableExistsSql(db.dialect()), {"schema_migrations"}));
  if (tables.value_or(0) == 0) return 0;
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> version,
                          db.QueryInt("SELECT MAX(version) FROM schema_migrations"));
  return static_cast<int>(version.value_or(0));
}

}  // namespace getihu::storage
