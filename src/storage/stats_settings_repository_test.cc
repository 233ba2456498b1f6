#include "storage/stats_settings_repository.h"

#include <gtest/gtest.h>

#include "storage/fact_repository.h"
#include "storage/testing/backend_test.h"
#include "storage/vitality_query.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

TEST_P(StatsSettingsRepositoryTest, TargetsAreSetReplacedListedAndDeleted) {
  StatsSettingsRepository repo(db());
  ASSERT_TRUE(
      repo.SetTarget({"500113", 2026, "activity", 70, "张", "2026-01-05T09:00:00+08:00"}).ok());
  ASSERT_TRUE(repo.SetTarget({"500113", 2026, "households", 60000, "张", "t"}).ok());
  ASSERT_TRUE(repo.SetTarget({"500113", 2025, "activity", 65, "张", "t"}).ok());
  ASSERT_TRUE(repo.SetTarget({"5001", 2026, "activity", 72.5, "李", "t"}).ok());
  // Setting the same key again replaces the value.
  ASSERT_TRUE(repo.SetTarget({"500113", 2026, "activity", 71, "王", "t2"}).ok());

  auto year = repo.ListTargets(std::string_view("500113"), 2026);
  ASSERT_TRUE(year.ok()) << year.status().ToString();
  ASSERT_EQ(year->size(), 2u);
  EXPECT_EQ((*year)[0].indicator, "activity");
  EXPECT_DOUBLE_EQ((*year)[0].value, 71);
  EXPECT_EQ((*year)[0].updated_by, "王");
  EXPECT_EQ((*year)[1].indicator, "households");
  auto all = repo.ListTargets(std::nullopt, 0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].region_prefix, "5001");
  EXPECT_DOUBLE_EQ((*all)[0].value, 72.5);

  // The schema refuses unknown indicators, negative values and malformed regions.
  EXPECT_EQ(repo.SetTarget({"500113", 2026, "happiness", 1, "", "t"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(repo.SetTarget({"500113", 2026, "activity", -1, "", "t"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(repo.SetTarget({"50011", 2026, "activity", 1, "", "t"}).code(),
            StatusCode::kInvalidArgument);

  auto gone = repo.DeleteTarget("500113", 2026, "activity");
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(*gone);
  gone = repo.DeleteTarget("500113", 2026, "activity");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
  EXPECT_EQ(repo.ListTargets(std::string_view("500113"), 2026)->size(), 1u);
}

TEST_P(StatsSettingsRepositoryTest, TownshipGroupsByRegion) {
  StatsSettingsRepository repo(db());
  ASSERT_TRUE(repo.SetTownshipGroup("500113002", "城区", "张", "t").ok());
  ASSERT_TRUE(repo.SetTownshipGroup("500113001", "城区", "张", "t").ok());
  ASSERT_TRUE(repo.SetTownshipGroup("500113101", "城乡结合部", "张", "t").ok());
  ASSERT_TRUE(repo.SetTownshipGroup("500112001", "城区", "张", "t").ok());
  ASSERT_TRUE(repo.SetTownshipGroup("500113101", "城郊", "李", "t2").ok());  // moved
  EXPECT_EQ(repo.SetTownshipGroup("5001130", "城区", "", "t").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(repo.SetTownshipGroup("500113003", "", "", "t").code(), StatusCode::kInvalidArgument);

  auto list = repo.ListTownshipGroups("500113");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].region, "500113");
  auto map113 = repo.TownshipGroupMap("500113");
  ASSERT_TRUE(map113.ok());
  EXPECT_EQ(map113->at("500113001"), "城区");
  EXPECT_EQ(map113->at("500113002"), "城区");
  EXPECT_EQ(map113->at("500113101"), "城郊");
  EXPECT_EQ(repo.ListTownshipGroups("")->size(), 4u);
  EXPECT_EQ(repo.ListTownshipGroups("5001")->size(), 4u);
  auto map = repo.TownshipGroupMap("500112");
  ASSERT_TRUE(map.ok());
  ASSERT_EQ(map->size(), 1u);
  EXPECT_EQ(map->at("500112001"), "城区");

  EXPECT_TRUE(*repo.DeleteTownshipGroup("500113002"));
  EXPECT_FALSE(*repo.DeleteTownshipGroup("500113002"));
  EXPECT_EQ(repo.ListTownshipGroups("500113")->size(), 2u);
}

// Households with a loan flagged 首贷 in the period, each once; none at all without a loan feed.
TEST_P(StatsSettingsRepositoryTest, FirstLoansNeedALoanFeed) {
  base::Date from = Ymd(2026, 1, 1), to = Ymd(2026, 7, 1);
  auto none = CountFirstLoans(db(), "500113", from, to);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value()) << "no loan batch: no data, not zero";

  int64_t reg = NewBatchId(1);
  int64_t a = AddHousehold(1, reg), b = AddHousehold(2, reg), c = AddHousehold(3, reg);
  int64_t loans = NewBatchId(2, "loan");
  auto money = base::Money::FromFen(100);
  std::vector<domain::Loan> rows = {
      {a, "HT-1", "银行", Ymd(2026, 3, 1), money, true, std::nullopt},    // counts
      {a, "HT-2", "银行", Ymd(2026, 4, 1), money, true, std::nullopt},    // same household
      {b, "HT-3", "银行", Ymd(2025, 12, 31), money, true, std::nullopt},  // before the period
      {c, "HT-4", "银行", Ymd(2026, 5, 1), money, false, std::nullopt},   // not a first loan
      {c, "HT-5", "银行", Ymd(2026, 7, 2), money, true, std::nullopt}};   // after the period
  ASSERT_TRUE(FactRepository(db()).InsertLoans(rows, loans).ok());
  auto pending = CountFirstLoans(db(), "500113", from, to);
  ASSERT_TRUE(pending.ok());
  EXPECT_FALSE(pending->has_value()) << "a batch still loading is no data yet";
  ASSERT_TRUE(BatchRepository(db()).MarkCommitted(loans, 5, 0).ok());
  auto counted = CountFirstLoans(db(), "500113", from, to);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->value_or(-1), 1);
  EXPECT_EQ(CountFirstLoans(db(), "500112", from, to)->value_or(-1), 0);
}

}  // namespace
}  // namespace getihu::storage::testing
