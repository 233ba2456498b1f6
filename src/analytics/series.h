// Yearly flows of the population for the trend section of the report: new registrations (新设,
// by 成立日期) and exits (注销 + 吊销, by decision date) per calendar year, with the figures of
// the year before for 同比 — the definitions of docs/statistics.md, read from the pool's
// profiles at each year end. Thread-compatible.
#ifndef GETIHU_ANALYTICS_SERIES_H_
#define GETIHU_ANALYTICS_SERIES_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::analytics {

struct YearFlows {
  int year = 0;
  int64_t new_registrations = 0;
  int64_t new_previous = 0;  // the year before
  int64_t exits = 0;
  int64_t exits_previous = 0;
};

// The flows of each full calendar year first_year … last_year (ascending) of the households
// whose region code starts with `region_prefix` (0–6 digits). Reads the profiles at the end of
// each year from first_year − 2 on. InvalidArgument when first_year > last_year.
base::Result<std::vector<YearFlows>> ComputeYearlyFlows(storage::Database& db,
                                                        std::string_view region_prefix,
                                                        int first_year, int last_year);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_SERIES_H_
