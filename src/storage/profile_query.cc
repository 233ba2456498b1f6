#include "storage/profile_query.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "domain/household.h"
#include "domain/industry.h"
#include "storage/region_range.h"
#include "storage/status_order.h"

namespace getihu::storage {
namespace {

using domain::HouseholdProfile;

// One ordered side query: rows sorted by household id (column 0), read alongside the
// households scan.
class SideCursor {
 public:
  // `apply` reads the current row into the profile.
  using Apply = std::function<base::Status(const Statement&, HouseholdProfile&)>;

  static base::Result<SideCursor> Open(Database& db, const std::string& sql,
                                       std::vector<Value> params, Apply apply) {
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt, db.Prepare(sql));
    GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
    SideCursor c(std::move(stmt), std::move(apply));
    GETIHU_RETURN_IF_ERROR(c.Advance());
    return c;
  }

  // Applies every row of household `id` to `p` (skipping rows of households before it).
  base::Status Feed(int64_t id, HouseholdProfile& p) {
    while (has_row_ && current_ < id) GETIHU_RETURN_IF_ERROR(Advance());
    while (has_row_ && current_ == id) {
      GETIHU_RETURN_IF_ERROR(apply_(*stmt_, p));
      GETIHU_RETURN_IF_ERROR(Advance());
    }
    return base::OkStatus();
  }

 private:
  SideCursor(std::unique_ptr<Statement> stmt, Apply apply)
      : stmt_(std::move(stmt)), apply_(std::move(apply)) {}

  base::Status Advance() {
    GETIHU_ASSIGN_OR_RETURN(has_row_, stmt_->Step());
    if (has_row_) current_ = stmt_->ColumnInt(0);
    return base::OkStatus();
  }

  std::unique_ptr<Statement> stmt_;
  Apply apply_;
  bool has_row_ = false;
  int64_t current_ = 0;
};

// The status on the as-of date from a household's changes, fed in date order: the last of the
// last day by then in lifecycle order. The date is compared here rather than in SQL, which
// would read it twice.
class LatestStatus {
 public:
  explicit LatestStatus(std::string as_of) : as_of_(std::move(as_of)) {}

  void Apply(const Statement& s, HouseholdProfile& p) {
    std::string_view on = s.ColumnTextView(1);
    if (on > as_of_) return;
    int64_t household = s.ColumnInt(0);
    int order = LifecycleOrder(s.ColumnTextView(2));
    if (household != household_ || on > on_ || (on == on_ && order >= order_)) {
      household_ = household;
      on_.assign(on);  // keeps its buffer: no allocation per row
      order_ = order;
      p.status.assign(s.ColumnTextView(3));
    }
  }

 private:
  const std::string as_of_;  // ISO text, which orders as the dates do
  int64_t household_ = std::numeric_limits<int64_t>::min();
  std::string on_;
  int order_ = 0;
};

// Whether any of `names` is asked for (every field when `fields` is empty).
bool Wants(std::span<const std::string> fields, std::initializer_list<std::string_view> names) {
  if (fields.empty()) return true;
  for (std::string_view n : names) {
    if (std::find(fields.begin(), fields.end(), n) != fields.end()) return true;
  }
  return false;
}

// "FROM <table> f JOIN households h ... WHERE h.region_code BETWEEN ? AND ?" + condition.
// With `one` set the scan is limited to that household (an integer, written into the text).

// With `all_regions` the households join (and its two parameters) is left out.
std::string Side(std::string_view select, std::string_view table, std::string_view where,
                 std::optional<int64_t> one, bool all_regions, std::string_view order = "") {
  std::string w(where);
  std::string group;
  if (auto g = w.find(" GROUP BY "); g != std::string::npos) {
    group = w.substr(g);
    w = w.substr(0, g);
  }
  return "SELECT f.household_id, " + std::string(select) + " FROM " + std::string(table) +
         (all_regions ? " f WHERE 1 = 1"
                      : " f JOIN households h ON h.id = f.household_id"
                        " WHERE h.region_code BETWEEN ? AND ?") +
         (w.empty() ? "" : " AND " + w) +
         (one ? " AND f.household_id = " + std::to_string(*one) : "") + group +
         " ORDER BY f.household_id" + std::string(order);
}

base::Result<std::vector<SideCursor>> OpenSides(Database& db, const std::string& low,
                                                const std::string& high, base::Date as_of,
                                                std::optional<int64_t> one,
                                                std::span<const std::string> fields) {
  bool all_regions = low == "000000" && high == "999999";
  auto Side = [&](std::string_view select, std::string_view table, std::string_view where,
                  std::string_view order = "") {
    return storage::Side(select, table, where, one, all_regions, order);
  };
  auto want = [&](std::initializer_list<std::string_view> names) { return Wants(fields, names); };
  std::string asof = as_of.ToString(), year_ago = as_of.AddMonths(-12).ToString();
  std::string prev = std::to_string(as_of.year() - 1);
  std::vector<SideCursor> sides;
  auto add = [&](const std::string& sql, std::vector<Value> extra,
                 SideCursor::Apply apply) -> base::Status {
    std::vector<Value> params;
    if (!all_regions) params = {low, high};
    params.insert(params.end(), extra.begin(), extra.end());
    GETIHU_ASSIGN_OR_RETURN(SideCursor c, SideCursor::Open(db, sql, params, std::move(apply)));
    sides.push_back(std::move(c));
    return base::OkStatus();
  };
  // Status on the as-of date: the last change effective by then (rows in date order).
  // In key order, with no sort: LatestStatus applies a day's changes in lifecycle order.
  // Rows of a 变更 are left out: see ChangesStatus (status_order.h).
  if (want({"status"}))
    GETIHU_RETURN_IF_ERROR(add(
        Side("f.effective_on, f.change_kind, f.status", "household_status_history",
             "f.change_kind <> 'changed'", ", f.effective_on"),
        {},
        [latest = std::make_shared<LatestStatus>(asof)](const Statement& s, HouseholdProfile& p) {
          latest->Apply(s, p);
          return base::OkStatus();
        }));
  if (want({"annual_report_filed", "revenue_prev", "tax_paid_prev", "employees"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("f.revenue_fen, f.tax_fen, f.employees", "annual_reports",
                 "f.year = ? AND (f.filed_on IS NULL OR f.filed_on <= ?)"),
            {as_of.year() - 1, asof}, [](const Statement& s, HouseholdProfile& p) {
              p.annual_report_filed = true;
              if (!s.ColumnIsNull(1)) p.revenue_prev = base::Money::FromFen(s.ColumnInt(1));
              if (!s.ColumnIsNull(2) && !p.tax_paid_prev) {
                p.tax_paid_prev = base::Money::FromFen(s.ColumnInt(2));
              }
              if (!s.ColumnIsNull(3) && !p.employees) {
                p.employees = std::max<int>(0, static_cast<int>(s.ColumnInt(3)) - 1);
              }
              return base::OkStatus();
            }));
  if (want({"tax_paid_prev"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("f.tax_paid_fen", "tax_records", "f.year = ? AND f.tax_paid_fen IS NOT NULL"),
            {as_of.year() - 1}, [](const Statement& s, HouseholdProfile& p) {
              p.tax_paid_prev = base::Money::FromFen(s.ColumnInt(1));
              return base::OkStatus();
            }));
  if (want({"insured_employees", "employees"}))
    GETIHU_RETURN_IF_ERROR(add(Side("MAX(f.insured_count)", "social_insurance",
                                    "(f.period = ? OR f.period LIKE ?) GROUP BY f.household_id"),
                               {prev, prev + "-%"}, [](const Statement& s, HouseholdProfile& p) {
                                 p.insured_employees = static_cast<int>(s.ColumnInt(1));
                                 p.employees = p.insured_employees;
                                 return base::OkStatus();
                               }));
  if (want({"housing_fund_payers"}))
    GETIHU_RETURN_IF_ERROR(add(Side("MAX(f.payer_count)", "housing_fund",
                                    "(f.period = ? OR f.period LIKE ?) GROUP BY f.household_id"),
                               {prev, prev + "-%"}, [](const Statement& s, HouseholdProfile& p) {
                                 p.housing_fund_payers = static_cast<int>(s.ColumnInt(1));
                                 return base::OkStatus();
                               }));
  if (want({"trademarks", "patents"}))
    GETIHU_RETURN_IF_ERROR(add(Side("f.kind", "intellectual_property", "f.granted_on <= ?"), {asof},
                               [](const Statement& s, HouseholdProfile& p) {
                                 ++(s.ColumnTextView(1) == "trademark" ? p.trademarks : p.patents);
                                 return base::OkStatus();
                               }));
  if (want({"honours"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("f.kind", "honours",
                 "f.granted_on <= ? AND (f.expires_on IS NULL OR f.expires_on >= ?)"),
            {asof, asof}, [](const Statement& s, HouseholdProfile& p) {
              auto kind = domain::ParseHonourKindCode(s.ColumnTextView(1));
              if (kind) p.honours |= 1u << static_cast<unsigned>(*kind);
              return base::OkStatus();
            }));
  if (want({"abnormal_now", "credit_clean"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("1", "abnormal_marks",
                 "f.marked_on <= ? AND (f.recovered_on IS NULL OR f.recovered_on > ?)"),
            {asof, asof}, [](const Statement&, HouseholdProfile& p) {
              p.abnormal_now = true;
              return base::OkStatus();
            }));
  if (want({"unrepaired_penalty_12m", "credit_clean"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("1", "penalties",
                 "f.kind NOT IN ('warning', 'circulated_criticism') AND f.decided_on > ?"
                 " AND f.decided_on <= ? AND (f.repaired_on IS NULL OR f.repaired_on > ?)"),
            {year_ago, asof, asof}, [](const Statement&, HouseholdProfile& p) {
              p.unrepaired_penalty_12m = true;
              return base::OkStatus();
            }));
  if (want({"dishonest_debtor", "credit_clean"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("1", "dishonest_debtors",
                 "f.listed_on <= ? AND (f.removed_on IS NULL OR f.removed_on > ?)"),
            {asof, asof}, [](const Statement&, HouseholdProfile& p) {
              p.dishonest_debtor = true;
              return base::OkStatus();
            }));
  if (want({"safety_accident_12m"}))
    GETIHU_RETURN_IF_ERROR(
        add(Side("1", "safety_accidents", "f.occurred_on > ? AND f.occurred_on <= ?"),
            {year_ago, asof}, [](const Statement&, HouseholdProfile& p) {
              p.safety_accident_12m = true;
              return base::OkStatus();
            }));
  if (want({"first_loan"}))
    GETIHU_RETURN_IF_ERROR(add(Side("1", "loans", "f.is_first_loan = 1 AND f.granted_on <= ?"),
                               {asof}, [](const Statement&, HouseholdProfile& p) {
                                 p.first_loan = true;
                                 return base::OkStatus();
                               }));
  if (want({"veteran", "graduation_year", "employment_difficulty", "poverty_alleviated",
            "returning_migrant", "disabled"}))
    GETIHU_RETURN_IF_ERROR(add(Side("f.attribute, f.value", "owner_attributes", ""), {},
                               [](const Statement& s, HouseholdProfile& p) {
                                 std::string_view a = s.ColumnTextView(1);
                                 int64_t v = s.ColumnInt(2);
                                 if (a == "graduation_year")
                                   p.graduation_year = static_cast<int>(v);
                                 else if (a == "veteran")
                                   p.veteran = v != 0;
                                 else if (a == "employment_difficulty")
                                   p.employment_difficulty = v != 0;
                                 else if (a == "poverty_alleviated")
                                   p.poverty_alleviated = v != 0;
                                 else if (a == "returning_migrant")
                                   p.returning_migrant = v != 0;
                                 else if (a == "disabled")
                                   p.disabled = v != 0;
                                 return base::OkStatus();
                               }));
  return sides;
}

}  // namespace

namespace {

// The households columns a scan reads: the key and registration date always, the others when
// a wanted field comes from them (-1: not read).
struct MainColumns {
  std::string select = "id, registered_on";
  int uscc = -1, region = -1, township = -1, industry = -1, online = -1;

  explicit MainColumns(std::span<const std::string> fields) {
    int next = 2;
    auto add = [&](int& column, std::string_view name, std::initializer_list<std::string_view> f) {
      if (!Wants(fields, f)) return;
      column = next++;
      select += ", " + std::string(name);
    };
    if (fields.empty()) add(uscc, "uscc", {});
    add(region, "region_code", {"region"});
    add(township, "township_code", {"township"});
    add(industry, "industry_code", {"industry", "section", "sector"});
    add(online, "online", {"online"});
  }
};

// Reads the current households row into `p` (whose other fields are blank). Returns false,
// reading nothing more, for a household registered after `as_of`.
base::Result<bool> ReadMain(const Statement& row, const MainColumns& c, base::Date as_of,
                            base::Date year_start, HouseholdProfile& p) {
  GETIHU_ASSIGN_OR_RETURN(base::Date registered, row.ColumnDate(1));
  if (registered > as_of) return false;
  p.household_id = row.ColumnInt(0);
  p.months_in_business = base::Date::MonthsBetween(registered, as_of);
  p.years_in_business = p.months_in_business / 12;
  p.registered_before_year = registered < year_start;
  // assign() keeps the profile's buffers (the caller reuses one profile for every household).
  if (c.uscc >= 0) p.uscc.assign(row.ColumnTextView(c.uscc));
  if (c.region >= 0) p.region.assign(row.ColumnTextView(c.region));
  if (c.township >= 0) p.township.assign(row.ColumnTextView(c.township));
  if (c.online >= 0) p.online = row.ColumnInt(c.online) != 0;
  if (c.industry >= 0) {
    p.industry.assign(row.ColumnTextView(c.industry));
    if (auto info = domain::AnalyzeIndustry(p.industry); info.ok()) {
      p.section.assign(1, info->section->letter);
      p.sector = static_cast<int>(info->sector);
    }
  }
  return true;
}

base::Status Scan(Database& db, std::string_view region_prefix, std::optional<int64_t> one,
                  base::Date as_of, const std::function<base::Status(const HouseholdProfile&)>& fn,
                  std::span<const std::string> fields) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  bool all_regions = range.low == "000000" && range.high == "999999";
  GETIHU_ASSIGN_OR_RETURN(std::vector<SideCursor> sides,
                          OpenSides(db, range.low, range.high, as_of, one, fields));
  const MainColumns columns(fields);
  // The registration date is compared in ReadMain, which reads it anyway.
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> main,
      db.Prepare("SELECT " + columns.select + " FROM households WHERE " +
                 std::string(all_regions ? "1 = 1" : "region_code BETWEEN ? AND ?") +
                 (one ? " AND id = " + std::to_string(*one) : std::string()) + " ORDER BY id"));
  if (!all_regions) {
    GETIHU_RETURN_IF_ERROR(main->BindAll(std::vector<Value>{range.low, range.high}));
  }
  base::Date year_start = *base::Date::FromYmd(as_of.year(), 1, 1);
  // One profile, blanked for each household: its strings keep their buffers.
  const HouseholdProfile blank;
  HouseholdProfile p;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, main->Step());
    if (!row) break;
    p = blank;
    GETIHU_ASSIGN_OR_RETURN(bool registered, ReadMain(*main, columns, as_of, year_start, p));
    if (!registered) continue;
    for (SideCursor& side : sides) GETIHU_RETURN_IF_ERROR(side.Feed(p.household_id, p));
    GETIHU_RETURN_IF_ERROR(fn(p));
  }
  return base::OkStatus();
}

}  // namespace

base::Status ScanProfiles(Database& db, std::string_view region_prefix, base::Date as_of,
                          const std::function<base::Status(const HouseholdProfile&)>& fn,
                          std::span<const std::string> fields) {
  return Scan(db, region_prefix, std::nullopt, as_of, fn, fields);
}

base::Result<std::optional<HouseholdProfile>> LoadProfile(Database& db, int64_t household_id,
                                                          base::Date as_of) {
  std::optional<HouseholdProfile> out;
  GETIHU_RETURN_IF_ERROR(Scan(db, "", household_id, as_of,
                              [&](const HouseholdProfile& p) {
                                out = p;
                                return base::OkStatus();
                              },
                              {}));
  return out;
}

}  // namespace getihu::storage
