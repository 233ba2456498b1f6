// Numbered schema migrations: migrations/NNNN_name.sql, embedded in the binary at build
// time, applied in version order by `getihu init` and at start-up (Database::Migrate).
// Each applied migration is a row of schema_migrations (version, name, applied_at).
// Scripts are portable SQL; the few dialect differences are `{{placeholders}}` and
// `-- dialect:` sections (dialect.h, ExpandSchemaScript).
#ifndef GETIHU_STORAGE_MIGRATIONS_H_
#define GETIHU_STORAGE_MIGRATIONS_H_

#include <span>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace getihu::storage {

class Database;

struct Migration {
  int version;            // from the file name: 0001_data_pool.sql → 1
  std::string_view name;  // → "data_pool"
  std::string_view sql;   // the script, placeholders not yet expanded
};

// The migrations compiled into this binary, versions 1, 2, … without gaps. Defined in a
// file generated from migrations/*.sql by embed_migrations.cmake.
std::span<const Migration> BuiltinMigrations();

// Applies, in order, each of `migrations` not yet recorded in schema_migrations (creating
// that table if needed): the script and its record in one transaction, so a failed
// migration leaves the schema as it was and returns the error with the migration's name.
// Safe to run again and from two processes at once. Returns FailedPrecondition when the
// database holds a version newer than the last of `migrations`, Internal when
// `migrations` is not in strictly increasing version order.
// REQUIRES: no transaction is open on `db`.
base::Status ApplyMigrations(Database& db, std::span<const Migration> migrations,
                             const base::Clock& clock);

// Returns the highest version in schema_migrations; 0 when the table is absent or empty.
base::Result<int> AppliedSchemaVersion(Database& db);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_MIGRATIONS_H_
