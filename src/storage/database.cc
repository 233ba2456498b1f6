#include "storage/database.h"

#include <utility>

#include "storage/migrations.h"

namespace getihu::storage {

base::Result<Statement*> Database::PrepareCached(std::string_view sql) {
  auto it = statement_cache_.find(std::string(sql));
  if (it == statement_cache_.end()) {
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, Prepare(sql));
    it = statement_cache_.emplace(std::string(sql), std::move(stmt)).first;
  } else {
    GETIHU_RETURN_IF_ERROR(it->second->Reset());
  }
  return it->second.get();
}

base::Status Database::ResetCachedStatements() {
  for (auto& [sql, stmt] : statement_cache_) GETIHU_RETURN_IF_ERROR(stmt->Reset());
  return base::OkStatus();
}

base::Status Statement::Bind(int index, const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return BindNull(index);
    case Value::Type::kInt:
      return BindInt(index, value.AsInt());
    case Value::Type::kDouble:
      return BindDouble(index, value.AsDouble());
    case Value::Type::kText:
      return BindText(index, value.AsText());
  }
  return base::Internal("未知的参数类型");
}

base::Status Statement::BindAll(std::span<const Value> values) {
  for (size_t i = 0; i < values.size(); ++i) {
    GETIHU_RETURN_IF_ERROR(Bind(static_cast<int>(i) + 1, values[i]));
  }
  return base::OkStatus();
}

base::Status Statement::BindAllBorrowed(std::span<const Value> values) {
  for (size_t i = 0; i < values.size(); ++i) {
    int index = static_cast<int>(i) + 1;
    GETIHU_RETURN_IF_ERROR(values[i].type() == Value::Type::kText
                               ? BindTextBorrowed(index, values[i].AsText())
                               : Bind(index, values[i]));
  }
  return base::OkStatus();
}

base::Result<int64_t> Statement::Run(std::span<const Value> params) {
  GETIHU_RETURN_IF_ERROR(Reset());
  GETIHU_RETURN_IF_ERROR(BindAllBorrowed(params));
  while (true) {
    base::Result<bool> row = Step();
    if (!row.ok()) {
      (void)Reset();  // drops the borrowed bindings before `params` goes away
      return row.status();
    }
    if (!*row) break;
  }
  int64_t changed = changes();
  GETIHU_RETURN_IF_ERROR(Reset());
  return changed;
}

std::optional<int64_t> Statement::ColumnOptionalInt(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt(column);
}

std::optional<std::string> Statement::ColumnOptionalText(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnText(column);
}

base::Result<base::Date> Statement::ColumnDate(int column) const {
  const std::string_view text = ColumnTextView(column);
  if (std::optional<base::Date> iso = base::Date::ParseIso(text)) return *iso;
  auto date = base::Date::Parse(text);
  if (!date.ok()) return base::DataLoss("数据库中的日期无法识别：" + std::string(text));
  return *date;
}

base::Result<std::optional<base::Date>> Statement::ColumnOptionalDate(int column) const {
  if (ColumnIsNull(column)) return std::optional<base::Date>();
  GETIHU_ASSIGN_OR_RETURN(base::Date date, ColumnDate(column));
  return std::optional<base::Date>(date);
}

base::Result<int64_t> Database::Execute(std::string_view sql, std::initializer_list<Value> params) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, Prepare(sql));
  return stmt->Run(params);
}

base::Result<std::optional<int64_t>> Database::QueryInt(std::string_view sql,
                                                        std::initializer_list<Value> params) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<int64_t>();
  return stmt->ColumnOptionalInt(0);
}

base::Status Database::Migrate(const base::Clock& clock) {
  return ApplyMigrations(*this, BuiltinMigrations(), clock);
}

base::Result<int> Database::SchemaVersion() { return AppliedSchemaVersion(*this); }

base::Result<Transaction> Transaction::Begin(Database& db) {
  if (db.in_transaction_) {
    return base::FailedPrecondition("事务不能嵌套：此数据库连接上已有未结束的事务");
  }
  GETIHU_RETURN_IF_ERROR(db.BeginTransaction());
  db.in_transaction_ = true;
  return Transaction(&db);
}

base::Result<Transaction> Transaction::BeginRead(Database& db) {
  if (db.in_transaction_) {
    return base::FailedPrecondition("事务不能嵌套：此数据库连接上已有未结束的事务");
  }
  GETIHU_RETURN_IF_ERROR(db.BeginReadTransaction());
  db.in_transaction_ = true;
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (active()) (void)Finish(/*commit=*/false);  // nothing to report the error to
}

base::Status Transaction::Commit() { return Finish(/*commit=*/true); }

base::Status Transaction::Rollback() { return Finish(/*commit=*/false); }

base::Status Transaction::Finish(bool commit) {
  if (!active()) return base::FailedPrecondition("事务已经结束");
  Database* db = std::exchange(db_, nullptr);
  base::Status status = commit ? db->CommitTransaction() : db->RollbackTransaction();
  if (commit && !status.ok()) (void)db->RollbackTransaction();  // leave no half-open state
  db->in_transaction_ = false;
  return status;
}

base::Result<std::vector<int64_t>> Database::ExecuteBatch(
    std::span<const BatchStatement> statements) {
  std::vector<int64_t> changes;
  changes.reserve(statements.size());
  for (const BatchStatement& s : statements) {
    GETIHU_ASSIGN_OR_RETURN(Statement * stmt, PrepareCached(s.sql));
    GETIHU_ASSIGN_OR_RETURN(int64_t changed, stmt->Run(s.params));
    changes.push_back(changed);
  }
  return changes;
}

base::Result<int64_t> Database::CopyIn(std::string_view, std::string_view,
                                       const std::function<bool(std::string&)>&) {
  return base::FailedPrecondition("此数据库不支持 COPY 批量导入");
}

}  // namespace getihu::storage
