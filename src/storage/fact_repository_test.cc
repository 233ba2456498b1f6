#include "storage/fact_repository.h"

#include <gtest/gtest.h>

#include <utility>
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

TEST_P(FactRepositoryTest, SameValuesFromALaterBatchAreIgnoredAndKeepTheirBatch) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> rows = {Report(id, 2023, 100)};
  ASSERT_EQ(*facts.InsertAnnualReports(rows, first), (WriteCounts{1, 0, 0}));
  EXPECT_EQ(*facts.InsertAnnualReports(rows, NewBatchId(2, "annual_report")),
            (WriteCounts{0, 0, 1}));
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports WHERE year = 2023"), first);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annual_reports_superseded"), 0);
}

TEST_P(FactRepositoryTest, DifferentValuesFromALaterBatchSupersedeTheStoredRow) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> original = {Report(id, 2023, 100)};
  ASSERT_TRUE(facts.InsertAnnualReports(original, first).ok());
  int64_t second = NewBatchId(2, "annual_report");
  std::vector<domain::AnnualReport> corrected = {Report(id, 2023, 999), Report(id, 2022, 50)};
  EXPECT_EQ(*facts.InsertAnnualReports(corrected, second), (WriteCounts{1, 1, 0}));

  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports WHERE year = 2023"), 99900);
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports WHERE year = 2023"), second);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annual_reports"), 2);
  auto history = facts.AnnualReportHistory(id, 2023);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 1u);
  const auto& old = history->front();
  EXPECT_EQ(old.fact.household_id, id);
  EXPECT_EQ(old.fact.year, 2023);
  EXPECT_EQ(old.fact.revenue, Money::FromYuan(100));
  EXPECT_EQ(old.fact.employees, 2);
  EXPECT_EQ(old.fact.online, false);
  EXPECT_EQ(old.fact.tax, std::nullopt);
  EXPECT_EQ(old.batch_id, first);
  EXPECT_EQ(old.superseded_by_batch_id, second);
  EXPECT_TRUE(facts.AnnualReportHistory(id, 2022)->empty());
}

TEST_P(FactRepositoryTest, CorrectedTwiceKeepsBothEarlierVersionsOldestFirst) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  int64_t second = NewBatchId(2, "annual_report");
  int64_t third = NewBatchId(3, "annual_report");
  const std::vector<std::pair<int64_t, int>> deliveries = {
      {first, 100}, {second, 200}, {third, 300}};
  for (auto [batch, yuan] : deliveries) {
    std::vector<domain::AnnualReport> rows = {Report(id, 2023, yuan)};
    ASSERT_TRUE(facts.InsertAnnualReports(rows, batch).ok());
  }
  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports WHERE year = 2023"), 30000);
  auto history = facts.AnnualReportHistory(id, 2023);
  ASSERT_TRUE(history.ok() && history->size() == 2u);
  EXPECT_EQ((*history)[0].fact.revenue, Money::FromYuan(100));
  EXPECT_EQ((*history)[0].batch_id, first);
  EXPECT_EQ((*history)[0].superseded_by_batch_id, second);
  EXPECT_EQ((*history)[1].fact.revenue, Money::FromYuan(200));
  EXPECT_EQ((*history)[1].batch_id, second);
  EXPECT_EQ((*history)[1].superseded_by_batch_id, third);
}

TEST_P(FactRepositoryTest, SameKeyAgainInOneBatchKeepsTheFirst) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> twice = {Report(id, 2023, 100), Report(id, 2023, 200)};
  EXPECT_EQ(*facts.InsertAnnualReports(twice, first), (WriteCounts{1, 0, 1}));
  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports"), 10000);

  int64_t second = NewBatchId(2, "annual_report");
  std::vector<domain::AnnualReport> corrected_twice = {Report(id, 2023, 300),
                                                       Report(id, 2023, 400)};
  EXPECT_EQ(*facts.InsertAnnualReports(corrected_twice, second), (WriteCounts{0, 1, 1}));
  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports"), 30000);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annual_reports_superseded"), 1);
}

TEST_P(FactRepositoryTest, AnEarlierBatchDoesNotSupersedeALaterOne) {
  int64_t earlier = NewBatchId(1, "annual_report");
  int64_t later = NewBatchId(2, "annual_report");
  int64_t id = AddHousehold(1, earlier);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> fresh = {Report(id, 2023, 200)};
  ASSERT_TRUE(facts.InsertAnnualReports(fresh, later).ok());
  std::vector<domain::AnnualReport> stale = {Report(id, 2023, 100)};
  EXPECT_EQ(*facts.InsertAnnualReports(stale, earlier), (WriteCounts{0, 0, 1}));
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports"), later);
}

TEST_P(FactRepositoryTest, ComparesMissingValuesNullSafely) {
  int64_t first = NewBatchId(1, "tax");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::TaxRecord> unknown = {{.household_id = id, .year = 2023}};
  ASSERT_TRUE(facts.InsertTaxRecords(unknown, first).ok());
  int64_t second = NewBatchId(2, "tax");
  EXPECT_EQ(*facts.InsertTaxRecords(unknown, second), (WriteCounts{0, 0, 1}));  // NULL = NULL
  std::vector<domain::TaxRecord> rated = {
      {.household_id = id, .year = 2023, .credit_rating = domain::TaxCreditRating::kB}};
  EXPECT_EQ(*facts.InsertTaxRecords(rated, second), (WriteCounts{0, 1, 0}));  // NULL → B
  EXPECT_EQ(*facts.InsertTaxRecords(unknown, NewBatchId(3, "tax")), (WriteCounts{0, 1, 0}));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tax_records WHERE credit_rating IS NULL"), 1);  // B → NULL

  auto history = facts.TaxRecordHistory(id, 2023);
  ASSERT_TRUE(history.ok() && history->size() == 2u);
  EXPECT_EQ((*history)[0].fact.credit_rating, std::nullopt);
  EXPECT_EQ((*history)[0].fact.tax_paid, std::nullopt);
  EXPECT_EQ((*history)[1].fact.credit_rating, domain::TaxCreditRating::kB);
  EXPECT_EQ((*history)[1].batch_id, second);
}

TEST_P(FactRepositoryTest, RolledBackCorrectionLeavesNeitherUpdateNorHistory) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> original = {Report(id, 2023, 100)};
  ASSERT_TRUE(facts.InsertAnnualReports(original, first).ok());
  int64_t second = NewBatchId(2, "annual_report");
  {
    auto transaction = Transaction::Begin(db());
    ASSERT_TRUE(transaction.ok());
    std::vector<domain::AnnualReport> corrected = {Report(id, 2023, 999)};
    ASSERT_EQ(*facts.InsertAnnualReports(corrected, second), (WriteCounts{0, 1, 0}));
    ASSERT_TRUE(transaction->Rollback().ok());
  }
  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports WHERE year = 2023"), 10000);
  EXPECT_EQ(Int("SELECT batch_id FROM annual_reports WHERE year = 2023"), first);
  EXPECT_TRUE(facts.AnnualReportHistory(id, 2023)->empty());
}

TEST_P(FactRepositoryTest, ACallWithoutTransactionIsAtomic) {
  int64_t first = NewBatchId(1, "annual_report");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::AnnualReport> original = {Report(id, 2023, 100)};
  ASSERT_TRUE(facts.InsertAnnualReports(original, first).ok());
  std::vector<domain::AnnualReport> rows = {Report(id, 2023, 999), Report(id + 1, 2023, 1)};
  auto r = facts.InsertAnnualReports(rows, NewBatchId(2, "annual_report"));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(db().in_transaction());
  EXPECT_EQ(Int("SELECT revenue_fen FROM annual_reports WHERE year = 2023"), 10000);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annual_reports_superseded"), 0);
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

TEST_P(FactRepositoryTest, EveryFamilyKeepsItsSupersededValues) {
  int64_t first = NewBatchId(1, "loan");
  int64_t id = AddHousehold(1, first);
  FactRepository facts(db());
  std::vector<domain::SocialInsuranceRecord> insured = {{id, "2024-01", 2}};
  std::vector<domain::HousingFundRecord> fund = {{id, "2024", 1}};
  domain::Loan loan{.household_id = id,
                    .contract_no = "CQRCB-2023-0001",
                    .lender = "重庆农商行",
                    .granted_on = Ymd(2023, 4, 1),
                    .amount = Money::FromYuan(200000),
                    .is_first_loan = true,
                    .due_on = Ymd(2026, 3, 31)};
  ASSERT_TRUE(facts.InsertSocialInsurance(insured, first).ok());
  ASSERT_TRUE(facts.InsertHousingFund(fund, first).ok());
  ASSERT_TRUE(facts.InsertLoans(std::span(&loan, 1), first).ok());

  int64_t second = NewBatchId(2, "loan");
  insured[0].insured_count = 3;
  fund[0].payer_count = 0;
  domain::Loan extended = loan;
  extended.due_on = std::nullopt;
  EXPECT_EQ(*facts.InsertSocialInsurance(insured, second), (WriteCounts{0, 1, 0}));
  EXPECT_EQ(*facts.InsertHousingFund(fund, second), (WriteCounts{0, 1, 0}));
  EXPECT_EQ(*facts.InsertLoans(std::span(&extended, 1), second), (WriteCounts{0, 1, 0}));

  auto insured_history = facts.SocialInsuranceHistory(id, "2024-01");
  ASSERT_TRUE(insured_history.ok() && insured_history->size() == 1u);
  EXPECT_EQ(insured_history->front().fact.insured_count, 2);
  EXPECT_EQ(insured_history->front().fact.period, "2024-01");
  auto fund_history = facts.HousingFundHistory(id, "2024");
  ASSERT_TRUE(fund_history.ok() && fund_history->size() == 1u);
  EXPECT_EQ(fund_history->front().fact.payer_count, 1);
  auto loan_history = facts.LoanHistory(id, "CQRCB-2023-0001");
  ASSERT_TRUE(loan_history.ok()) << loan_history.status().ToString();
  ASSERT_EQ(loan_history->size(), 1u);
  const domain::Loan& old = loan_history->front().fact;
  EXPECT_EQ(old.lender, "重庆农商行");
  EXPECT_EQ(old.granted_on, Ymd(2023, 4, 1));
  EXPECT_EQ(old.amount, Money::FromYuan(200000));
  EXPECT_TRUE(old.is_first_loan);
  EXPECT_EQ(old.due_on, Ymd(2026, 3, 31));
  EXPECT_EQ(loan_history->front().batch_id, first);
  EXPECT_EQ(loan_history->front().superseded_by_batch_id, second);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM loans WHERE due_on IS NULL AND batch_id = ?", {second}), 1);
  EXPECT_TRUE(facts.LoanHistory(id, "NO-SUCH-CONTRACT")->empty());
}

}  // namespace
}  // namespace getihu::storage::testing
