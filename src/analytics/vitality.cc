#include "analytics/vitality.h"

#include <algorithm>
#include <string>
#include <vector>

#include "storage/profile_query.h"
#include "storage/vitality_query.h"

namespace getihu::analytics {
namespace {

// 29 February plus three years is 28 February (the anniversary falls due that day).
base::Date ThirdAnniversary(base::Date d) {
  base::Result<base::Date> same = base::Date::FromYmd(d.year() + 3, d.month(), d.day());
  return same.ok() ? *same : *base::Date::FromYmd(d.year() + 3, d.month(), 28);
}

bool Contains(const std::vector<int64_t>& sorted, int64_t id) {
  return std::binary_search(sorted.begin(), sorted.end(), id);
}

}  // namespace

int DefaultActivityYear(base::Date as_of) { return as_of.year() - 1; }

int DefaultSurvivalCohort(base::Date as_of) {
  return as_of.month() == 12 && as_of.day() == 31 ? as_of.year() - 3 : as_of.year() - 4;
}

base::Result<ActivityRate> ComputeActivityRate(storage::Database& db,
                                               std::string_view region_prefix, int year,
                                               base::Date as_of) {
  ActivityRate r;
  r.year = year;
  GETIHU_ASSIGN_OR_RETURN(base::Date year_end, base::Date::FromYmd(year, 12, 31));
  r.status_date = std::min(year_end, as_of);
  GETIHU_ASSIGN_OR_RETURN(base::Date deadline, base::Date::FromYmd(year + 1, 6, 30));
  r.provisional = as_of < deadline;
  GETIHU_ASSIGN_OR_RETURN(storage::YearSignals signals,
                          storage::QueryYearSignals(db, region_prefix, year));
  static const std::vector<std::string> kStatus = {"status"};
  GETIHU_RETURN_IF_ERROR(storage::ScanProfiles(
      db, region_prefix, r.status_date,
      [&](const domain::HouseholdProfile& p) {
        if (p.status != "active" && p.status != "suspended") return base::OkStatus();
        ++r.in_existence;
        if (Contains(signals.operating, p.household_id)) {
          ++r.operating;
        } else if (!Contains(signals.with_data, p.household_id)) {
          ++r.no_data;
        }
        return base::OkStatus();
      },
      kStatus));
  if (r.in_existence > 0) {
    r.pct = 100.0 * static_cast<double>(r.operating) / static_cast<double>(r.in_existence);
  }
  return r;
}

base::Result<SurvivalRate> ComputeThreeYearSurvival(storage::Database& db,
                                                    std::string_view region_prefix, int cohort_year,
                                                    base::Date as_of) {
  SurvivalRate r;
  r.cohort_year = cohort_year;
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::CohortMember> cohort,
                          storage::QueryCohort(db, region_prefix, cohort_year));
  for (const storage::CohortMember& m : cohort) {
    ++r.cohort;
    base::Date anniversary = ThirdAnniversary(m.registered_on);
    if (anniversary > as_of) continue;
    ++r.observable;
    if (!m.exited_on.has_value() || *m.exited_on > anniversary) ++r.survived;
  }
  if (r.observable > 0) {
    r.pct = 100.0 * static_cast<double>(r.survived) / static_cast<double>(r.observable);
  }
  return r;
}

}  // namespace getihu::analytics
