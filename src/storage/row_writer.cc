#include "storage/row_writer.h"

#include <memory>

namespace getihu::storage::internal {

base::Result<WriteCounts> WriteRows(Database& db, std::string_view insert_sql,
                                    std::string_view update_sql, size_t count,
                                    const std::function<RowParams(size_t)>& params) {
  GETIHU_ASSIGN_OR_RETURN(Statement* insert, db.PrepareCached(insert_sql));
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

}  // namespace getihu::storage::internal
