// Backend-agnostic tests of DeferredIndexes (see testing/backend_test.h).
#include "storage/deferred_indexes.h"

#include <gtest/gtest.h>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

const std::vector<std::string> kHouseholdIndexes = {
    "households_industry", "households_operator_id_hash", "households_phone_hash",
    "households_region",   "households_status",           "households_township"};

std::vector<std::string> DropAndList(Database& db) {
  auto deferred = DeferredIndexes::Drop(db, "households");
  EXPECT_TRUE(deferred.ok()) << deferred.status().ToString();
  return deferred.ok() ? deferred->names() : std::vector<std::string>{};
}

TEST_P(DatabaseTest, DeferredIndexesAreDroppedAndRebuiltInsideTheTransaction) {
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  auto deferred = DeferredIndexes::Drop(db(), "households");
  ASSERT_TRUE(deferred.ok()) << deferred.status().ToString();
  EXPECT_EQ(deferred->names(), kHouseholdIndexes);  // not the unique index on USCC
  EXPECT_TRUE(DropAndList(db()).empty());           // gone for now

  // The load goes on with the unique key in force: a second write of a USCC updates its row.
  int64_t batch = NewBatchId();
  int64_t id = AddHousehold(1, batch);
  EXPECT_EQ(AddHousehold(1, batch), id);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM households"), 1);

  ASSERT_TRUE(deferred->Rebuild().ok());
  EXPECT_TRUE(deferred->names().empty());
  ASSERT_TRUE(tx->Commit().ok());

  auto again = Transaction::Begin(db());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(DropAndList(db()), kHouseholdIndexes);  // all back, and committed
}

TEST_P(DatabaseTest, RollbackBringsDeferredIndexesBack) {
  {
    auto tx = Transaction::Begin(db());
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ(DropAndList(db()), kHouseholdIndexes);
  }  // rolled back, as when an import fails or the process dies
  auto tx = Transaction::Begin(db());
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(DropAndList(db()), kHouseholdIndexes);
}

TEST_P(DatabaseTest, DeferredIndexesNeedATransaction) {
  auto deferred = DeferredIndexes::Drop(db(), "households");
  EXPECT_EQ(deferred.status().code(), base::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace getihu::storage::testing
