#include "storage/row_writer.h"

#include <memory>
#include <string>

namespace getihu::storage::internal {

base::Result<WriteCounts> WriteRows(Database& db, std::string_view insert_sql,
                                    std::string_view update_sql, size_t count,
                                    const std::function<RowParams(size_t)>& params) {
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

}  // namespace

base::Result<WriteCounts> WriteVersionedRows(Database& db, const VersionedSql& sql,
                                             int64_t batch_id, size_t count,
                                             const std::function<std::vector<Value>(size_t)>& row) {
  if (db.in_transaction()) return WriteVersionedLoop(db, sql, batch_id, count, row);
  // The archive and the update of a row must not be split by an error between them.
  GETIHU_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db));
  GETIHU_ASSIGN_OR_RETURN(WriteCounts counts, WriteVersionedLoop(db, sql, batch_id, count, row));
  GETIHU_RETURN_IF_ERROR(transaction.Commit());
  return counts;
}

}  // namespace getihu::storage::internal
