// Dated facts of the data pool (annual reports, tax, social insurance, housing fund, loans).
// Each family is keyed by (household, period); a fact for a new period adds a row, so a
// 2024 annual report never overwrites 2023. A fact whose key is already stored is IGNORED
// (counted in WriteCounts::ignored), never replaced: the first batch to report a period
// keeps it, and re-importing a file adds nothing. Corrections need their own path.
// A household_id not in the pool is refused with InvalidArgument (foreign key).
// Bulk calls prepare once and run per row; call them inside a Transaction. Operates on a
// Database& that must outlive it; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_FACT_REPOSITORY_H_
#define GETIHU_STORAGE_FACT_REPOSITORY_H_

#include <cstdint>
#include <span>

#include "base/status.h"
#include "domain/household.h"
#include "storage/database.h"
#include "storage/write_counts.h"

namespace getihu::storage {

class FactRepository {
 public:
  explicit FactRepository(Database& db) : db_(db) {}

  // Key: (household, year).
  base::Result<WriteCounts> InsertAnnualReports(std::span<const domain::AnnualReport> rows,
                                                int64_t batch_id);
  // Key: (household, year).
  base::Result<WriteCounts> InsertTaxRecords(std::span<const domain::TaxRecord> rows,
                                             int64_t batch_id);
  // Key: (household, period "YYYY" or "YYYY-MM").
  base::Result<WriteCounts> InsertSocialInsurance(
      std::span<const domain::SocialInsuranceRecord> rows, int64_t batch_id);
  // Key: (household, period "YYYY" or "YYYY-MM").
  base::Result<WriteCounts> InsertHousingFund(std::span<const domain::HousingFundRecord> rows,
                                              int64_t batch_id);
  // Key: (household, contract_no).
  base::Result<WriteCounts> InsertLoans(std::span<const domain::Loan> rows, int64_t batch_id);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_FACT_REPOSITORY_H_
