#include "storage/vitality_query.h"

#include <algorithm>
#include <string>

#include "storage/region_range.h"

namespace getihu::storage {
namespace {

base::Result<std::vector<int64_t>> Ids(Database& db, const std::string& sql,
                                       std::span<const Value> params) {
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  std::vector<int64_t> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out.push_back(stmt->ColumnInt(0));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

base::Result<YearSignals> QueryYearSignals(Database& db, std::string_view region_prefix, int year) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  std::string y = std::to_string(year);
  // Each arm joins the region's households so that only they are read.
  const std::string in_region =
      " JOIN households h ON h.id = x.household_id AND h.region_code BETWEEN ? AND ?";
  std::string operating =
      "SELECT x.household_id FROM annual_reports x" + in_region +
      " WHERE x.year = ? AND x.revenue_fen > 0"
      " UNION SELECT x.household_id FROM tax_records x" +
      in_region +
      " WHERE x.year = ? AND x.sales_fen > 0"
      " UNION SELECT x.household_id FROM social_insurance x" +
      in_region + " WHERE (x.period = ? OR substr(x.period, 1, 5) = ?) AND x.insured_count > 0";
  std::string with_data = "SELECT x.household_id FROM annual_reports x" + in_region +
                          " WHERE x.year = ?"
                          " UNION SELECT x.household_id FROM tax_records x" +
                          in_region +
                          " WHERE x.year = ?"
                          " UNION SELECT x.household_id FROM social_insurance x" +
                          in_region + " WHERE (x.period = ? OR substr(x.period, 1, 5) = ?)";
  std::vector<Value> params = {range.low,     range.high, int64_t{year}, range.low, range.high,
                               int64_t{year}, range.low,  range.high,    y,         y + "-"};
  YearSignals out;
  GETIHU_ASSIGN_OR_RETURN(out.operating, Ids(db, operating, params));
  GETIHU_ASSIGN_OR_RETURN(out.with_data, Ids(db, with_data, params));
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
