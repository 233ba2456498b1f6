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

namespace {

// One scan at a date: how many households were registered by then, how many were in stock and
// which had exited (ids ascending).
struct Snapshot {
  int64_t registered = 0;
  int64_t stock = 0;
  YearEnd exits;  // only `exited` is used
};

base::Result<Snapshot> ScanAt(storage::Database& db, std::string_view region_prefix,
                              base::Date date) {
  static const std::vector<std::string> kFields = {"status"};
  Snapshot out;
  GETIHU_RETURN_IF_ERROR(storage::ScanProfiles(
      db, region_prefix, date,
      [&](const domain::HouseholdProfile& p) {
        ++out.registered;
        out.stock += p.status == "active" || p.status == "suspended";
        if (IsExit(p.status)) out.exits.exited.push_back(p.household_id);
        return base::OkStatus();
      },
      kFields));
  return out;
}

}  // namespace

base::Result<std::vector<MonthFlows>> ComputeMonthlyFlows(storage::Database& db,
                                                          std::string_view region_prefix,
                                                          base::Date as_of, int months) {
  if (months < 1 || months > 120) {
    return base::InvalidArgument("月份数应在 1 至 120 之间：" + std::to_string(months));
  }
  // The month `months − 1` before the as-of month, as a count of months since year 0.
  int first = as_of.year() * 12 + (as_of.month() - 1) - (months - 1);
  GETIHU_ASSIGN_OR_RETURN(base::Date first_day, base::Date::FromYmd(first / 12, first % 12 + 1, 1));
  GETIHU_ASSIGN_OR_RETURN(Snapshot before, ScanAt(db, region_prefix, first_day.AddDays(-1)));
  std::vector<MonthFlows> out;
  for (int i = 0; i < months; ++i) {
    MonthFlows f;
    f.year = (first + i) / 12;
    f.month = (first + i) % 12 + 1;
    GETIHU_ASSIGN_OR_RETURN(f.start, base::Date::FromYmd(f.year, f.month, 1));
    f.end = i + 1 == months ? as_of : f.start.AddMonths(1).AddDays(-1);
    GETIHU_ASSIGN_OR_RETURN(Snapshot now, ScanAt(db, region_prefix, f.end));
    f.new_registrations = now.registered - before.registered;
    f.exits = NewExits(before.exits, now.exits);
    f.stock = now.stock;
    out.push_back(f);
    before = std::move(now);
  }
  return out;
}

}  // namespace getihu::analytics
