// Secondary indexes set aside for a bulk load. A load that brings more rows than a table
// holds runs faster when the table's secondary indexes are dropped first and built again at
// the end (one sorted pass per index instead of a random B-tree insert per row and index).
// Both steps run inside the caller's transaction: a rollback, or a crash, brings the indexes
// back with everything else, and no committed state ever lacks them. Unique and primary-key
// indexes (constraints the load relies on) stay. On PostgreSQL the DROP holds an exclusive
// lock on the table until commit, so readers wait for the load: use it there only on a table
// nobody reads yet. Thread-compatible.
#ifndef GETIHU_STORAGE_DEFERRED_INDEXES_H_
#define GETIHU_STORAGE_DEFERRED_INDEXES_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

class DeferredIndexes {
 public:
  // Drops the non-unique indexes of `table`, remembering their definitions.
  // REQUIRES: a transaction is open on `db`, which outlives the result.
  static base::Result<DeferredIndexes> Drop(Database& db, std::string_view table);

  // Builds the dropped indexes again. REQUIRES: the same transaction is still open.
  base::Status Rebuild();

  // The names of the indexes dropped and not yet rebuilt.
  std::vector<std::string> names() const;

 private:
  struct Index {
    std::string name;
    std::string definition;  // the CREATE INDEX statement
  };
  DeferredIndexes(Database& db, std::vector<Index> indexes)
      : db_(&db), indexes_(std::move(indexes)) {}

  Database* db_;
  std::vector<Index> indexes_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_DEFERRED_INDEXES_H_
