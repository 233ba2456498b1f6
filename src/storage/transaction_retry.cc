#include "storage/transaction_retry.h"

#include <chrono>
#include <random>
#include <thread>

namespace getihu::storage {

bool IsRetryableFailure(const Database& db, const base::Status& error, bool committing) {
  if (db.dialect() != Dialect::kPostgres) return false;
  switch (error.code()) {
    case base::StatusCode::kAborted:  // serialization failure, deadlock, lock not available
      return true;
    case base::StatusCode::kUnavailable:  // the connection is gone, and the transaction with it
      return !committing;                 // unless COMMIT itself was under way: it may have run
    default:
      return false;
  }
}

base::Status RunInTransaction(Database& db, const std::function<base::Status()>& fn,
                              const RetryOptions& options) {
  if (db.in_transaction()) return fn();
  thread_local std::minstd_rand jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    bool committing = false;
    base::Status status = [&]() -> base::Status {
      GETIHU_ASSIGN_OR_RETURN(Transaction transaction, Transaction::Begin(db));
      GETIHU_RETURN_IF_ERROR(fn());  // the transaction rolls back as it goes out of scope
      committing = true;
      return transaction.Commit();
    }();
    if (status.ok() || attempt > options.retries || !IsRetryableFailure(db, status, committing)) {
      return status;
    }
    if (options.on_retry) options.on_retry(attempt, status);
    int backoff = options.backoff_ms << (attempt - 1);
    std::uniform_int_distribution<int> extra(0, backoff);
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff + extra(jitter)));
  }
}

}  // namespace getihu::storage
