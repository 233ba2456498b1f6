#include "storage/copy_database.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "storage/dialect.h"

namespace getihu::storage {
namespace {

// Foreign-key order: batches first, households before everything about a household, tier runs
// before their reasons, results and objections (objections refer to results).
constexpr std::string_view kCopiedTables[] = {
    "batches",
    "rejects",
    "households",
    "household_status_history",
    "owner_attributes",
    "annual_reports",
    "tax_records",
    "social_insurance",
    "housing_fund",
    "loans",
    "annual_reports_superseded",
    "tax_records_superseded",
    "social_insurance_superseded",
    "housing_fund_superseded",
    "loans_superseded",
    "penalties",
    "abnormal_marks",
    "dishonest_debtors",
    "safety_accidents",
    "honours",
    "intellectual_property",
    "tier_runs",
    "tier_run_reasons",
    "tier_results",
    "tier_objections",
    "audit_log",
    "departments",
    "users",
    "password_history",
    "notifications",
    "parameters",
    "stats_targets",
    "township_groups",
    "data_key",
    "objection_attachments",
};

// SQLite's default limit on bound parameters is 32766; 500 rows a statement is already
// near the fastest (tier_repository.cc measured the same).
constexpr size_t kMaxParameters = 32000;
constexpr size_t kRowsPerInsert = 500;

enum class ColumnKind { kInt, kDouble, kText };

struct Column {
  std::string name;
  ColumnKind kind;
};

// The declared type decides how a value is read: the schema uses INTEGER, BIGINT, DOUBLE
// PRECISION and TEXT (information_schema spells them in lower case).
ColumnKind KindOf(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (type.find("INT") != std::string::npos) return ColumnKind::kInt;
  if (type.find("DOUB") != std::string::npos || type.find("REAL") != std::string::npos ||
      type.find("FLOA") != std::string::npos) {
    return ColumnKind::kDouble;
  }
  return ColumnKind::kText;
}

// The catalog queries are the only SQL here that differs by backend.
base::Result<std::vector<Column>> ReadColumns(Database& db, std::string_view table) {
  std::string_view sql =
      db.dialect() == Dialect::kSqlite
          ? "SELECT name, type FROM pragma_table_info(?) ORDER BY cid"
          : "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position";
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindText(1, table));
  std::vector<Column> columns;
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    columns.push_back({stmt->ColumnText(0), KindOf(stmt->ColumnText(1))});
  }
  if (columns.empty()) return base::FailedPrecondition("数据库中没有表 " + std::string(table));
  return columns;
}

base::Result<std::vector<std::string>> ListTables(Database& db) {
  std::string_view sql =
      db.dialect() == Dialect::kSqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND substr(name, 1, 7) <> 'sqlite_'"
          : "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db.Prepare(sql));
  std::vector<std::string> tables;
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    tables.push_back(stmt->ColumnText(0));
  }
  return tables;
}

bool IsCopied(std::string_view table) {
  return std::find(std::begin(kCopiedTables), std::end(kCopiedTables), table) !=
         std::end(kCopiedTables);
}

base::Status CheckSchemaVersions(Database& from, Database& to) {
  GETIHU_ASSIGN_OR_RETURN(int source, from.SchemaVersion());
  GETIHU_ASSIGN_OR_RETURN(int target, to.SchemaVersion());
  if (source == 0) {
    return base::FailedPrecondition("源数据库没有 Getihu 的表结构（结构版本 0），无法复制");
  }
  if (source != target) {
    return base::FailedPrecondition("两个数据库的结构版本不同：源数据库为 " +
                                    std::to_string(source) + "，目标数据库为 " +
                                    std::to_string(target) + "；请先把两者升级到同一版本");
  }
  return base::OkStatus();
}

// A table this program does not know would be left behind silently: refuse instead.
base::Status CheckSourceTables(Database& from) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<std::string> tables, ListTables(from));
  for (const std::string& table : tables) {
    if (table != "schema_migrations" && !IsCopied(table)) {
      return base::FailedPrecondition(
          "源数据库中的表 " + table +
          " 不在复制清单中，无法完整复制；请使用与数据库相同版本的 Getihu");
    }
  }
  return base::OkStatus();
}

base::Result<int64_t> CountRows(Database& db, std::string_view table) {
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> n,
                          db.QueryInt("SELECT COUNT(*) FROM " + std::string(table)));
  return n.value_or(0);
}

base::Status CheckTargetEmpty(Database& to) {
  for (std::string_view table : kCopiedTables) {
    GETIHU_ASSIGN_OR_RETURN(int64_t rows, CountRows(to, table));
    if (rows > 0) {
      return base::FailedPrecondition("目标数据库不是空的：表 " + std::string(table) + " 已有 " +
                                      std::to_string(rows) + " 行");
    }
  }
  return base::OkStatus();
}

base::Status CheckSameColumns(Database& to, std::string_view table,
                              const std::vector<Column>& columns) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<Column> target, ReadColumns(to, table));
  auto names = [](const std::vector<Column>& cs) {
    std::vector<std::string> out;
    for (const Column& c : cs) out.push_back(c.name);
    std::sort(out.begin(), out.end());
    return out;
  };
  if (names(columns) != names(target)) {
    return base::FailedPrecondition("表 " + std::string(table) + " 的列在两个数据库中不同");
  }
  return base::OkStatus();
}

bool HasId(const std::vector<Column>& columns) {
  return std::any_of(columns.begin(), columns.end(),
                     [](const Column& c) { return c.name == "id"; });
}

std::string ColumnList(const std::vector<Column>& columns) {
  std::string out;
  for (const Column& c : columns) out += (out.empty() ? "\"" : ", \"") + c.name + "\"";
  return out;
}

// In id order where there is one: a re-run's tier_runs row refers to an earlier run, and
// SQLite checks that key at the end of each multi-row INSERT.
std::string SelectSql(std::string_view table, const std::vector<Column>& columns) {
  return "SELECT " + ColumnList(columns) + " FROM " + std::string(table) +
         (HasId(columns) ? " ORDER BY id" : "");
}

void AppendNumber(std::string& out, auto value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, end);
}

void AppendCopyRow(const Statement& row, const std::vector<Column>& columns, std::string& out) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += '\t';
    int c = static_cast<int>(i);
    if (row.ColumnIsNull(c)) {
      out += "\\N";
    } else if (columns[i].kind == ColumnKind::kInt) {
      AppendNumber(out, row.ColumnInt(c));
    } else if (columns[i].kind == ColumnKind::kDouble) {
      AppendNumber(out, row.ColumnDouble(c));  // shortest text that reads back exactly
    } else {
      AppendCopyEscaped(out, row.ColumnText(c));
    }
  }
  out += '\n';
}

base::Result<int64_t> CopyRowsIn(Statement& select, Database& to, std::string_view table,
                                 const std::vector<Column>& columns) {
  base::Status read_error;
  auto next = [&](std::string& buffer) {
    base::Result<bool> row = select.Step();
    if (!row.ok()) read_error = row.status();
    if (!row.ok() || !*row) return false;
    AppendCopyRow(select, columns, buffer);
    return true;
  };
  base::Result<int64_t> rows = to.CopyIn(table, ColumnList(columns), next);
  GETIHU_RETURN_IF_ERROR(read_error);  // the COPY ended early; the transaction is not committed
  return rows;
}

Value ReadValue(const Statement& row, int column, ColumnKind kind) {
  if (row.ColumnIsNull(column)) return Value();
  switch (kind) {
    case ColumnKind::kInt:
      return row.ColumnInt(column);
    case ColumnKind::kDouble:
      return row.ColumnDouble(column);
    case ColumnKind::kText:
      return row.ColumnText(column);
  }
  return Value();
}

std::string InsertSql(std::string_view table, const std::vector<Column>& columns, size_t rows) {
  std::string tuple = "(?";
  for (size_t i = 1; i < columns.size(); ++i) tuple += ", ?";
  tuple += ")";
  std::string sql = "INSERT INTO " + std::string(table) + " (" + ColumnList(columns) + ") VALUES ";
  for (size_t r = 0; r < rows; ++r) sql += (r == 0 ? "" : ", ") + tuple;
  return sql;
}

// Full statements of `per_insert` rows, then one for the rest.
base::Result<int64_t> InsertRows(Statement& select, Database& to, std::string_view table,
                                 const std::vector<Column>& columns) {
  const size_t width = columns.size();
  const size_t per_insert = std::clamp<size_t>(kMaxParameters / width, 1, kRowsPerInsert);
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> full,
                          to.Prepare(InsertSql(table, columns, per_insert)));
  std::vector<Value> values;
  values.reserve(per_insert * width);
  int64_t rows = 0;
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    for (size_t i = 0; i < width; ++i) {
      values.push_back(ReadValue(select, static_cast<int>(i), columns[i].kind));
    }
    ++rows;
    if (values.size() == per_insert * width) {
      GETIHU_RETURN_IF_ERROR(full->Run(values).status());
      values.clear();
    }
  }
  if (!values.empty()) {
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> rest,
                            to.Prepare(InsertSql(table, columns, values.size() / width)));
    GETIHU_RETURN_IF_ERROR(rest->Run(values).status());
  }
  return rows;
}

// {{id_pk}} is an IDENTITY column on PostgreSQL: explicit ids do not advance its sequence.
// (SQLite's INTEGER PRIMARY KEY always continues from the largest id.)
base::Status ResetIdSequence(Database& to, std::string_view table) {
  if (to.dialect() != Dialect::kPostgres) return base::OkStatus();
  return to
      .QueryInt("SELECT setval(pg_get_serial_sequence(?, 'id'), MAX(id)) FROM " +
                    std::string(table) + " HAVING MAX(id) IS NOT NULL",
                {table})
      .status();
}

base::Result<int64_t> CopyTable(Database& from, Database& to, std::string_view table) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<Column> columns, ReadColumns(from, table));
  GETIHU_RETURN_IF_ERROR(CheckSameColumns(to, table, columns));
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select,
                          from.Prepare(SelectSql(table, columns)));
  base::Result<int64_t> rows = to.dialect() == Dialect::kPostgres
                                   ? CopyRowsIn(*select, to, table, columns)
                                   : InsertRows(*select, to, table, columns);
  if (!rows.ok()) return rows.status().WithContext("复制表 " + std::string(table) + " 失败");
  if (HasId(columns)) GETIHU_RETURN_IF_ERROR(ResetIdSequence(to, table));
  return rows;
}

// Keys and indexes set aside while a PostgreSQL copy loads. At 100k households a foreign key's
// trigger (one query per copied row) took 83% of the server's time in COPY, and the B-tree
// inserts of the indexes most of the rest. In the copy's own transaction the copied tables'
// foreign keys, keys and indexes are dropped, the rows copied, and all of them created again:
// one sort per index, one join per foreign key. A duplicate key or a row without its parent
// still fails the copy, which then rolls back with everything in place. The statements come
// from the server's catalog (format's %I quotes the names), so no name is spliced in here.
struct ForeignKey {
  std::string table;
  std::string parent;
  std::string create;
};

struct SetAside {
  std::vector<std::string> drop;     // in order: foreign keys, keys, indexes
  std::vector<std::string> restore;  // in order: keys, indexes
  std::vector<ForeignKey> foreign_keys;
};

base::Result<SetAside> ReadSetAside(Database& to) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> query,
      to.Prepare("SELECT c.contype::text, t.relname, coalesce(r.relname, ''),"
                 " format('ALTER TABLE %I DROP CONSTRAINT %I', t.relname, c.conname),"
                 " format('ALTER TABLE %I ADD CONSTRAINT %I ', t.relname, c.conname)"
                 " || pg_get_constraintdef(c.oid)"
                 " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                 " LEFT JOIN pg_class r ON r.oid = c.confrelid"
                 " WHERE c.contype IN ('p', 'u', 'f')"
                 " AND t.relnamespace = current_schema()::regnamespace"
                 " ORDER BY t.relname, c.conname"));
  SetAside out;
  std::vector<std::string> key_drop;
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    std::string table = query->ColumnText(1);
    if (!IsCopied(table)) continue;
    if (query->ColumnText(0) == "f") {
      out.drop.push_back(query->ColumnText(3));
      out.foreign_keys.push_back({table, query->ColumnText(2), query->ColumnText(4)});
    } else {
      key_drop.push_back(query->ColumnText(3));
      out.restore.push_back(query->ColumnText(4));
    }
  }
  out.drop.insert(out.drop.end(), key_drop.begin(), key_drop.end());
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> indexes,
      to.Prepare("SELECT t.relname, format('DROP INDEX %I', i.relname), pg_get_indexdef(i.oid)"
                 " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                 " JOIN pg_class t ON t.oid = x.indrelid"
                 " WHERE t.relnamespace = current_schema()::regnamespace AND NOT EXISTS"
                 " (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid"
                 " AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))"
                 " ORDER BY t.relname, i.relname"));
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, indexes->Step());
    if (!row) break;
    if (!IsCopied(indexes->ColumnText(0))) continue;
    out.drop.push_back(indexes->ColumnText(1));
    out.restore.push_back(indexes->ColumnText(2));
  }
  return out;
}

base::Status ExecuteAll(Database& db, const std::vector<std::string>& statements) {
  for (const std::string& sql : statements) GETIHU_RETURN_IF_ERROR(db.ExecuteScript(sql));
  return base::OkStatus();
}

// PostgreSQL checks a new foreign key with one join of the table and its parent, planned
// without statistics on a fresh load: a hash or merge join reading the whole parent (2 s per
// key at 1M households) even for a table of a few thousand rows. Below an eighth of the
// parent's rows, probing the parent's key row by row is cheaper, so the joins that read the
// whole parent are turned off for that statement.
base::Status AddForeignKeys(Database& to, const std::vector<ForeignKey>& keys,
                            const std::vector<CopiedTable>& copied) {
  auto rows_of = [&](std::string_view table) {
    for (const CopiedTable& t : copied) {
      if (t.table == table) return t.rows;
    }
    return int64_t{0};
  };
  for (const ForeignKey& key : keys) {
    bool probe = rows_of(key.table) * 8 < rows_of(key.parent);
    if (probe) {
      GETIHU_RETURN_IF_ERROR(
          to.ExecuteScript("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off"));
    }
    GETIHU_RETURN_IF_ERROR(to.ExecuteScript(key.create));
    if (probe) {
      GETIHU_RETURN_IF_ERROR(to.ExecuteScript(
          "SET LOCAL enable_hashjoin = DEFAULT; SET LOCAL enable_mergejoin = DEFAULT"));
    }
  }
  return base::OkStatus();
}

base::Status VerifyCounts(Database& from, Database& to, const std::vector<CopiedTable>& copied) {
  for (const CopiedTable& t : copied) {
    GETIHU_ASSIGN_OR_RETURN(int64_t source, CountRows(from, t.table));
    GETIHU_ASSIGN_OR_RETURN(int64_t target, CountRows(to, t.table));
    if (source != t.rows || target != t.rows) {
      return base::DataLoss("复制后表 " + std::string(t.table) + " 的行数不一致：源数据库 " +
                            std::to_string(source) + " 行，目标数据库 " + std::to_string(target) +
                            " 行，已复制 " + std::to_string(t.rows) + " 行；目标数据库未作更改");
    }
  }
  return base::OkStatus();
}

}  // namespace

std::span<const std::string_view> CopiedTables() { return kCopiedTables; }

base::Result<std::vector<CopiedTable>> CopyDatabase(
    Database& from, Database& to,
    const std::function<void(std::string_view table, int64_t rows)>& progress) {
  GETIHU_RETURN_IF_ERROR(CheckSchemaVersions(from, to));
  GETIHU_ASSIGN_OR_RETURN(Transaction read, Transaction::Begin(from));
  GETIHU_ASSIGN_OR_RETURN(Transaction write, Transaction::Begin(to));
  GETIHU_RETURN_IF_ERROR(CheckSourceTables(from));
  GETIHU_RETURN_IF_ERROR(CheckTargetEmpty(to));
  SetAside set_aside;
  if (to.dialect() == Dialect::kPostgres) {
    GETIHU_ASSIGN_OR_RETURN(set_aside, ReadSetAside(to));
    GETIHU_RETURN_IF_ERROR(ExecuteAll(to, set_aside.drop));
    // For the index builds at the end; the transaction's own setting only.
    GETIHU_RETURN_IF_ERROR(to.ExecuteScript("SET LOCAL maintenance_work_mem = '256MB'"));
  }
  std::vector<CopiedTable> copied;
  for (std::string_view table : kCopiedTables) {
    GETIHU_ASSIGN_OR_RETURN(int64_t rows, CopyTable(from, to, table));
    copied.push_back({table, rows});
    if (progress) progress(table, rows);
  }
  base::Status restored = ExecuteAll(to, set_aside.restore);
  if (restored.ok()) restored = AddForeignKeys(to, set_aside.foreign_keys, copied);
  if (!restored.ok()) {
    return restored.WithContext(
        "复制后重建主键、索引和表之间的引用（外键）失败，目标数据库未作更改");
  }
  GETIHU_RETURN_IF_ERROR(VerifyCounts(from, to, copied));
  if (to.dialect() == Dialect::kPostgres) {
    // The planner's statistics of the new rows, so that the first queries after the copy are
    // planned from them rather than from an empty table's (autovacuum would get there later).
    for (std::string_view table : kCopiedTables) {
      GETIHU_RETURN_IF_ERROR(to.ExecuteScript("ANALYZE " + std::string(table)));  // listed above
    }
  }
  GETIHU_RETURN_IF_ERROR(write.Commit());
  (void)read.Rollback();  // nothing was written to the source
  return copied;
}

void AppendCopyEscaped(std::string& out, std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    size_t special = text.find_first_of("\\\t\n\r", pos);
    if (special == std::string_view::npos) special = text.size();
    out.append(text.substr(pos, special - pos));
    if (special == text.size()) break;
    switch (text[special]) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += "\\r";
    }
    pos = special + 1;
  }
}

std::string CopyEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendCopyEscaped(out, text);
  return out;
}

}  // namespace getihu::storage
