// The facts behind the activity rate and the three-year survival rate (../shared/domain
// §6.3–6.4), read in bulk for a region: which households showed a sign of operating in a year,
// which have any record for it at all, the registration and first exit dates of a cohort, and
// the employees of each household.
// Read-only; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_VITALITY_QUERY_H_
#define GETIHU_STORAGE_VITALITY_QUERY_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct YearSignals {
  // Households of the region with a sign of operating in the year, ascending: an annual
  // report with revenue > 0, a tax record with sales > 0, or insured employees in a period
  // of the year.
  std::vector<int64_t> operating;
  // Households of the region with any annual report, tax or social-insurance record for the
  // year, ascending (the others have no data to judge by).
  std::vector<int64_t> with_data;
};

// InvalidArgument for a malformed region prefix.
base::Result<YearSignals> QueryYearSignals(Database& db, std::string_view region_prefix, int year);

struct CohortMember {
  int64_t household_id = 0;
  base::Date registered_on;
  std::optional<base::Date> exited_on;  // the first 注销 or 吊销, if any
};

// Households of the region registered in `year`, by id.
base::Result<std::vector<CohortMember>> QueryCohort(Database& db, std::string_view region_prefix,
                                                    int year);

struct HouseholdEmployees {
  int64_t household_id = 0;
  int employees = 0;
};

// The employees (雇员, the profile field `employees` of docs/profile.md) as of `as_of` of the
// region's households that have the data, by household id: insured employees of the year
// before when reported, else 从业人数 − 1 of that year's annual report filed by `as_of`.
// InvalidArgument for a malformed region prefix.
base::Result<std::vector<HouseholdEmployees>> QueryEmployees(Database& db,
                                                             std::string_view region_prefix,
                                                             base::Date as_of);

// The households of the region granted a loan flagged 首贷 from `from` to `to` (both included),
// each counted once; nullopt when the pool holds no loan data at all (no committed batch of
// the loan feed), so that "no feed" is not read as "no first loans".
base::Result<std::optional<int64_t>> CountFirstLoans(Database& db, std::string_view region_prefix,
                                                     base::Date from, base::Date to);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_VITALITY_QUERY_H_
