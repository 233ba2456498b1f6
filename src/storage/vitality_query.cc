#include "storage/vitality_query.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "storage/region_range.h"

namespace getihu::storage {
namespace {

// " JOIN households h …" keeping a fact table x to the region, with its two parameters; none
// when the region holds every household of the pool.
struct RegionJoin {
  std::string sql;
  std::vector<Value> params;
};

base::Result<RegionJoin> JoinRegion(Database& db, std::string_view region_prefix) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  GETIHU_ASSIGN_OR_RETURN(bool every, RegionHoldsEveryHousehold(db, range));
  if (every) return RegionJoin{};
  return RegionJoin{" JOIN households h ON h.id = x.household_id AND h.region_code BETWEEN ? AND ?",
                    {range.low, range.high}};
}

// Runs `sql` (household id, then one integer) with the join's parameters first, calling
// fn(id, value) per row.
template <typename Fn>
base::Status ForEachRow(Database& db, const RegionJoin& join, const std::string& sql,
                        std::vector<Value> params, Fn fn) {
  params.insert(params.begin(), join.params.begin(), join.params.end());
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return base::OkStatus();
    fn(stmt->ColumnInt(0), stmt->ColumnIsNull(1) ? std::optional<int64_t>()
                                                 : std::optional<int64_t>(stmt->ColumnInt(1)));
  }
}

// Sorts ids and drops repeats. ids is made of runs read one table after the other, each
// starting at an offset in `runs`: a run read in key order is already sorted, so the runs are
// sorted where needed and then merged.
void SortUnique(std::vector<int64_t>& ids, const std::vector<size_t>& runs) {
  std::vector<size_t> bounds = runs;
  bounds.push_back(ids.size());
  for (size_t r = 0; r + 1 < bounds.size(); ++r) {
    auto first = ids.begin() + static_cast<ptrdiff_t>(bounds[r]);
    auto last = ids.begin() + static_cast<ptrdiff_t>(bounds[r + 1]);
    if (!std::is_sorted(first, last)) std::sort(first, last);
    if (r > 0) std::inplace_merge(ids.begin(), first, last);
  }
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

}  // namespace

base::Result<YearSignals> QueryYearSignals(Database& db, std::string_view region_prefix, int year) {
  GETIHU_ASSIGN_OR_RETURN(RegionJoin join, JoinRegion(db, region_prefix));
  std::string y = std::to_string(year);
  YearSignals out;
  // One read per table: every record of the year is data; a positive figure is a sign.
  std::vector<size_t> operating_runs, with_data_runs;
  auto start_run = [&] {
    operating_runs.push_back(out.operating.size());
    with_data_runs.push_back(out.with_data.size());
  };
  auto add = [&](int64_t id, std::optional<int64_t> sign) {
    out.with_data.push_back(id);
    if (sign.value_or(0) > 0) out.operating.push_back(id);
  };
  start_run();
  GETIHU_RETURN_IF_ERROR(ForEachRow(
      db, join,
      "SELECT x.household_id, x.revenue_fen FROM annual_reports x" + join.sql + " WHERE x.year = ?",
      {int64_t{year}}, add));
  start_run();
  GETIHU_RETURN_IF_ERROR(ForEachRow(
      db, join,
      "SELECT x.household_id, x.sales_fen FROM tax_records x" + join.sql + " WHERE x.year = ?",
      {int64_t{year}}, add));
  start_run();
  GETIHU_RETURN_IF_ERROR(ForEachRow(db, join,
                                    "SELECT x.household_id, x.insured_count FROM social_insurance"
                                    " x" +
                                        join.sql +
                                        " WHERE (x.period = ? OR substr(x.period, 1, 5) = ?)",
                                    {y, y + "-"}, add));
  SortUnique(out.operating, operating_runs);
  SortUnique(out.with_data, with_data_runs);
  return out;
}

base::Result<std::vector<HouseholdEmployees>> QueryEmployees(Database& db,
                                                             std::string_view region_prefix,
                                                             base::Date as_of) {
  GETIHU_ASSIGN_OR_RETURN(RegionJoin join, JoinRegion(db, region_prefix));
  const int64_t year = as_of.year() - 1;
  const std::string prev = std::to_string(year);
  // 从业人数 − 1 of the year's annual report, then the insured employees where reported.
  std::vector<HouseholdEmployees> reported, insured;
  GETIHU_RETURN_IF_ERROR(
      ForEachRow(db, join,
                 "SELECT x.household_id, x.employees FROM annual_reports x" + join.sql +
                     " WHERE x.year = ? AND (x.filed_on IS NULL OR x.filed_on <= ?)"
                     " AND x.employees IS NOT NULL",
                 {year, as_of}, [&](int64_t id, std::optional<int64_t> n) {
                   reported.push_back({id, std::max<int>(0, static_cast<int>(n.value_or(0)) - 1)});
                 }));
  GETIHU_RETURN_IF_ERROR(
      ForEachRow(db, join,
                 "SELECT x.household_id, MAX(x.insured_count) FROM social_insurance x" + join.sql +
                     " WHERE (x.period = ? OR x.period LIKE ?) GROUP BY x.household_id",
                 {prev, prev + "-%"}, [&](int64_t id, std::optional<int64_t> n) {
                   insured.push_back({id, static_cast<int>(n.value_or(0))});
                 }));
  auto by_id = [](const HouseholdEmployees& a, const HouseholdEmployees& b) {
    return a.household_id < b.household_id;
  };
  std::sort(reported.begin(), reported.end(), by_id);
  std::sort(insured.begin(), insured.end(), by_id);
  std::vector<HouseholdEmployees> out;
  out.reserve(reported.size() + insured.size());
  // Insured employees win over the annual report's figure.
  std::set_union(insured.begin(), insured.end(), reported.begin(), reported.end(),
                 std::back_inserter(out), by_id);
  return out;
}

base::Result<std::vector<CohortMember>> QueryCohort(Database& db, std::string_view region_prefix,
                                                    int year) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  GETIHU_ASSIGN_OR_RETURN(
      auto stmt,
      db.Prepare("SELECT h.id, h.registered_on, min(s.effective_on) FROM households h"
                 " LEFT JOIN household_status_history s ON s.household_id = h.id"
                 " AND s.change_kind IN ('deregistered', 'revoked')"
                 " WHERE h.region_code BETWEEN ? AND ? AND h.registered_on BETWEEN ? AND ?"
                 " GROUP BY h.id, h.registered_on ORDER BY h.id"));
  std::vector<Value> params = {range.low, range.high, std::to_string(year) + "-01-01",
                               std::to_string(year) + "-12-31"};
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  std::vector<CohortMember> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    CohortMember m;
    m.household_id = stmt->ColumnInt(0);
    GETIHU_ASSIGN_OR_RETURN(m.registered_on, stmt->ColumnDate(1));
    GETIHU_ASSIGN_OR_RETURN(m.exited_on, stmt->ColumnOptionalDate(2));
    out.push_back(m);
  }
  return out;
}

base::Result<std::optional<int64_t>> CountFirstLoans(Database& db, std::string_view region_prefix,
                                                     base::Date from, base::Date to) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> batches,
      db.QueryInt("SELECT COUNT(*) FROM batches WHERE feed = 'loan' AND status = 'committed'"));
  if (batches.value_or(0) == 0) return std::optional<int64_t>();
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> n,
      db.QueryInt("SELECT COUNT(DISTINCT l.household_id) FROM loans l"
                  " JOIN households h ON h.id = l.household_id AND h.region_code BETWEEN ? AND ?"
                  " WHERE l.is_first_loan = 1 AND l.granted_on BETWEEN ? AND ?",
                  {range.low, range.high, from.ToString(), to.ToString()}));
  return std::optional<int64_t>(n.value_or(0));
}

}  // namespace getihu::storage
