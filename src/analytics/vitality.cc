#include "analytics/vitality.h"

#include <algorithm>
#include <string>
#include <vector>

#include "analytics/pool_image.h"
#include "base/memory.h"
#include "storage/vitality_query.h"

namespace getihu::analytics {
namespace {

// 29 February plus three years is 28 February (the anniversary falls due that day).
base::Date ThirdAnniversary(base::Date d) {
  base::Result<base::Date> same = base::Date::FromYmd(d.year() + 3, d.month(), d.day());
  return same.ok() ? *same : *base::Date::FromYmd(d.year() + 3, d.month(), 28);
}

}  // namespace

int DefaultActivityYear(base::Date as_of) { return as_of.year() - 1; }

int DefaultSurvivalCohort(base::Date as_of) {
  return as_of.month() == 12 && as_of.day() == 31 ? as_of.year() - 3 : as_of.year() - 4;
}

namespace {

// The rate's year, status date and provisional flag.
base::Result<ActivityRate> ActivityFrame(int year, base::Date as_of) {
  ActivityRate r;
  r.year = year;
  GETIHU_ASSIGN_OR_RETURN(base::Date year_end, base::Date::FromYmd(year, 12, 31));
  r.status_date = std::min(year_end, as_of);
  GETIHU_ASSIGN_OR_RETURN(base::Date deadline, base::Date::FromYmd(year + 1, 6, 30));
  r.provisional = as_of < deadline;
  return r;
}

}  // namespace

base::Result<std::vector<uint8_t>> LoadActivitySigns(storage::Database& db,
                                                     const Population& population, int year) {
  storage::YearSignals signals;
  bool imaged = false;
  if (!population.image().dir.empty()) {
    // Those of the whole pool, from its image (pool_image.h), keyed in the snapshot read.
    std::optional<storage::Transaction> read;
    GETIHU_ASSIGN_OR_RETURN(std::string key, BeginImageSnapshot(db, read));
    if (!key.empty()) {
      GETIHU_ASSIGN_OR_RETURN(signals, ImagedYearSignals(db, population.image(), key, year));
      imaged = true;
    }
  }
  if (!imaged) {
    GETIHU_ASSIGN_OR_RETURN(signals,
                            storage::QueryYearSignals(db, population.region_prefix(), year));
  }
  // Merged with the population's ids (all ascending).
  const std::vector<int64_t>& ids = population.ids();
  const std::vector<uint32_t>& rows = population.rows_by_id();
  std::vector<uint8_t> signs;
  base::ResizeColumn(signs, ids.size());
  auto mark = [&](const std::vector<int64_t>& sorted, uint8_t sign) {
    size_t j = 0;
    for (int64_t id : sorted) {
      while (j < ids.size() && ids[j] < id) ++j;
      if (j < ids.size() && ids[j] == id) signs[rows[j]] |= sign;
    }
  };
  mark(signals.operating, kSignOperating);
  mark(signals.with_data, kSignData);
  return signs;
}

base::Result<ActivityRate> ComputeActivityRate(const Population& population, int year,
                                               base::Date as_of,
                                               const std::vector<uint8_t>& signs) {
  if (signs.size() != population.size()) {
    return base::InvalidArgument("活跃率的经营迹象与户籍数据的户数不一致");
  }
  GETIHU_ASSIGN_OR_RETURN(ActivityRate r, ActivityFrame(year, as_of));
  for (size_t row = 0; row < signs.size(); ++row) {
    if (!InStock(population.StatusOn(row, r.status_date))) continue;
    ++r.in_existence;
    if (signs[row] & kSignOperating) {
      ++r.operating;
    } else if (!(signs[row] & kSignData)) {
      ++r.no_data;
    }
  }
  if (r.in_existence > 0) {
    r.pct = 100.0 * static_cast<double>(r.operating) / static_cast<double>(r.in_existence);
  }
  return r;
}

base::Result<ActivityRate> ComputeActivityRate(storage::Database& db, const Population& population,
                                               int year, base::Date as_of) {
  GETIHU_RETURN_IF_ERROR(ActivityFrame(year, as_of).status());
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> signs, LoadActivitySigns(db, population, year));
  return ComputeActivityRate(population, year, as_of, signs);
}

base::Result<ActivityRate> ComputeActivityRate(storage::Database& db,
                                               std::string_view region_prefix, int year,
                                               base::Date as_of) {
  GETIHU_ASSIGN_OR_RETURN(ActivityRate frame, ActivityFrame(year, as_of));
  GETIHU_ASSIGN_OR_RETURN(Population population,
                          Population::Load(db, region_prefix, frame.status_date));
  return ComputeActivityRate(db, population, year, as_of);
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

base::Result<SurvivalRate> ComputeThreeYearSurvival(storage::Database& db,
                                                    const Population& population, int cohort_year,
                                                    base::Date as_of) {
  GETIHU_ASSIGN_OR_RETURN(base::Date year_end, base::Date::FromYmd(cohort_year, 12, 31));
  if (population.as_of() < as_of || population.as_of() < year_end) {
    return ComputeThreeYearSurvival(db, population.region_prefix(), cohort_year, as_of);
  }
  GETIHU_ASSIGN_OR_RETURN(base::Date year_start, base::Date::FromYmd(cohort_year, 1, 1));
  const int32_t first = year_start.days_since_epoch(), last = year_end.days_since_epoch();
  SurvivalRate r;
  r.cohort_year = cohort_year;
  for (size_t row = 0; row < population.size(); ++row) {
    const base::Date registered = population.registered_on(row);
    if (registered.days_since_epoch() < first || registered.days_since_epoch() > last) continue;
    ++r.cohort;
    const base::Date anniversary = ThirdAnniversary(registered);
    if (anniversary > as_of) continue;
    ++r.observable;
    const std::optional<base::Date> exited = population.FirstExit(row);
    if (!exited.has_value() || *exited > anniversary) ++r.survived;
  }
  if (r.observable > 0) {
    r.pct = 100.0 * static_cast<double>(r.survived) / static_cast<double>(r.observable);
  }
  return r;
}

}  // namespace getihu::analytics
