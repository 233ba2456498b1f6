// Maps SQLite result codes to base::Status with Chinese messages. Thread-safe.
#ifndef GETIHU_STORAGE_SQLITE_SQLITE_STATUS_H_
#define GETIHU_STORAGE_SQLITE_SQLITE_STATUS_H_

#include <string_view>

#include "base/status.h"

namespace getihu::storage {

// Returns the Status for a failed SQLite call. `rc` is an (extended) result code other
// than SQLITE_OK/ROW/DONE; `detail` is SQLite's own message, appended in parentheses.
//   unique or primary key         → AlreadyExists
//   foreign key, check, not null  → InvalidArgument
//   busy, locked, interrupt       → Aborted (retry later)
//   corrupt, not a database       → DataLoss
//   cannot open, I/O, permission  → Unavailable
//   read-only                     → FailedPrecondition
//   full, no memory, too big      → ResourceExhausted
//   anything else (bad SQL …)     → Internal
base::Status SqliteStatus(int rc, std::string_view detail);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_SQLITE_SQLITE_STATUS_H_
