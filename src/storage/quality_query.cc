#include "storage/quality_query.h"

#include <algorithm>
#include <map>
#include <memory>

#include "storage/region_range.h"

namespace getihu::storage {
namespace {

// Where each feed's periods come from: table and the SQL expression of the period.
struct PeriodSource {
  std::string_view feed, table, period;
};
constexpr PeriodSource kSources[] = {
    {"annual_report", "annual_reports", "CAST(f.year AS TEXT)"},
    {"tax", "tax_records", "CAST(f.year AS TEXT)"},
    {"social_insurance", "social_insurance", "f.period"},
    {"housing_fund", "housing_fund", "f.period"},
    {"loan", "loans", "substr(f.granted_on, 1, 4)"},
    {"intellectual_property", "intellectual_property", "substr(f.granted_on, 1, 4)"},
    {"penalty", "penalties", "substr(f.decided_on, 1, 4)"},
    {"abnormal", "abnormal_marks", "substr(f.marked_on, 1, 4)"},
    {"dishonest_debtor", "dishonest_debtors", "substr(f.listed_on, 1, 4)"},
    {"safety_accident", "safety_accidents", "substr(f.occurred_on, 1, 4)"},
    {"honour", "honours", "substr(f.granted_on, 1, 4)"},
};

constexpr std::string_view kPopulation =
    "SELECT COUNT(*) FROM households WHERE region_code BETWEEN ? AND ? AND registered_on <= ?"
    " AND (status IN ('active', 'suspended') OR status_since >= ?)";

base::Status AddPeriods(Database& db, const PeriodSource& src,
                        const std::pair<std::string, std::string>& range,
                        std::map<std::string, int64_t>& population_by_year, DataQuality& out) {
  std::string sql =
      "SELECT " + std::string(src.period) +
      " AS p, COUNT(*), COUNT(DISTINCT f.household_id) FROM " + std::string(src.table) +
      " f JOIN households h ON h.id = f.household_id WHERE h.region_code BETWEEN ? AND ?"
      " GROUP BY p ORDER BY p";
  GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db.PrepareCached(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{range.first, range.second}));
  std::vector<FeedPeriodQuality> rows;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    FeedPeriodQuality q;
    q.feed = std::string(src.feed);
    q.period = stmt->ColumnText(0);
    q.rows = stmt->ColumnInt(1);
    q.households = stmt->ColumnInt(2);
    rows.push_back(std::move(q));
  }
  GETIHU_RETURN_IF_ERROR(stmt->Reset());
  for (FeedPeriodQuality& q : rows) {
    std::string year = q.period.substr(0, 4);
    auto it = population_by_year.find(year);
    if (it == population_by_year.end()) {
      GETIHU_ASSIGN_OR_RETURN(Statement * pop, db.PrepareCached(kPopulation));
      std::vector<Value> params = {range.first, range.second, year + "-12-31", year + "-01-01"};
      GETIHU_RETURN_IF_ERROR(pop->BindAll(params));
      GETIHU_ASSIGN_OR_RETURN(bool row, pop->Step());
      int64_t n = row ? pop->ColumnInt(0) : 0;
      GETIHU_RETURN_IF_ERROR(pop->Reset());
      it = population_by_year.emplace(year, n).first;
    }
    q.population = it->second;
    out.periods.push_back(std::move(q));
  }
  return base::OkStatus();
}

base::Status AddLoads(Database& db, DataQuality& out) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> loads,
      db.Prepare("SELECT feed, COUNT(*), SUM(rows_loaded), SUM(rows_rejected) FROM batches"
                 " WHERE status = 'committed' GROUP BY feed ORDER BY feed"));
  std::map<std::string, FeedLoadQuality> by_feed;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, loads->Step());
    if (!row) break;
    FeedLoadQuality q;
    q.feed = loads->ColumnText(0);
    q.batches = loads->ColumnInt(1);
    q.loaded = loads->ColumnInt(2);
    q.rejected = loads->ColumnInt(3);
    by_feed[q.feed] = q;
  }
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> reasons,
      db.Prepare("SELECT b.feed, COALESCE(r.reason_code, 'other'), COUNT(*) FROM rejects r"
                 " JOIN batches b ON b.id = r.batch_id WHERE b.status = 'committed'"
                 " GROUP BY b.feed, COALESCE(r.reason_code, 'other')"));
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, reasons->Step());
    if (!row) break;
    FeedLoadQuality& q = by_feed[reasons->ColumnText(0)];
    std::string code = reasons->ColumnText(1);
    int64_t n = reasons->ColumnInt(2);
    if (code == "unknown_household") q.unmatched += n;
    q.rejected_by_reason.push_back({code, n});
  }
  for (auto& [feed, q] : by_feed) {
    std::stable_sort(q.rejected_by_reason.begin(), q.rejected_by_reason.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out.feeds.push_back(std::move(q));
  }
  return base::OkStatus();
}

}  // namespace

base::Result<DataQuality> QueryDataQuality(Database& db, std::string_view region_prefix) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange r, RegionRangeOf(region_prefix));
  std::pair<std::string, std::string> range{r.low, r.high};
  DataQuality out;
  std::map<std::string, int64_t> population_by_year;
  for (const PeriodSource& src : kSources) {
    GETIHU_RETURN_IF_ERROR(AddPeriods(db, src, range, population_by_year, out));
  }
  GETIHU_RETURN_IF_ERROR(AddLoads(db, out));
  return out;
}

}  // namespace getihu::storage
