// Shared loops of the repositories' bulk writes: one prepared INSERT … ON CONFLICT DO
// NOTHING per row and, when it inserted nothing, an optional UPDATE of the existing row
// (WriteRows) or a supersede that keeps the stored row in a history table
// (WriteVersionedRows). Internal to storage/. Not thread-safe (uses the Database).
#ifndef GETIHU_STORAGE_ROW_WRITER_H_
#define GETIHU_STORAGE_ROW_WRITER_H_

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"
#include "storage/dialect.h"
#include "storage/value.h"
#include "storage/write_counts.h"

namespace getihu::storage::internal {

// The parameters of one row: for the INSERT, and for the UPDATE (empty: do not update).
struct RowParams {
  std::vector<Value> insert;
  std::vector<Value> update;
};

// Writes `count` rows. A row counts as inserted when the INSERT changed a row, as updated
// when the UPDATE did, and as ignored otherwise. `update_sql` may be empty. Stops at the
// first error (the caller's transaction decides what survives).
base::Result<WriteCounts> WriteRows(Database& db, std::string_view insert_sql,
                                    std::string_view update_sql, size_t count,
                                    const std::function<RowParams(size_t)>& params);

template <typename Row, typename ParamsFn>
base::Result<WriteCounts> WriteEach(Database& db, std::string_view insert_sql,
                                    std::string_view update_sql, std::span<const Row> rows,
                                    ParamsFn params) {
  return WriteRows(db, insert_sql, update_sql, rows.size(),
                   [&](size_t i) -> RowParams { return params(rows[i]); });
}

// A table of dated facts keyed by (household_id, key_column) whose rows a later batch may
// supersede. Its history table is `<name>_superseded`: the same columns plus
// superseded_by_batch_id. Names are trusted constants, spliced into the SQL.
struct VersionedTable {
  std::string_view name;
  std::string_view key_column;               // the key column after household_id
  std::span<const std::string_view> values;  // the other columns, in order, less batch_id
};

// The statements of a VersionedTable, spelt for one dialect. With K = (household_id,
// key_column) and V = the value columns, their parameters are:
//   insert   (K…, V…, batch)            INSERT … ON CONFLICT DO NOTHING
//   archive  (batch, K…, batch, V…)     copies the stored row of K to the history table,
//                                       with superseded_by_batch_id = batch, when it came from
//                                       an earlier batch and any value differs (null-safe)
//   update   (V…, batch, K…)            gives the stored row of K the new values and batch
//   history  (K…)                       SELECT K…, V…, batch_id, superseded_by_batch_id from
//                                       the history table, oldest version first
struct VersionedSql {
  std::string insert;
  std::string archive;
  std::string update;
  std::string history;
};

// Spells the statements of `table` for `dialect`. Cheap; build once per bulk call.
VersionedSql BuildVersionedSql(const VersionedTable& table, Dialect dialect);

// Writes `count` rows with the statements `sql`; row(i) returns the K and V columns of row
// i in table order. Each row is inserted (a new key), or supersedes the stored row (archive
// then update; counted as updated), or is ignored (the stored row has the same values, or
// came from this or a later batch). Atomic: runs in the open Transaction, or in its own
// when none is open. Stops at the first error.
base::Result<WriteCounts> WriteVersionedRows(Database& db, const VersionedSql& sql,
                                             int64_t batch_id, size_t count,
                                             const std::function<std::vector<Value>(size_t)>& row);

template <typename Row, typename ColumnsFn>
base::Result<WriteCounts> WriteEachVersioned(Database& db, const VersionedTable& table,
                                             std::span<const Row> rows, int64_t batch_id,
                                             ColumnsFn columns) {
  return WriteVersionedRows(db, BuildVersionedSql(table, db.dialect()), batch_id, rows.size(),
                            [&](size_t i) -> std::vector<Value> { return columns(rows[i]); });
}

}  // namespace getihu::storage::internal

#endif  // GETIHU_STORAGE_ROW_WRITER_H_
