// Dated facts of the data pool (annual reports, tax, social insurance, housing fund, loans).
// Each family is keyed by (household, period), loans by (household, contract_no); a fact for
// a new period adds a row, so a 2024 annual report never overwrites 2023.
//
// A fact whose key is already stored is compared with the stored row, every value column
// null-safely:
//   - stored from an earlier batch (smaller id) with any value different: the correction
//     supersedes it. The stored row is copied, with its batch_id, to the family's history
//     table (`<table>_superseded`, superseded_by_batch_id = the new batch), then takes the
//     new values and batch_id. Counted in WriteCounts::updated.
//   - all values equal, or stored by this batch or a later one: left as it is, keeping its
//     batch. Counted in WriteCounts::ignored. So re-importing a file changes nothing.
// The *History functions return the superseded versions. A household_id not in the pool is
// refused with InvalidArgument (foreign key), a value outside the schema's checks too.
//
// Bulk calls are atomic: they run in the open Transaction (call them inside one for an
// import), or in their own when none is open. Statements are prepared once per Database and
// run per row. Operates on a Database& that must outlive it; thread-compatible like the
// Database.
#ifndef GETIHU_STORAGE_FACT_REPOSITORY_H_
#define GETIHU_STORAGE_FACT_REPOSITORY_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/household.h"
#include "storage/database.h"
#include "storage/write_counts.h"

namespace getihu::storage {

// One superseded version of a fact: its values as they were stored, the batch that
// delivered them and the batch whose different values replaced them. Value type.
template <typename Fact>
struct Superseded {
  Fact fact;
  int64_t batch_id = 0;
  int64_t superseded_by_batch_id = 0;
};

class FactRepository {
 public:
  explicit FactRepository(Database& db) : db_(db) {}

  // Inserts, supersedes or ignores each row as the file comment says; returns the counts.
  // Stops at the first error; the open transaction decides what survives (nothing, when the
  // call opened its own). Key: (household, year).
  base::Result<WriteCounts> InsertAnnualReports(std::span<const domain::AnnualReport> rows,
                                                int64_t batch_id);
  // As InsertAnnualReports. Key: (household, year).
  base::Result<WriteCounts> InsertTaxRecords(std::span<const domain::TaxRecord> rows,
                                             int64_t batch_id);
  // As InsertAnnualReports. Key: (household, period "YYYY" or "YYYY-MM").
  base::Result<WriteCounts> InsertSocialInsurance(
      std::span<const domain::SocialInsuranceRecord> rows, int64_t batch_id);
  // As InsertAnnualReports. Key: (household, period "YYYY" or "YYYY-MM").
  base::Result<WriteCounts> InsertHousingFund(std::span<const domain::HousingFundRecord> rows,
                                              int64_t batch_id);
  // As InsertAnnualReports. Key: (household, contract_no).
  base::Result<WriteCounts> InsertLoans(std::span<const domain::Loan> rows, int64_t batch_id);

  // Return the superseded versions of one key, oldest first (ascending
  // superseded_by_batch_id); empty when the key was never corrected or is not stored. The
  // current version is the live row. DataLoss when a stored value cannot be read back.
  base::Result<std::vector<Superseded<domain::AnnualReport>>> AnnualReportHistory(
      int64_t household_id, int year);
  base::Result<std::vector<Superseded<domain::TaxRecord>>> TaxRecordHistory(int64_t household_id,
                                                                            int year);
  base::Result<std::vector<Superseded<domain::SocialInsuranceRecord>>> SocialInsuranceHistory(
      int64_t household_id, std::string_view period);
  base::Result<std::vector<Superseded<domain::HousingFundRecord>>> HousingFundHistory(
      int64_t household_id, std::string_view period);
  base::Result<std::vector<Superseded<domain::Loan>>> LoanHistory(int64_t household_id,
                                                                  std::string_view contract_no);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_FACT_REPOSITORY_H_
