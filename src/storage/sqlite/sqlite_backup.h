// Backing up and restoring an embedded (SQLite) data pool: SQLite's online backup copies a
// consistent snapshot even while the database is in use, and every copy is checked with
// PRAGMA integrity_check. Free functions; each opens its own connections.
#ifndef GETIHU_STORAGE_SQLITE_SQLITE_BACKUP_H_
#define GETIHU_STORAGE_SQLITE_SQLITE_BACKUP_H_

#include <string>

#include "base/status.h"

namespace getihu::storage {

// Writes a copy of the database at `from` to the file `to` (written under a temporary name
// and renamed once complete and checked). NotFound when `from` does not exist, Unavailable
// when a file cannot be written, DataLoss when the copy fails its integrity check.
base::Status BackupSqlite(const std::string& from, const std::string& to);

// Replaces the content of the database at `to` with the backup `from`, after checking the
// backup (a Getihu database that passes integrity_check). The replacement is one transaction:
// a failure leaves `to` as it was. REQUIRES: no other process is writing to `to`.
// InvalidArgument when `from` is not a usable backup.
base::Status RestoreSqlite(const std::string& from, const std::string& to);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_SQLITE_SQLITE_BACKUP_H_
