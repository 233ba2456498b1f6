// The storage interface every layer above receives: a connection to one data-pool database,
// parameterised statements and transactions. Backends (sqlite/, later postgres/) implement
// Database and Statement; the SQL text, the migrations and the repositories are shared.
//
// Thread-compatible: a Database and its Statements are used by one thread at a time (open
// one Database per thread, or guard it). A Statement must not outlive its Database.
#ifndef GETIHU_STORAGE_DATABASE_H_
#define GETIHU_STORAGE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/dialect.h"
#include "storage/value.h"

namespace getihu::storage {

class FieldCipher;

// One compiled SQL statement. Parameters are written `?` in the SQL and numbered from 1 in
// the order they appear; result columns are numbered from 0. Bind values follow the
// conventions of value.h.
class Statement {
 public:
  virtual ~Statement() = default;

  // Bind one parameter. Returns Internal when `index` is out of range.
  virtual base::Status BindNull(int index) = 0;
  virtual base::Status BindInt(int index, int64_t value) = 0;
  virtual base::Status BindDouble(int index, double value) = 0;
  virtual base::Status BindText(int index, std::string_view value) = 0;
  base::Status Bind(int index, const Value& value);
  // Binds values[i] to parameter i + 1.
  base::Status BindAll(std::span<const Value> values);
  // As BindAll, but the backend may keep pointers into `values` instead of copying its texts
  // (bulk writes skip a copy per field). REQUIRES: `values` stays alive and unchanged until
  // the statement is Reset or bound again.
  base::Status BindAllBorrowed(std::span<const Value> values);
  // BindText's borrowing form, for BindAllBorrowed; the default copies.
  virtual base::Status BindTextBorrowed(int index, std::string_view value) {
    return BindText(index, value);
  }

  // Runs the statement to its next row. Returns true when a row is available through the
  // column getters, false when the statement is done; an error maps the backend's failure
  // (AlreadyExists for a unique key, InvalidArgument for a foreign key or check, Aborted
  // for a lock conflict, DataLoss for corruption).
  virtual base::Result<bool> Step() = 0;

  // Makes the statement ready to run again and clears all bindings.
  virtual base::Status Reset() = 0;

  // Reset, BindAll(params), then Step until done. Returns the rows changed (for INSERT,
  // UPDATE, DELETE; 0 otherwise).
  base::Result<int64_t> Run(std::span<const Value> params);

  // Rows changed by the last completed INSERT, UPDATE or DELETE on this connection.
  virtual int64_t changes() const = 0;

  // Column getters for the current row. REQUIRES: the last Step returned true and
  // 0 <= column < column_count(). A NULL reads as 0 or "".
  virtual int column_count() const = 0;
  virtual bool ColumnIsNull(int column) const = 0;
  virtual int64_t ColumnInt(int column) const = 0;
  virtual double ColumnDouble(int column) const = 0;
  virtual std::string ColumnText(int column) const = 0;
  // The column's text without a copy: valid until the next Step or Reset of the statement (or
  // another read of the same column). For bulk reads; ColumnText otherwise.
  virtual std::string_view ColumnTextView(int column) const = 0;

  std::optional<int64_t> ColumnOptionalInt(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  // Reads an ISO date. Returns DataLoss when the stored text is not a date.
  base::Result<base::Date> ColumnDate(int column) const;
  // As ColumnDate, with NULL read as nullopt.
  base::Result<std::optional<base::Date>> ColumnOptionalDate(int column) const;
};

// One statement of Database::ExecuteBatch: SQL with `?` parameters, and its values.
struct BatchStatement {
  std::string_view sql;
  std::vector<Value> params;
};

// A connection to one data-pool database. See the file comment for threading.
class Database {
 public:
  virtual ~Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Which SQL dialect the backend speaks; see dialect.h for the few places it matters.
  virtual Dialect dialect() const = 0;

  // Compiles exactly one SQL statement with `?` parameters. Values are always bound, never
  // spliced into the text. Returns Internal for bad SQL (a programmer error).
  virtual base::Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;

  // Returns a statement prepared once per connection and kept for reuse, reset and with its
  // bindings cleared. Hot paths (bulk writes row by row) use it so that a call per row does
  // not pay for compiling SQL. The Database owns the statement. REQUIRES: the statement is
  // not in use by a caller up the stack (no re-entrant use of the same SQL).
  base::Result<Statement*> PrepareCached(std::string_view sql);

  // Resets every cached statement, so that none holds a read snapshot open (on SQLite a
  // statement stopped before its last row keeps its read transaction). Call when a connection
  // goes back to a pool.
  base::Status ResetCachedStatements();

  // Runs a script of one or more statements without parameters (schema changes).
  virtual base::Status ExecuteScript(std::string_view sql) = 0;

  // Bulk load through PostgreSQL's COPY FROM STDIN (text format): `next` appends the next row
  // to `buffer` as tab-separated fields ending in '\n' (NULL written \N; text escaped with
  // CopyEscape of copy_database.h) and returns false when there are no more rows. Runs in the open
  // transaction. FailedPrecondition on backends without COPY (SQLite, where prepared multi-row
  // INSERTs are as fast): callers check dialect() and use those. Returns the rows loaded.
  virtual base::Result<int64_t> CopyIn(std::string_view table, std::string_view columns,
                                       const std::function<bool(std::string& buffer)>& next);

  // Runs `statements` in order and returns the rows each changed; stops at the first error.
  // On PostgreSQL inside a transaction they travel in pipeline mode, a few hundred to a round
  // trip instead of one each (the per-row upserts of an import); otherwise each runs through
  // PrepareCached. Statements before a failed one stay applied until the caller's
  // transaction rolls back.
  virtual base::Result<std::vector<int64_t>> ExecuteBatch(
      std::span<const BatchStatement> statements);

  // A mode for a load that writes more than the database holds (a province's first import).
  // SQLite leaves WAL for a rollback journal while it is on: pages new to the file are then
  // not journaled at all, where WAL writes every page twice (to the log, then back at the
  // checkpoint) and slows down looking pages up in a large log; a first import runs about
  // 1.3x faster. Readers are shut out until each commit, so the mode is entered only when no
  // other connection has the database open. While it is on, SQLite neither checks foreign
  // keys nor CHECK constraints (about 10% of a first import): the loader writes only rows it
  // built from validated cells, with ids it assigned or read from the pool itself. Returns
  // whether it is on; PostgreSQL has no such mode (false). REQUIRES: no transaction is open.
  virtual base::Result<bool> EnterBulkLoadMode() { return false; }
  // Back to the normal mode after EnterBulkLoadMode returned true. REQUIRES: no transaction.
  virtual base::Status LeaveBulkLoadMode() { return base::OkStatus(); }

  // Prepares `sql`, binds `params` and runs it to completion. Returns the rows changed.
  base::Result<int64_t> Execute(std::string_view sql, std::initializer_list<Value> params = {});

  // Returns the first column of the first row as an integer; nullopt when there is no row
  // or the value is NULL. For counts and single lookups.
  base::Result<std::optional<int64_t>> QueryInt(std::string_view sql,
                                                std::initializer_list<Value> params = {});

  // The cipher of the households' sensitive columns (field_cipher.h), shared with the other
  // connections of the process; null (the default) stores them as plaintext and cannot read
  // a sealed value. Set it right after opening, before any repository uses the connection.
  void set_field_cipher(std::shared_ptr<const FieldCipher> cipher) {
    field_cipher_ = std::move(cipher);
  }
  const FieldCipher* field_cipher() const { return field_cipher_.get(); }

  // Whether a Transaction is open on this connection.
  bool in_transaction() const { return in_transaction_; }

  // Applies every built-in migration not yet applied (migrations.h), each in its own
  // transaction, recording it in schema_migrations with `clock`'s time. Idempotent.
  // Returns FailedPrecondition when the database was migrated by a newer program.
  // REQUIRES: no transaction is open.
  base::Status Migrate(const base::Clock& clock = base::SystemClock());

  // Returns the highest applied migration version, 0 for a new database.
  base::Result<int> SchemaVersion();

 protected:
  Database() = default;

 private:
  friend class Transaction;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statement_cache_;
  std::shared_ptr<const FieldCipher> field_cipher_;
  // Backend hooks for Transaction; called only with the right in_transaction() state.
  virtual base::Status BeginTransaction() = 0;
  virtual base::Status BeginReadTransaction() { return ExecuteScript(BeginReadSql(dialect())); }
  virtual base::Status CommitTransaction() = 0;
  virtual base::Status RollbackTransaction() = 0;

  bool in_transaction_ = false;
};

// A transaction on a Database, rolled back on destruction unless committed. At most one is
// open per Database; nesting is an error, not a savepoint. Thread-compatible; movable.
class Transaction {
 public:
  // Begins a write transaction. Returns FailedPrecondition when one is already open on
  // `db`, or the backend's error. `db` must outlive the Transaction.
  static base::Result<Transaction> Begin(Database& db);
  // Begins a read-only transaction: every statement until it ends reads one snapshot, and on
  // SQLite the locks are taken once instead of per statement (the API's detail views). No
  // writes inside it (PostgreSQL refuses them). Errors as Begin.
  static base::Result<Transaction> BeginRead(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // Makes the changes durable. On failure the transaction is rolled back and the error
  // returned. REQUIRES: active().
  base::Status Commit();
  // Discards the changes. REQUIRES: active().
  base::Status Rollback();

  // False once committed or rolled back.
  bool active() const { return db_ != nullptr; }

 private:
  explicit Transaction(Database* db) : db_(db) {}
  base::Status Finish(bool commit);

  Database* db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_DATABASE_H_
