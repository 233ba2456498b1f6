// The PostgreSQL backend of Database, on libpq: any server that speaks PostgreSQL's protocol
// and SQL, version 13 or later. Every statement is prepared on the server once per
// connection (keyed by its SQL text) and run with text parameters. Only server/ and cli/
// call OpenPostgres; everything else receives a Database&.
#ifndef GETIHU_STORAGE_POSTGRES_POSTGRES_DATABASE_H_
#define GETIHU_STORAGE_POSTGRES_POSTGRES_DATABASE_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct PgOptions {
  int connect_timeout_s = 10;  // per connection attempt; the conninfo's own value wins
  std::string schema = "";     // when set, the search_path (created by the caller); else
                               // the server's default
  int retries = 3;             // extra attempts of a statement run outside a transaction
                               // after a serialization failure or deadlock
};

// Connects to the PostgreSQL database named by `conninfo`, a `postgresql://` URL or
// `key=value` pairs (libpq's syntax; PG* environment variables fill in what it leaves out),
// with client encoding UTF-8. Does not migrate: call Migrate() on the result.
//
// Errors carry a Chinese message starting "无法连接 PostgreSQL 数据库": Unavailable when the
// conninfo is malformed or the server cannot be reached or refuses the login,
// FailedPrecondition when the server is older than 13, Internal when `schema` cannot be set.
//
// Failures after opening map SQLSTATEs as postgres_status.h lists. A connection found broken
// is re-established before the next statement or transaction; the statement that found it
// broken returns Unavailable (it may or may not have run), and an open transaction is lost
// (its Commit returns Unavailable). Outside a transaction, a statement that fails with a
// serialization failure or deadlock is retried up to `retries` times (the server rolled it
// back, so this is safe); inside one the error is returned and the caller retries the whole
// transaction.
base::Result<std::unique_ptr<Database>> OpenPostgres(const std::string& conninfo,
                                                     const PgOptions& options = {});

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_POSTGRES_POSTGRES_DATABASE_H_
