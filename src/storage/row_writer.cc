#include "storage/row_writer.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "storage/transaction_retry.h"

namespace getihu::storage::internal {

namespace {

// Rows a batched write sends at a time (two or three pipelined round trips each).
constexpr size_t kBatchRows = 1000;

// Whether to batch: PostgreSQL in a transaction, where ExecuteBatch pipelines (a round trip
// per row is most of the time there); SQLite keeps its per-row prepared statements.
bool Batched(const Database& db) {
  return db.dialect() == Dialect::kPostgres && db.in_transaction();
}

// WriteRows in chunks: every INSERT of the chunk, then the UPDATE of each row whose INSERT
// changed nothing. The same outcome as row by row, also when a key repeats in a chunk: its
// first row inserts (or updates), the later ones update, in row order.
base::Result<WriteCounts> WriteRowsBatched(Database& db, std::string_view insert_sql,
                                           std::string_view update_sql, size_t count,
                                           const std::function<RowParams(size_t)>& params) {
  WriteCounts counts;
  std::vector<RowParams> rows;
  std::vector<BatchStatement> batch;
  for (size_t start = 0; start < count; start += kBatchRows) {
    size_t end = std::min(count, start + kBatchRows);
    rows.clear();
    batch.clear();
    for (size_t i = start; i < end; ++i) rows.push_back(params(i));
    for (RowParams& r : rows) batch.push_back({insert_sql, std::move(r.insert)});
    GETIHU_ASSIGN_OR_RETURN(std::vector<int64_t> inserted, db.ExecuteBatch(batch));
    batch.clear();
    std::vector<size_t> pending;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (inserted[k] > 0) {
        ++counts.inserted;
      } else if (update_sql.empty() || rows[k].update.empty()) {
        ++counts.ignored;
      } else {
        batch.push_back({update_sql, std::move(rows[k].update)});
      }
    }
    if (batch.empty()) continue;
    GETIHU_ASSIGN_OR_RETURN(std::vector<int64_t> updated, db.ExecuteBatch(batch));
    for (int64_t u : updated) ++(u > 0 ? counts.updated : counts.ignored);
  }
  return counts;
}

}  // namespace

base::Result<WriteCounts> WriteRows(Database& db, std::string_view insert_sql,
                                    std::string_view update_sql, size_t count,
                                    const std::function<RowParams(size_t)>& params) {
  if (Batched(db)) return WriteRowsBatched(db, insert_sql, update_sql, count, params);
  GETIHU_ASSIGN_OR_RETURN(Statement * insert, db.PrepareCached(insert_sql));
  Statement* update = nullptr;
  if (!update_sql.empty()) {
    GETIHU_ASSIGN_OR_RETURN(update, db.PrepareCached(update_sql));
  }
  WriteCounts counts;
  for (size_t i = 0; i < count; ++i) {
    RowParams row = params(i);
    GETIHU_ASSIGN_OR_RETURN(int64_t inserted, insert->Run(row.insert));
    if (inserted > 0) {
      ++counts.inserted;
      continue;
    }
    int64_t updated = 0;
    if (update != nullptr && !row.update.empty()) {
      GETIHU_ASSIGN_OR_RETURN(updated, update->Run(row.update));
    }
    ++(updated > 0 ? counts.updated : counts.ignored);
  }
  return counts;
}

namespace {

// Returns "a, b, c" for `names` with `suffix` after each name.
std::string JoinColumns(std::span<const std::string_view> names, std::string_view suffix) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out.append(name).append(suffix);
  }
  return out;
}

// Returns "?, ?, ?" with `n` parameters.
std::string Parameters(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

}  // namespace

VersionedSql BuildVersionedSql(const VersionedTable& table, Dialect dialect) {
  const std::string key = "household_id, " + std::string(table.key_column);
  const std::string key_match = "household_id = ? AND " + std::string(table.key_column) + " = ?";
  const std::string values = JoinColumns(table.values, "");
  const std::string name(table.name);
  const std::string history = name + "_superseded";
  std::string differs;
  for (std::string_view column : table.values) {
    if (!differs.empty()) differs += " OR ";
    differs.append(column).append(" ").append(IsDistinctFromSql(dialect)).append(" ?");
  }
  VersionedSql sql;
  sql.insert = "INSERT INTO " + name + " (" + key + ", " + values + ", batch_id) VALUES (" +
               Parameters(table.values.size() + 3) + ") ON CONFLICT DO NOTHING";
  // The CAST types the bare parameter for PostgreSQL.
  sql.archive = "INSERT INTO " + history + " (" + key + ", " + values +
                ", batch_id, superseded_by_batch_id) SELECT " + key + ", " + values +
                ", batch_id, CAST(? AS BIGINT) FROM " + name + " WHERE " + key_match +
                " AND batch_id < ? AND (" + differs + ")";
  sql.update = "UPDATE " + name + " SET " + JoinColumns(table.values, " = ?") +
               ", batch_id = ? WHERE " + key_match;
  sql.history = "SELECT " + key + ", " + values + ", batch_id, superseded_by_batch_id FROM " +
                history + " WHERE " + key_match + " ORDER BY superseded_by_batch_id";
  return sql;
}

namespace {

// Runs the rows of WriteVersionedRows; the caller owns the transaction.
base::Result<WriteCounts> WriteVersionedLoop(Database& db, const VersionedSql& sql,
                                             int64_t batch_id, size_t count,
                                             const std::function<std::vector<Value>(size_t)>& row) {
  constexpr size_t kKeyColumns = 2;
  GETIHU_ASSIGN_OR_RETURN(Statement * insert, db.PrepareCached(sql.insert));
  GETIHU_ASSIGN_OR_RETURN(Statement * archive, db.PrepareCached(sql.archive));
  GETIHU_ASSIGN_OR_RETURN(Statement * update, db.PrepareCached(sql.update));
  const Value batch(batch_id);
  WriteCounts counts;
  std::vector<Value> params;
  for (size_t i = 0; i < count; ++i) {
    std::vector<Value> columns = row(i);
    std::span<const Value> key = std::span<const Value>(columns).first(kKeyColumns);
    std::span<const Value> values = std::span<const Value>(columns).subspan(kKeyColumns);
    params.assign(columns.begin(), columns.end());
    params.push_back(batch);
    GETIHU_ASSIGN_OR_RETURN(int64_t inserted, insert->Run(params));
    if (inserted > 0) {
      ++counts.inserted;
      continue;
    }
    params.assign(1, batch);
    params.insert(params.end(), key.begin(), key.end());
    params.push_back(batch);
    params.insert(params.end(), values.begin(), values.end());
    GETIHU_ASSIGN_OR_RETURN(int64_t archived, archive->Run(params));
    if (archived == 0) {
      ++counts.ignored;
      continue;
    }
    params.assign(values.begin(), values.end());
    params.push_back(batch);
    params.insert(params.end(), key.begin(), key.end());
    GETIHU_RETURN_IF_ERROR(update->Run(params).status());
    ++counts.updated;
  }
  return counts;
}

// WriteVersionedLoop in chunks for ExecuteBatch: the INSERTs, then the archive of each row
// not inserted, then the UPDATE of each row archived. A key that repeats within a chunk
// would be archived twice before its first update, so a chunk ends before such a row.
base::Result<WriteCounts> WriteVersionedBatched(
    Database& db, const VersionedSql& sql, int64_t batch_id, size_t count,
    const std::function<std::vector<Value>(size_t)>& row) {
  constexpr size_t kKeyColumns = 2;
  const Value batch_value(batch_id);
  WriteCounts counts;
  std::vector<std::vector<Value>> rows;
  std::set<std::vector<Value>, bool (*)(const std::vector<Value>&, const std::vector<Value>&)> keys(
      +[](const std::vector<Value>& a, const std::vector<Value>& b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                            [](const Value& x, const Value& y) {
                                              if (x.type() != y.type()) return x.type() < y.type();
                                              switch (x.type()) {
                                                case Value::Type::kInt:
                                                  return x.AsInt() < y.AsInt();
                                                case Value::Type::kDouble:
                                                  return x.AsDouble() < y.AsDouble();
                                                case Value::Type::kText:
                                                  return x.AsText() < y.AsText();
                                                default:
                                                  return false;
                                              }
                                            });
      });
  std::vector<BatchStatement> batch;
  size_t next = 0;
  while (next < count) {
    rows.clear();
    keys.clear();
    while (next < count && rows.size() < kBatchRows) {
      std::vector<Value> columns = row(next);
      std::vector<Value> key(columns.begin(), columns.begin() + kKeyColumns);
      if (!keys.insert(std::move(key)).second) {
        if (rows.empty()) return base::Internal("批量写入的键重复");  // cannot happen
        // The repeated key starts the next chunk; this row is read again then.
        break;
      }
      rows.push_back(std::move(columns));
      ++next;
    }
    batch.clear();
    for (const std::vector<Value>& columns : rows) {
      std::vector<Value> params(columns);
      params.push_back(batch_value);
      batch.push_back({sql.insert, std::move(params)});
    }
    GETIHU_ASSIGN_OR_RETURN(std::vector<int64_t> inserted, db.ExecuteBatch(batch));
    batch.clear();
    std::vector<size_t> archived_rows;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (inserted[k] > 0) {
        ++counts.inserted;
        continue;
      }
      std::span<const Value> key = std::span<const Value>(rows[k]).first(kKeyColumns);
      std::span<const Value> values = std::span<const Value>(rows[k]).subspan(kKeyColumns);
      std::vector<Value> params(1, batch_value);
      params.insert(params.end(), key.begin(), key.end());
      params.push_back(batch_value);
      params.insert(params.end(), values.begin(), values.end());
      batch.push_back({sql.archive, std::move(params)});
      archived_rows.push_back(k);
    }
    if (batch.empty()) continue;
    GETIHU_ASSIGN_OR_RETURN(std::vector<int64_t> archived, db.ExecuteBatch(batch));
    batch.clear();
    for (size_t a = 0; a < archived.size(); ++a) {
      if (archived[a] == 0) {
        ++counts.ignored;
        continue;
      }
      const std::vector<Value>& columns = rows[archived_rows[a]];
      std::vector<Value> params(columns.begin() + kKeyColumns, columns.end());
      params.push_back(batch_value);
      params.insert(params.end(), columns.begin(), columns.begin() + kKeyColumns);
      batch.push_back({sql.update, std::move(params)});
      ++counts.updated;
    }
    if (!batch.empty()) GETIHU_RETURN_IF_ERROR(db.ExecuteBatch(batch).status());
  }
  return counts;
}

}  // namespace

base::Result<WriteCounts> WriteVersionedRows(Database& db, const VersionedSql& sql,
                                             int64_t batch_id, size_t count,
                                             const std::function<std::vector<Value>(size_t)>& row) {
  if (Batched(db)) return WriteVersionedBatched(db, sql, batch_id, count, row);
  // The archive and the update of a row must not be split by an error between them.
  return RunInTransaction(db, [&] { return WriteVersionedLoop(db, sql, batch_id, count, row); });
}

}  // namespace getihu::storage::internal
