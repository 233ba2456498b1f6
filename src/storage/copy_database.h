// Copies a whole data pool from one database to another — typically a district's SQLite file
// to its city's PostgreSQL server (`getihu copy`). Every table of the schema is copied with
// its surrogate keys unchanged, in one transaction on the target. Thread-compatible: the two
// Databases are used by the calling thread only, for the duration of the call.
#ifndef GETIHU_STORAGE_COPY_DATABASE_H_
#define GETIHU_STORAGE_COPY_DATABASE_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct CopiedTable {
  std::string_view table;  // one of CopiedTables()
  int64_t rows = 0;
};

// Every table of the schema but schema_migrations, parents before the tables whose foreign
// keys refer to them: the order CopyDatabase copies them in. A migration that adds a table
// must add it here (copy_database_test.cc fails otherwise).
std::span<const std::string_view> CopiedTables();

// Copies every row of every table of CopiedTables() from `from` to `to`, then resets
// PostgreSQL's identity sequences to the largest copied id so that new rows get fresh ids,
// and checks that each table holds as many rows on both sides. The target is written in one
// transaction (COPY on PostgreSQL, multi-row INSERTs elsewhere) and committed only after the
// check, so a failure leaves it empty; the source is read in one transaction (a consistent
// snapshot, which on SQLite also holds off writers). Rows are streamed, not held in memory
// (from a PostgreSQL source libpq receives each table whole). `progress`, when set, is called
// after each table with its name and rows. Returns the tables in copy order with their rows.
// Values are copied as stored: sealed ID numbers and phones (field_cipher.h) and their lookup
// hashes stay sealed, so the target needs the source's data key, and neither Database needs
// a field cipher for the copy.
// Errors: FailedPrecondition when the two are at different schema versions (or unmigrated),
// the target holds any row ("目标数据库不是空的：表 X 已有 N 行"), or the source holds a table
// missing from CopiedTables() or columns the target lacks; DataLoss when the counts differ
// after the copy; otherwise the backends' errors (a constraint the source's rows break is
// InvalidArgument).
// REQUIRES: `from` and `to` are different connections and neither has a transaction open.
base::Result<std::vector<CopiedTable>> CopyDatabase(
    Database& from, Database& to,
    const std::function<void(std::string_view table, int64_t rows)>& progress = {});

// Appends `text` escaped for a field of PostgreSQL's COPY text format: backslash, tab,
// newline and carriage return become \\, \t, \n and \r. (NULL is written \N, unescaped.)
void AppendCopyEscaped(std::string& out, std::string_view text);
// As AppendCopyEscaped, into a new string.
std::string CopyEscape(std::string_view text);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_COPY_DATABASE_H_
