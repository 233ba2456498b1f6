#include "storage/deferred_indexes.h"

#include <memory>

namespace getihu::storage {
namespace {

// Non-unique indexes of a table with the statement that creates each. SQLite keeps the
// original CREATE INDEX text (NULL for the automatic indexes of UNIQUE and PRIMARY KEY);
// PostgreSQL rebuilds it with pg_get_indexdef.
constexpr std::string_view kSqliteIndexes =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
    " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name";
constexpr std::string_view kPostgresIndexes =
    "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x"
    " JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
    " WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace"
    " AND NOT x.indisunique AND NOT x.indisprimary ORDER BY c.relname";

std::string QuoteIdentifier(std::string_view name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

base::Result<DeferredIndexes> DeferredIndexes::Drop(Database& db, std::string_view table) {
  if (!db.in_transaction()) {
    return base::FailedPrecondition("暂缓索引须在事务中进行（表 " + std::string(table) + "）");
  }
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> list,
      db.Prepare(db.dialect() == Dialect::kSqlite ? kSqliteIndexes : kPostgresIndexes));
  GETIHU_RETURN_IF_ERROR(list->BindText(1, table));
  std::vector<Index> indexes;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, list->Step());
    if (!row) break;
    indexes.push_back({list->ColumnText(0), list->ColumnText(1)});
  }
  list.reset();
  for (const Index& index : indexes) {
    GETIHU_RETURN_IF_ERROR(db.ExecuteScript("DROP INDEX " + QuoteIdentifier(index.name)));
  }
  return DeferredIndexes(db, std::move(indexes));
}

base::Status DeferredIndexes::Rebuild() {
  for (const Index& index : indexes_) GETIHU_RETURN_IF_ERROR(db_->ExecuteScript(index.definition));
  indexes_.clear();
  return base::OkStatus();
}

std::vector<std::string> DeferredIndexes::names() const {
  std::vector<std::string> out;
  for (const Index& index : indexes_) out.push_back(index.name);
  return out;
}

}  // namespace getihu::storage
