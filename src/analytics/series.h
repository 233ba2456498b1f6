// Yearly and monthly flows of the population: new registrations (新设, by 成立日期) and exits
// (注销 + 吊销, by decision date) per calendar year with the figures of the year before for 同比
// (the report's trend section), and per month with the stock at each month end (the console's
// trend chart) — the definitions of docs/statistics.md, read from the pool's profiles at each
// period end. Thread-compatible.
#ifndef GETIHU_ANALYTICS_SERIES_H_
#define GETIHU_ANALYTICS_SERIES_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "analytics/population.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::analytics {

struct YearFlows {
  int year = 0;
  int64_t new_registrations = 0;
  int64_t new_previous = 0;  // the year before
  int64_t exits = 0;
  int64_t exits_previous = 0;
  int64_t stock = 0;  // 登记在册 (存续 incl. 歇业) on 31 December
};

// The flows of each full calendar year first_year … last_year (ascending) of the households
// whose region code starts with `region_prefix` (0–6 digits), from their statuses at the end of
// each year from first_year − 2 on (one reading of the pool). InvalidArgument when
// first_year > last_year.
base::Result<std::vector<YearFlows>> ComputeYearlyFlows(storage::Database& db,
                                                        std::string_view region_prefix,
                                                        int first_year, int last_year);

struct MonthFlows {
  int year = 0;
  int month = 0;                  // 1–12
  base::Date start;               // the 1st of the month
  base::Date end;                 // the last day of the month; the as-of date for the last month
  int64_t new_registrations = 0;  // registered from start to end
  int64_t exits = 0;              // exited (注销, 吊销) from start to end
  int64_t stock = 0;              // 登记在册 (存续 incl. 歇业) on `end`
};

// The `months` (1–120) calendar months ending with the month of `as_of` (ascending; the last
// one runs to `as_of`) for the households whose region code starts with `region_prefix`.
// Reads the pool once. InvalidArgument for `months` out of range.
base::Result<std::vector<MonthFlows>> ComputeMonthlyFlows(storage::Database& db,
                                                          std::string_view region_prefix,
                                                          base::Date as_of, int months = 12);

// The same two series counted from a loaded population (its region; the monthly one as of its
// date), without reading the pool. ComputeYearlyFlows REQUIRES: the population's date is on or
// after 31 December of `last_year`.
base::Result<std::vector<YearFlows>> ComputeYearlyFlows(const Population& population,
                                                        int first_year, int last_year);
base::Result<std::vector<MonthFlows>> ComputeMonthlyFlows(const Population& population,
                                                          int months = 12);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_SERIES_H_
