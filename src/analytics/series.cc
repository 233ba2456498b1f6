#include "analytics/series.h"

#include <algorithm>
#include <string>

#include "base/date.h"
#include "storage/profile_query.h"

namespace getihu::analytics {
namespace {

// What one year-end scan yields: the year's new registrations and the households that had
// exited by then (ids ascending, as the scan delivers them).
struct YearEnd {
  int64_t new_registrations = 0;
  std::vector<int64_t> exited;
};

bool IsExit(const std::string& status) { return status == "deregistered" || status == "revoked"; }

base::Result<YearEnd> ScanYearEnd(storage::Database& db, std::string_view region_prefix, int year) {
  static const std::vector<std::string> kFields = {"status", "registered_before_year"};
  YearEnd out;
  GETIHU_ASSIGN_OR_RETURN(base::Date end, base::Date::FromYmd(year, 12, 31));
  GETIHU_RETURN_IF_ERROR(storage::ScanProfiles(
      db, region_prefix, end,
      [&](const domain::HouseholdProfile& p) {
        out.new_registrations += !p.registered_before_year;
        if (IsExit(p.status)) out.exited.push_back(p.household_id);
        return base::OkStatus();
      },
      kFields));
  return out;
}

// Households exited by `now` that had not exited by `before` (both sorted).
int64_t NewExits(const YearEnd& before, const YearEnd& now) {
  int64_t n = 0;
  for (int64_t id : now.exited) {
    n += !std::binary_search(before.exited.begin(), before.exited.end(), id);
  }
  return n;
}

}  // namespace

base::Result<std::vector<YearFlows>> ComputeYearlyFlows(storage::Database& db,
                                                        std::string_view region_prefix,
                                                        int first_year, int last_year) {
  if (first_year > last_year) {
    return base::InvalidArgument("起始年份晚于结束年份：" + std::to_string(first_year) + " > " +
                                 std::to_string(last_year));
  }
  std::vector<YearEnd> ends;  // ends[i] is the end of first_year − 2 + i
  for (int year = first_year - 2; year <= last_year; ++year) {
    GETIHU_ASSIGN_OR_RETURN(YearEnd e, ScanYearEnd(db, region_prefix, year));
    ends.push_back(std::move(e));
  }
  std::vector<YearFlows> flows;
  for (int year = first_year; year <= last_year; ++year) {
    size_t i = static_cast<size_t>(year - first_year + 2);
    YearFlows f;
    f.year = year;
    f.new_registrations = ends[i].new_registrations;
    f.new_previous = ends[i - 1].new_registrations;
    f.exits = NewExits(ends[i - 1], ends[i]);
    f.exits_previous = NewExits(ends[i - 2], ends[i - 1]);
    flows.push_back(f);
  }
  return flows;
}

}  // namespace getihu::analytics
