// The SQLite backend of Database: one file (or ":memory:"), WAL journal, foreign keys on.
// Only server/ and cli/ call OpenSqlite; everything else receives a Database&.
#ifndef GETIHU_STORAGE_SQLITE_SQLITE_DATABASE_H_
#define GETIHU_STORAGE_SQLITE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct OpenOptions {
  bool create_if_missing = true;  // create the file when it does not exist
  bool read_only = false;         // open for reading only (no WAL switch, no writes)
  int busy_timeout_ms = 5000;     // how long a write waits for another writer's lock
  int cache_mib = 256;            // page cache (taken only as used); bulk loads need it
};

// Opens the SQLite database at `path` (":memory:" for a private in-memory database) and
// sets journal_mode=WAL (file databases), synchronous=NORMAL, foreign_keys=ON and the busy
// timeout. Does not migrate: call Migrate() on the result.
// Errors carry a Chinese message starting "无法打开数据库文件 <path>": Unavailable when
// the file or its directory cannot be opened or created, DataLoss when the file is not a
// database or is corrupt, FailedPrecondition when foreign keys cannot be enabled.
base::Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                   const OpenOptions& options = {});

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_SQLITE_SQLITE_DATABASE_H_
