// The activity rate (活跃度) and the three-year survival rate (三年存活率) with the DEFAULT
// definitions of ../shared/domain §6.3–6.4, which docs/statistics.md and every report's
// 指标说明 print:
// - Activity of year Y: of the households in existence (存续, 歇业 included) at the end of Y,
//   the share that showed a sign of operating in Y — an annual report with revenue > 0, a tax
//   record with sales > 0, or insured employees in a period of Y. Households with no record
//   of Y at all are counted apart ("no data"). Before 30 June of Y+1 (the annual-report
//   deadline) the figure is provisional.
// - Three-year survival of cohort Y0: of the households registered in Y0, the share not
//   deregistered or revoked on the third anniversary of their registration (个转企 counts as
//   surviving: the business goes on as an enterprise); only members whose anniversary has
//   passed by the as-of date are observable.
// Thread-compatible.
#ifndef GETIHU_ANALYTICS_VITALITY_H_
#define GETIHU_ANALYTICS_VITALITY_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "analytics/population.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::analytics {

struct ActivityRate {
  int year = 0;
  base::Date status_date;     // the end of the year, or the as-of date when earlier
  int64_t in_existence = 0;   // 存续 (incl. 歇业) on status_date
  int64_t operating = 0;      // of them, with a sign of operating in the year
  int64_t no_data = 0;        // of them, with no record of the year at all
  bool provisional = false;   // computed before 30 June of the next year
  std::optional<double> pct;  // operating / in_existence × 100; nullopt when none exist
};

// The activity rate of `year` for `region_prefix` (0–6 digits) as known on `as_of`.
base::Result<ActivityRate> ComputeActivityRate(storage::Database& db,
                                               std::string_view region_prefix, int year,
                                               base::Date as_of);
// The same with the households in existence counted from a loaded population of the region
// (e.g. the one a report has read); reads only the year's signs of operating from the pool.
// REQUIRES: the population's date is on or after the rate's status date.
base::Result<ActivityRate> ComputeActivityRate(storage::Database& db, const Population& population,
                                               int year, base::Date as_of);

// The signs of `year` of each population row, as bits: kSignOperating (an annual report with
// revenue > 0, tax with sales > 0 or insured employees in the year), kSignData (any record of
// the year). Read from the pool; the server keeps them with its populations.
inline constexpr uint8_t kSignOperating = 1;
inline constexpr uint8_t kSignData = 2;
base::Result<std::vector<uint8_t>> LoadActivitySigns(storage::Database& db,
                                                     const Population& population, int year);
// The activity rate from signs LoadActivitySigns read for this population and `year`.
// InvalidArgument when `signs` does not have one entry per row.
base::Result<ActivityRate> ComputeActivityRate(const Population& population, int year,
                                               base::Date as_of, const std::vector<uint8_t>& signs);

struct SurvivalRate {
  int cohort_year = 0;
  int64_t cohort = 0;         // registered in the cohort year
  int64_t observable = 0;     // third anniversary on or before the as-of date
  int64_t survived = 0;       // of the observable, not exited by their anniversary
  std::optional<double> pct;  // survived / observable × 100; nullopt when none observable
  bool complete() const { return observable == cohort; }
};

base::Result<SurvivalRate> ComputeThreeYearSurvival(storage::Database& db,
                                                    std::string_view region_prefix, int cohort_year,
                                                    base::Date as_of);
// The same counted from a loaded population of the region (e.g. the one a report has read) when
// it covers the cohort — its date on or after `as_of` and the cohort's year end, so that every
// member and every exit by an observable anniversary is in it; read from the pool otherwise.
// An exit is a change to 注销 or 吊销, as in the pool's status history.
base::Result<SurvivalRate> ComputeThreeYearSurvival(storage::Database& db,
                                                    const Population& population, int cohort_year,
                                                    base::Date as_of);

// The defaults for an as-of date: the activity of the previous year, and the latest cohort
// whose third anniversaries have all passed (as_of's year − 4, or − 3 on 31 December).
int DefaultActivityYear(base::Date as_of);
int DefaultSurvivalCohort(base::Date as_of);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_VITALITY_H_
