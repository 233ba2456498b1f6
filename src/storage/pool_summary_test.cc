#include "storage/pool_summary.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage/fact_repository.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using domain::HouseholdStatus;

TEST_P(PoolSummaryTest, EmptyPoolCountsZeroEverywhere) {
  auto summary = Summarize(db());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->tables.size(), PoolTables().size());
  for (const TableCount& t : summary->tables) EXPECT_EQ(t.rows, 0) << t.table;
  ASSERT_EQ(summary->households_by_status.size(), domain::kHouseholdStatuses.size());
  EXPECT_EQ(summary->Households(HouseholdStatus::kActive), 0);
}

TEST_P(PoolSummaryTest, CountsRowsAndHouseholdsByStatus) {
  int64_t batch = NewBatchId();
  int64_t a = AddHousehold(1, batch);
  AddHousehold(2, batch);
  domain::Household closed = SampleHousehold(3);
  closed.status = HouseholdStatus::kDeregistered;
  ASSERT_TRUE(HouseholdRepository(db()).UpsertHousehold(closed, batch).ok());
  std::vector<domain::SocialInsuranceRecord> insured = {{a, "2024-01", 1}, {a, "2024-02", 1}};
  ASSERT_TRUE(FactRepository(db()).InsertSocialInsurance(insured, batch).ok());

  auto summary = Summarize(db());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->Rows("batches"), 1);
  EXPECT_EQ(summary->Rows("households"), 3);
  EXPECT_EQ(summary->Rows("social_insurance"), 2);
  EXPECT_EQ(summary->Rows("annual_reports"), 0);
  EXPECT_EQ(summary->Rows("no_such_table"), 0);
  EXPECT_EQ(summary->Households(HouseholdStatus::kActive), 2);
  EXPECT_EQ(summary->Households(HouseholdStatus::kDeregistered), 1);
  EXPECT_EQ(summary->Households(HouseholdStatus::kRevoked), 0);
}

TEST_P(PoolSummaryTest, RolledBackImportLeavesNothingBehind) {
  {
    auto tx = Transaction::Begin(db());
    ASSERT_TRUE(tx.ok());
    int64_t batch = NewBatchId();
    int64_t id = AddHousehold(1, batch);
    std::vector<domain::SocialInsuranceRecord> insured = {{id, "2024-01", 1}};
    ASSERT_TRUE(FactRepository(db()).InsertSocialInsurance(insured, batch).ok());
    ASSERT_TRUE(BatchRepository(db()).MarkCommitted(batch, 1, 0).ok());
  }  // an error return before Commit
  auto summary = Summarize(db());
  ASSERT_TRUE(summary.ok());
  for (const TableCount& t : summary->tables) EXPECT_EQ(t.rows, 0) << t.table;
}

}  // namespace
}  // namespace getihu::storage::testing
