// RunInTransaction on each backend (see testing/backend_test.h): the failures PostgreSQL ends
// a transaction with — a serialization failure, a real deadlock between two connections, a
// dropped connection — are retried as a whole; other errors, and everything on SQLite, are not.
#include "storage/transaction_retry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

// A real serialization failure (SQLSTATE 40001) raised by the server.
constexpr std::string_view kRaiseSerializationFailure =
    "DO $$ BEGIN RAISE EXCEPTION 'test conflict' USING ERRCODE = 'serialization_failure'; "
    "END $$";

bool IsPostgres(Database& db) { return db.dialect() == Dialect::kPostgres; }

base::Status Record(Database& on, int attempt) {
  return on.Execute("INSERT INTO attempts (n) VALUES (?)", {attempt}).status();
}

// The attempts whose rows were committed, as "1,2,…".
std::string Committed(Database& db) {
  auto stmt = db.Prepare("SELECT n FROM attempts ORDER BY n");
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  if (!stmt.ok()) return "?";
  std::string out;
  while (*(*stmt)->Step()) out += (out.empty() ? "" : ",") + (*stmt)->ColumnText(0);
  return out;
}

// Quick retries, each one counted.
RetryOptions Counted(int& retries) {
  return {.retries = 3, .backoff_ms = 1, .on_retry = [&retries](int, const base::Status&) {
            ++retries;
          }};
}

base::Status CreateAttempts(Database& db) {
  return db.ExecuteScript("CREATE TABLE attempts (n BIGINT NOT NULL)");
}

TEST_P(TransactionRetryTest, CommitsTheUnitOnce) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  int attempts = 0, retries = 0;
  base::Status s = RunInTransaction(
      db(), [&] { return Record(db(), ++attempts); }, Counted(retries));
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(retries, 0);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(Committed(db()), "1");
}

TEST_P(TransactionRetryTest, AnOrdinaryErrorRollsBackAndIsNotRetried) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  int attempts = 0, retries = 0;
  base::Status s = RunInTransaction(
      db(),
      [&]() -> base::Status {
        GETIHU_RETURN_IF_ERROR(Record(db(), ++attempts));
        return base::InvalidArgument("第 3 行：日期无效");
      },
      Counted(retries));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(retries, 0);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(Committed(db()), "");
}

TEST_P(TransactionRetryTest, InsideTheCallersTransactionTheUnitRunsOnceAndDoesNotCommit) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  int attempts = 0;
  auto outer = Transaction::Begin(db());
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(RunInTransaction(db(), [&] { return Record(db(), ++attempts); }).ok());
  EXPECT_TRUE(db().in_transaction());
  ASSERT_TRUE(outer->Rollback().ok());
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(Committed(db()), "");
}

TEST_P(TransactionRetryTest, SerializationFailureIsRetriedOnPostgresOnly) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  int attempts = 0, retries = 0;
  base::Result<int> value = RunInTransaction(
      db(),
      [&]() -> base::Result<int> {
        GETIHU_RETURN_IF_ERROR(Record(db(), ++attempts));
        if (attempts == 1) {
          // PostgreSQL: the server's own 40001. SQLite has no such failure: the same code
          // from the unit is returned as it is.
          GETIHU_RETURN_IF_ERROR(IsPostgres(db()) ? db().ExecuteScript(kRaiseSerializationFailure)
                                                  : base::Aborted("并发冲突"));
        }
        return attempts * 10;
      },
      Counted(retries));
  if (IsPostgres(db())) {
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(*value, 20);  // the value of the attempt that committed
    EXPECT_EQ(attempts, 2);
    EXPECT_EQ(retries, 1);
    EXPECT_EQ(Committed(db()), "2");  // the first attempt's row was rolled back
  } else {
    EXPECT_EQ(value.status().code(), StatusCode::kAborted);
    EXPECT_EQ(attempts, 1);
    EXPECT_EQ(retries, 0);
    EXPECT_EQ(Committed(db()), "");
  }
}

TEST_P(TransactionRetryTest, GivesUpAfterTheRetriesWithTheLastError) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  if (!IsPostgres(db())) GTEST_SKIP() << "only PostgreSQL retries";
  int attempts = 0, retries = 0;
  base::Status s = RunInTransaction(
      db(),
      [&]() -> base::Status {
        GETIHU_RETURN_IF_ERROR(Record(db(), ++attempts));
        return db().ExecuteScript(kRaiseSerializationFailure);
      },
      Counted(retries));
  EXPECT_EQ(s.code(), StatusCode::kAborted) << s.ToString();
  EXPECT_EQ(attempts, 4);
  EXPECT_EQ(retries, 3);
  EXPECT_EQ(Committed(db()), "");
}

TEST_P(TransactionRetryTest, ADroppedConnectionIsReopenedAndTheUnitRunAgain) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  if (!IsPostgres(db())) GTEST_SKIP() << "an embedded database has no connection to lose";
  int attempts = 0, retries = 0;
  base::Status s = RunInTransaction(
      db(),
      [&]() -> base::Status {
        GETIHU_RETURN_IF_ERROR(Record(db(), ++attempts));
        if (attempts == 1) {
          // The server ends this session, as a restart or a failover would.
          return db()
              .QueryInt("SELECT CAST(pg_terminate_backend(pg_backend_pid()) AS INTEGER)")
              .status();
        }
        return base::OkStatus();
      },
      Counted(retries));
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(retries, 1);
  EXPECT_EQ(Committed(db()), "2");
}

// Two connections update the same two rows in opposite orders: PostgreSQL detects the
// deadlock and ends one of the transactions, whose unit then runs again and commits.
TEST_P(TransactionRetryTest, ARealDeadlockBetweenTwoConnectionsEndsWithBothUnitsCommitted) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  if (!IsPostgres(db()))
    GTEST_SKIP() << "SQLite takes the write lock at BEGIN: writers never deadlock";
  auto other = GetParam()->OpenAnother();
  ASSERT_TRUE(other.has_value() && other->ok());
  Database& second = ***other;
  ASSERT_TRUE(db().ExecuteScript("CREATE TABLE accounts (id BIGINT PRIMARY KEY, v BIGINT);"
                                 " INSERT INTO accounts VALUES (1, 0), (2, 0)")
                  .ok());
  // Both first attempts hold their first row before either asks for its second.
  std::mutex mu;
  std::condition_variable cv;
  int holding = 0;
  auto both_hold = [&] {
    std::unique_lock lock(mu);
    ++holding;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return holding >= 2; });
  };
  std::atomic<int> retries = 0;
  auto unit = [&](Database& on, int first, int second_id) {
    bool first_attempt = true;
    return RunInTransaction(
        on,
        [&]() -> base::Status {
          GETIHU_RETURN_IF_ERROR(
              on.Execute("UPDATE accounts SET v = v + 1 WHERE id = ?", {first}).status());
          if (std::exchange(first_attempt, false)) both_hold();
          return on.Execute("UPDATE accounts SET v = v + 1 WHERE id = ?", {second_id}).status();
        },
        {.retries = 3, .backoff_ms = 5, .on_retry = [&](int, const base::Status& e) {
           EXPECT_EQ(e.code(), StatusCode::kAborted) << e.ToString();
           ++retries;
         }});
  };
  base::Status a, b;
  std::thread ta([&] { a = unit(db(), 1, 2); });
  std::thread tb([&] { b = unit(second, 2, 1); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a.ToString();
  EXPECT_TRUE(b.ok()) << b.ToString();
  EXPECT_EQ(retries.load(), 1);
  EXPECT_EQ(db().QueryInt("SELECT v FROM accounts WHERE id = 1")->value_or(-1), 2);
  EXPECT_EQ(db().QueryInt("SELECT v FROM accounts WHERE id = 2")->value_or(-1), 2);
}

// On SQLite a writer waits for the write lock up to its busy timeout at BEGIN; a lock still
// held then is reported, not waited for again.
TEST_P(TransactionRetryTest, SqliteReportsAWriteLockHeldPastTheBusyTimeout) {
  ASSERT_TRUE(CreateAttempts(db()).ok());
  if (IsPostgres(db())) GTEST_SKIP() << "SQLite's write lock";
  auto other = GetParam()->OpenAnother();
  if (!other.has_value()) GTEST_SKIP() << "an in-memory database has one connection";
  ASSERT_TRUE(other->ok());
  auto held = Transaction::Begin(***other);
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(db().ExecuteScript("PRAGMA busy_timeout = 20").ok());
  int attempts = 0, retries = 0;
  base::Status s = RunInTransaction(
      db(), [&] { return Record(db(), ++attempts); }, Counted(retries));
  EXPECT_EQ(s.code(), StatusCode::kAborted) << s.ToString();
  EXPECT_EQ(attempts, 0);  // BEGIN failed: the unit never ran
  EXPECT_EQ(retries, 0);
  ASSERT_TRUE(held->Commit().ok());
  ASSERT_TRUE(RunInTransaction(db(), [&] { return Record(db(), ++attempts); }).ok());
  EXPECT_EQ(Committed(db()), "1");
}

}  // namespace
}  // namespace getihu::storage::testing
