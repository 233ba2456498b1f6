#include "storage/fact_repository.h"

#include <optional>
#include <string>
#include <utility>

#include "storage/row_writer.h"

namespace getihu::storage {
namespace {

// The fact tables, their value columns in table order (docs/schema.md).
constexpr std::string_view kAnnualReportValues[] = {"revenue_fen", "tax_fen", "employees",
                                                    "filed_on", "online"};
constexpr std::string_view kTaxRecordValues[] = {"tax_paid_fen", "sales_fen", "credit_rating"};
constexpr std::string_view kSocialInsuranceValues[] = {"insured_count"};
constexpr std::string_view kHousingFundValues[] = {"payer_count"};
constexpr std::string_view kLoanValues[] = {"lender", "granted_on", "amount_fen", "is_first_loan",
                                            "due_on"};

constexpr internal::VersionedTable kAnnualReports{"annual_reports", "year", kAnnualReportValues};
constexpr internal::VersionedTable kTaxRecords{"tax_records", "year", kTaxRecordValues};
constexpr internal::VersionedTable kSocialInsurance{"social_insurance", "period",
                                                    kSocialInsuranceValues};
constexpr internal::VersionedTable kHousingFund{"housing_fund", "period", kHousingFundValues};
constexpr internal::VersionedTable kLoans{"loans", "contract_no", kLoanValues};

std::optional<std::string_view> RatingCode(std::optional<domain::TaxCreditRating> rating) {
  if (!rating.has_value()) return std::nullopt;
  return domain::TaxCreditRatingCode(*rating);
}

// Column readers for rows laid out as the history statement returns them: household_id,
// the key column, then the value columns from column 2.

std::optional<base::Money> OptionalMoney(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return base::Money::FromFen(row.ColumnInt(column));
}

std::optional<int> OptionalInt(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return static_cast<int>(row.ColumnInt(column));
}

std::optional<bool> OptionalBool(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return row.ColumnInt(column) != 0;
}

base::Result<domain::AnnualReport> ReadAnnualReport(const Statement& row) {
  domain::AnnualReport r{.household_id = row.ColumnInt(0),
                         .year = static_cast<int>(row.ColumnInt(1)),
                         .revenue = OptionalMoney(row, 2),
                         .tax = OptionalMoney(row, 3),
                         .employees = OptionalInt(row, 4),
                         .filed_on = std::nullopt,
                         .online = OptionalBool(row, 6)};
  GETIHU_ASSIGN_OR_RETURN(r.filed_on, row.ColumnOptionalDate(5));
  return r;
}

base::Result<domain::TaxRecord> ReadTaxRecord(const Statement& row) {
  domain::TaxRecord r{.household_id = row.ColumnInt(0),
                      .year = static_cast<int>(row.ColumnInt(1)),
                      .tax_paid = OptionalMoney(row, 2),
                      .sales = OptionalMoney(row, 3),
                      .credit_rating = std::nullopt};
  if (!row.ColumnIsNull(4)) {
    std::string code = row.ColumnText(4);
    r.credit_rating = domain::ParseTaxCreditRatingCode(code);
    if (!r.credit_rating.has_value())
      return base::DataLoss("数据库中的纳税信用等级无法识别：" + code);
  }
  return r;
}

base::Result<domain::SocialInsuranceRecord> ReadSocialInsurance(const Statement& row) {
  return domain::SocialInsuranceRecord{row.ColumnInt(0), row.ColumnText(1),
                                       static_cast<int>(row.ColumnInt(2))};
}

base::Result<domain::HousingFundRecord> ReadHousingFund(const Statement& row) {
  return domain::HousingFundRecord{row.ColumnInt(0), row.ColumnText(1),
                                   static_cast<int>(row.ColumnInt(2))};
}

base::Result<domain::Loan> ReadLoan(const Statement& row) {
  domain::Loan r{.household_id = row.ColumnInt(0),
                 .contract_no = row.ColumnText(1),
                 .lender = row.ColumnText(2),
                 .granted_on = {},
                 .amount = base::Money::FromFen(row.ColumnInt(4)),
                 .is_first_loan = row.ColumnInt(5) != 0,
                 .due_on = std::nullopt};
  GETIHU_ASSIGN_OR_RETURN(r.granted_on, row.ColumnDate(3));
  GETIHU_ASSIGN_OR_RETURN(r.due_on, row.ColumnOptionalDate(6));
  return r;
}

// Reads every row of the history statement `stmt`, already bound; `read` reads the fact.
template <typename Fact, typename ReadFn>
base::Result<std::vector<Superseded<Fact>>> ReadVersions(Statement& stmt, int batch_column,
                                                         ReadFn read) {
  std::vector<Superseded<Fact>> versions;
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    GETIHU_ASSIGN_OR_RETURN(Fact fact, read(stmt));
    versions.push_back(
        {std::move(fact), stmt.ColumnInt(batch_column), stmt.ColumnInt(batch_column + 1)});
  }
  return versions;
}

// Returns the superseded versions of (household_id, key) in `table`, oldest first.
template <typename Fact, typename ReadFn>
base::Result<std::vector<Superseded<Fact>>> History(Database& db,
                                                    const internal::VersionedTable& table,
                                                    int64_t household_id, Value key, ReadFn read) {
  std::string sql = internal::BuildVersionedSql(table, db.dialect()).history;
  GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db.PrepareCached(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{household_id, std::move(key)}));
  auto versions = ReadVersions<Fact>(*stmt, 2 + static_cast<int>(table.values.size()), read);
  base::Status reset = stmt->Reset();  // also after an error: do not hold the read open
  if (versions.ok() && !reset.ok()) return reset;
  return versions;
}

}  // namespace

base::Result<WriteCounts> FactRepository::InsertAnnualReports(
    std::span<const domain::AnnualReport> rows, int64_t batch_id) {
  return internal::WriteEachVersioned(
      db_, kAnnualReports, rows, batch_id, [](const domain::AnnualReport& r) {
        return std::vector<Value>{r.household_id, r.year,     r.revenue, r.tax,
                                  r.employees,    r.filed_on, r.online};
      });
}

base::Result<WriteCounts> FactRepository::InsertTaxRecords(std::span<const domain::TaxRecord> rows,
                                                           int64_t batch_id) {
  return internal::WriteEachVersioned(
      db_, kTaxRecords, rows, batch_id, [](const domain::TaxRecord& r) {
        return std::vector<Value>{r.household_id, r.year, r.tax_paid, r.sales,
                                  RatingCode(r.credit_rating)};
      });
}

base::Result<WriteCounts> FactRepository::InsertSocialInsurance(
    std::span<const domain::SocialInsuranceRecord> rows, int64_t batch_id) {
  return internal::WriteEachVersioned(
      db_, kSocialInsurance, rows, batch_id, [](const domain::SocialInsuranceRecord& r) {
        return std::vector<Value>{r.household_id, r.period, r.insured_count};
      });
}

base::Result<WriteCounts> FactRepository::InsertHousingFund(
    std::span<const domain::HousingFundRecord> rows, int64_t batch_id) {
  return internal::WriteEachVersioned(
      db_, kHousingFund, rows, batch_id, [](const domain::HousingFundRecord& r) {
        return std::vector<Value>{r.household_id, r.period, r.payer_count};
      });
}

base::Result<WriteCounts> FactRepository::InsertLoans(std::span<const domain::Loan> rows,
                                                      int64_t batch_id) {
  return internal::WriteEachVersioned(db_, kLoans, rows, batch_id, [](const domain::Loan& r) {
    return std::vector<Value>{r.household_id, r.contract_no,   r.lender, r.granted_on,
                              r.amount,       r.is_first_loan, r.due_on};
  });
}

base::Result<std::vector<Superseded<domain::AnnualReport>>> FactRepository::AnnualReportHistory(
    int64_t household_id, int year) {
  return History<domain::AnnualReport>(db_, kAnnualReports, household_id, year, ReadAnnualReport);
}

base::Result<std::vector<Superseded<domain::TaxRecord>>> FactRepository::TaxRecordHistory(
    int64_t household_id, int year) {
  return History<domain::TaxRecord>(db_, kTaxRecords, household_id, year, ReadTaxRecord);
}

base::Result<std::vector<Superseded<domain::SocialInsuranceRecord>>>
FactRepository::SocialInsuranceHistory(int64_t household_id, std::string_view period) {
  return History<domain::SocialInsuranceRecord>(db_, kSocialInsurance, household_id, period,
                                                ReadSocialInsurance);
}

base::Result<std::vector<Superseded<domain::HousingFundRecord>>> FactRepository::HousingFundHistory(
    int64_t household_id, std::string_view period) {
  return History<domain::HousingFundRecord>(db_, kHousingFund, household_id, period,
                                            ReadHousingFund);
}

base::Result<std::vector<Superseded<domain::Loan>>> FactRepository::LoanHistory(
    int64_t household_id, std::string_view contract_no) {
  return History<domain::Loan>(db_, kLoans, household_id, contract_no, ReadLoan);
}

}  // namespace getihu::storage
