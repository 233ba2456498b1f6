#include "storage/fact_repository.h"

#include <optional>

#include "storage/row_writer.h"

namespace getihu::storage {
namespace {

std::optional<std::string_view> RatingCode(std::optional<domain::TaxCreditRating> rating) {
  if (!rating.has_value()) return std::nullopt;
  return domain::TaxCreditRatingCode(*rating);
}

}  // namespace

base::Result<WriteCounts> FactRepository::InsertAnnualReports(
    std::span<const domain::AnnualReport> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO annual_reports (household_id, year, revenue_fen, tax_fen, employees,"
      " filed_on, online, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::AnnualReport& r) -> internal::RowParams {
        return {
            {r.household_id, r.year, r.revenue, r.tax, r.employees, r.filed_on, r.online, batch_id},
            {}};
      });
}

base::Result<WriteCounts> FactRepository::InsertTaxRecords(std::span<const domain::TaxRecord> rows,
                                                           int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO tax_records (household_id, year, tax_paid_fen, sales_fen, credit_rating,"
      " batch_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::TaxRecord& r) -> internal::RowParams {
        return {
            {r.household_id, r.year, r.tax_paid, r.sales, RatingCode(r.credit_rating), batch_id},
            {}};
      });
}

base::Result<WriteCounts> FactRepository::InsertSocialInsurance(
    std::span<const domain::SocialInsuranceRecord> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO social_insurance (household_id, period, insured_count, batch_id)"
      " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::SocialInsuranceRecord& r) -> internal::RowParams {
        return {{r.household_id, r.period, r.insured_count, batch_id}, {}};
      });
}

base::Result<WriteCounts> FactRepository::InsertHousingFund(
    std::span<const domain::HousingFundRecord> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO housing_fund (household_id, period, payer_count, batch_id)"
      " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::HousingFundRecord& r) -> internal::RowParams {
        return {{r.household_id, r.period, r.payer_count, batch_id}, {}};
      });
}

base::Result<WriteCounts> FactRepository::InsertLoans(std::span<const domain::Loan> rows,
                                                      int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO loans (household_id, contract_no, lender, granted_on, amount_fen,"
      " is_first_loan, due_on, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
      " ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::Loan& r) -> internal::RowParams {
        return {{r.household_id, r.contract_no, r.lender, r.granted_on, r.amount, r.is_first_loan,
                 r.due_on, batch_id},
                {}};
      });
}

}  // namespace getihu::storage
