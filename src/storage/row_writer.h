// Shared loop of the repositories' bulk writes: one prepared INSERT … ON CONFLICT DO
// NOTHING per row and, when it inserted nothing, an optional UPDATE of the existing row.
// Internal to storage/. Not thread-safe (uses the Database).
#ifndef GETIHU_STORAGE_ROW_WRITER_H_
#define GETIHU_STORAGE_ROW_WRITER_H_

#include <cstddef>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"
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

}  // namespace getihu::storage::internal

#endif  // GETIHU_STORAGE_ROW_WRITER_H_
