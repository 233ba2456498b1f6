// Reads a stored tier run for export (national directory, staff workbook): each result of the
// run joined with the household's registration and the indicators of the year before the
// run's date, in household id order, a page of rows at a time so that memory stays bounded.
// Read-only; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_TIER_EXPORT_QUERY_H_
#define GETIHU_STORAGE_TIER_EXPORT_QUERY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/date.h"
#include "base/status.h"
#include "domain/household.h"
#include "storage/database.h"

namespace getihu::storage {

// One household of a run with what the export shows about it. "The year" below is the year
// before the run's as_of (Y−1 of ../shared/domain §2.8).
struct TierExportRow {
  int64_t household_id = 0;
  std::string uscc;
  std::optional<std::string> legacy_registration_no;
  std::optional<std::string> name;
  std::string operator_name;  // unmasked: mask it before it leaves the program
  domain::OrganisationForm organisation_form = domain::OrganisationForm::kIndividual;
  std::string region_code;
  std::optional<std::string> township_code;
  std::string industry_code;
  base::Date registered_on;
  domain::HouseholdStatus status = domain::HouseholdStatus::kActive;  // current registration
  base::Date status_since;
  // The year's annual report is stored and was filed by as_of (or has no filing date), as
  // the tiering counts it.
  bool annual_report_filed = false;
  // The stored result (tier_repository.h).
  int outcome = 0;  // storage::kOutcome*
  int row_index = -1;
  uint32_t failed_mask = 0;
  uint32_t unknown_mask = 0;
  bool overridden = false;
  // Indicators of the year, as the tiering derives them (docs/profile.md); nullopt when
  // unknown.
  std::optional<int64_t> revenue_fen;  // the annual report's 营业额
  std::optional<int64_t> tax_fen;      // the tax record's 实缴税额, else the annual report's
  // Insured employees (most in any period of the year), else the annual report's 从业人数
  // less the operator.
  std::optional<int> employees;
  bool abnormal = false;  // an abnormal-operation mark open on as_of
};

// Calls `fn` once per result of run `run_id`, in household id order; stops at fn's first
// error and returns it. NotFound (Chinese) when there is no such run; DataLoss for
// unreadable stored values.
base::Status ScanRunForExport(Database& db, int64_t run_id,
                              const std::function<base::Status(const TierExportRow&)>& fn);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_TIER_EXPORT_QUERY_H_
