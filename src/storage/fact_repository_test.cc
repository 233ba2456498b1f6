#include "storage/fact_repository.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::Money;
using base::StatusCode;

domain::AnnualReport Report(int64_t household_id, int year, int64_t revenue_yuan) {
  return {.household_id = household_id,
          .year = year,
          .revenue = Money::FromYuan(revenue_yuan),
          .tax = std::nullopt,
          .employees = 2,
          .filed_on = std::nullopt,
          .online = false};
}

TEST_P(FactRepositoryTest, LaterYearDoesNotOverwriteEarlierYear) {
  int64_t batch2023 = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, batch2023);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> y2023 = {Report(id, 2023, 300000)};
  ASSERT_EQ(*facts.InsertAnnualReports(y2023, batch2023), (WriteCounts{1, 0, 0}));
  int64_t batch2024 = NewBatchId(2, "annual_report");
  std::vector<domain::AnnualReport> y2024 = {Report(id, 2024, 450000)};
  ASSERT_EQ(*facts.InsertAnnualReports(y2024, batch2024), (WriteCounts{1, 0, 0}));

  EXPECT_EQ(
      Int("SELECT revenue_fen FROM annual_reports WHERE household_id = ? AND year = 2023", {id}),
      30000000);
  EXPECT_EQ(
      Int("SELECT revenue_fen FROM annual_reports WHERE household_id = ? AND year = 2024", {id}),
      45000000);
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports WHERE year = 2023"), batch2023);
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports WHERE year = 2024"), batch2024);
}

TEST_P(FactRepositoryTest, DuplicatePeriodIsIgnoredAndTheFirstKept) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> original = {Report(id, 2023, 100)};
  ASSERT_TRUE(facts.InsertAnnualReports(original, first).ok());
  std::vector<domain::AnnualReport> again = {Report(id, 2023, 999), Report(id, 2022, 50)};
  EXPECT_EQ(*facts.InsertAnnualReports(again, NewBatchId(2, "annual_report")),
            (WriteCounts{1, 0, 1}));
  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports WHERE year = 2023"), 10000);
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports WHERE year = 2023"), first);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annual_reports"), 2);
}

TEST_P(FactRepositoryTest, FactForAnUnknownHouseholdIsRefused) {
  int64_t batch = NewBatchId();
  int64_t id = AddHousehold(1, batch);
  std::vector<domain::AnnualReport> rows = {Report(id + 1, 2023, 1)};
  auto r = FactRepository(db()).InsertAnnualReports(rows, batch);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annual_reports"), 0);
}

TEST_P(FactRepositoryTest, StoresTaxWithItsCreditRating) {
  int64_t batch = NewBatchId(1, "tax");
  int64_t id = AddHousehold(1, batch);
  std::vector<domain::TaxRecord> rows = {
      {.household_id = id,
       .year = 2023,
       .tax_paid = Money::FromFen(123456),
       .sales = Money::FromYuan(500000),
       .credit_rating = domain::TaxCreditRating::kM},
      {.household_id = id, .year = 2022},
  };
  EXPECT_EQ(*FactRepository(db()).InsertTaxRecords(rows, batch), (WriteCounts{2, 0, 0}));
  EXPECT_EQ(Int("SELECT tax_paid_fen FROM tax_records WHERE year = 2023"), 123456);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tax_records WHERE credit_rating = 'M'"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tax_records WHERE tax_paid_fen IS NULL"), 1);
  EXPECT_EQ(Int("SELECT sales_fen FROM tax_records WHERE year = 2023"), 50000000);
}

TEST_P(FactRepositoryTest, KeepsMonthlyAndYearlyPeriods) {
  int64_t batch = NewBatchId(1, "social_insurance");
  int64_t id = AddHousehold(1, batch);
  FactRepository facts(db());
  std::vector<domain::SocialInsuranceRecord> insured = {
      {id, "2024-01", 2}, {id, "2024-02", 3}, {id, "2023", 2}, {id, "2024-01", 9}};
  EXPECT_EQ(*facts.InsertSocialInsurance(insured, batch), (WriteCounts{3, 0, 1}));
  std::vector<domain::HousingFundRecord> fund = {{id, "2024-01", 1}, {id, "2024-02", 1}};
  EXPECT_EQ(*facts.InsertHousingFund(fund, batch), (WriteCounts{2, 0, 0}));
  EXPECT_EQ(Int("SELECT insured_count FROM social_insurance WHERE period = '2024-01'"), 2);
  std::vector<domain::SocialInsuranceRecord> bad = {{id, "24", 1}};
  EXPECT_EQ(facts.InsertSocialInsurance(bad, batch).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(FactRepositoryTest, StoresLoansIncludingFirstLoans) {
  int64_t batch = NewBatchId(1, "loan");
  int64_t id = AddHousehold(1, batch);
  domain::Loan first{.household_id = id,
                     .contract_no = "CQRCB-2023-0001",
                     .lender = "重庆农商行",
                     .granted_on = Ymd(2023, 4, 1),
                     .amount = Money::FromYuan(200000),
                     .is_first_loan = true,
                     .due_on = Ymd(2026, 3, 31)};
  domain::Loan second = first;
  second.contract_no = "CQRCB-2024-0107";
  second.granted_on = Ymd(2024, 4, 1);
  second.amount = Money::FromYuan(300000);
  second.is_first_loan = false;
  second.due_on = std::nullopt;
  std::vector<domain::Loan> loans = {first, second, first};
  EXPECT_EQ(*FactRepository(db()).InsertLoans(loans, batch), (WriteCounts{2, 0, 1}));
  EXPECT_EQ(Int("SELECT SUM(amount_fen) FROM loans WHERE household_id = ?", {id}), 50000000);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM loans WHERE is_first_loan = 1"), 1);
}

}  // namespace
}  // namespace getihu::storage::testing
