// A unit of work run in a write transaction of its own, retried as a whole when it fails for a
// reason a second attempt can cure.
//
// PostgreSQL ends a transaction with a serialization failure (40001) or a deadlock (40P01)
// when concurrent transactions collide: the server rolled it back, and running the same unit
// again normally succeeds. A connection dropped before COMMIT was sent (a restarted server, a
// failover, a network cut) also lost the whole transaction; the backend reconnects at the next
// BEGIN. A connection lost during COMMIT is different: the transaction may or may not have
// committed, so that failure is returned, never retried.
//
// On SQLite a write transaction takes the database's write lock at BEGIN (BEGIN IMMEDIATE) and
// waits up to the busy timeout for it: writers never deadlock or fail on a stale snapshot, so
// nothing is retried there — a write lock still held after the timeout is a long import or a
// tier run, reported to the user rather than waited for four times over.
#ifndef GETIHU_STORAGE_TRANSACTION_RETRY_H_
#define GETIHU_STORAGE_TRANSACTION_RETRY_H_

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct RetryOptions {
  int retries = 3;      // extra attempts after the first
  int backoff_ms = 10;  // before retry k (from 0): backoff_ms << k, plus as much again at random
  // Called before each retry with the attempt that failed (1-based) and its error; for logs.
  std::function<void(int attempt, const base::Status& error)> on_retry;
};

// Whether a unit that failed with `error` on `db` may be run again. `committing`: the error
// came from COMMIT.
bool IsRetryableFailure(const Database& db, const base::Status& error, bool committing);

// Runs `fn` in a write transaction on `db` and commits it. When `fn`, BEGIN or COMMIT fails
// with a retryable failure (above) the transaction is rolled back and the whole unit runs
// again, up to `options.retries` more times; any other error is returned at once, with the
// transaction rolled back. Returns OK once committed.
//
// `fn` must touch nothing but `db` (no files, messages or other connections) and must not
// rely on state a failed attempt left behind in memory, since it may run more than once.
//
// When `db` is already in a transaction, `fn` runs once inside it: the caller's unit is the
// one to retry.
base::Status RunInTransaction(Database& db, const std::function<base::Status()>& fn,
                              const RetryOptions& options = {});

// As above for a unit that returns a value: the value of the attempt that committed.
template <typename Fn>
requires(!std::is_same_v<std::invoke_result_t<Fn&>, base::Status>) auto RunInTransaction(
    Database& db, Fn fn, const RetryOptions& options = {}) -> std::invoke_result_t<Fn&> {
  using ResultType = std::invoke_result_t<Fn&>;
  std::optional<ResultType> result;
  base::Status status = RunInTransaction(
      db,
      [&]() -> base::Status {
        result.emplace(fn());
        return result->status();
      },
      options);
  if (!status.ok()) return status;
  return std::move(*result);
}

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_TRANSACTION_RETRY_H_
