#include "server/stats_json.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "domain/industry.h"
#include "domain/region.h"
#include "server/views.h"

namespace getihu::server {
namespace {

Json Rounded(std::optional<double> v, double scale) {
  return v ? Json(std::round(*v * scale) / scale) : Json(nullptr);
}

Json GrowthJson(int64_t now, int64_t base) {
  return Rounded(analytics::GrowthPercent(now, base), 10);
}

// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

// "广东省" for "44"; "全部" for the whole pool.
std::string RegionNameOf(const std::string& prefix) {
  if (prefix.empty()) return "全部";
  std::string code = prefix;
  code.resize(6, '0');
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return r ? r->name : prefix;
}

// Names of region and township codes, each looked up once.
class PlaceNames {
 public:
  const std::string& Of(const std::string& code) {
    auto [it, fresh] = names_.try_emplace(code);
    if (fresh) {
      const domain::Region* r = domain::RegionTable::Builtin().Find(code);
      it->second = code.empty() ? "（未知）" : r ? r->name : code;
    }
    return it->second;
  }

 private:
  std::map<std::string, std::string> names_;
};

std::string SectionName(const std::string& code) {
  const domain::IndustrySection* s = code.empty() ? nullptr : domain::FindSection(code[0]);
  return s ? std::string(s->name) : "（未知）";
}

}  // namespace

Json FiguresJson(const analytics::Figures& f) {
  return {{"stock", f.stock},
          {"suspended", f.suspended},
          {"online", f.online},
          {"stock_previous_year_end", f.stock_year_end},
          {"stock_same_date_last_year", f.stock_last_year},
          {"stock_growth_vs_previous_year_end_pct", GrowthJson(f.stock, f.stock_year_end)},
          {"stock_growth_yoy_pct", GrowthJson(f.stock, f.stock_last_year)},
          {"new_registrations", f.new_registrations},
          {"new_registrations_same_period_last_year", f.new_last_year},
          {"new_registrations_yoy_pct", GrowthJson(f.new_registrations, f.new_last_year)},
          {"exits", f.exits},
          {"exits_same_period_last_year", f.exits_last_year},
          {"exits_yoy_pct", GrowthJson(f.exits, f.exits_last_year)},
          {"net", f.net()},
          {"conversions", f.conversions}};
}

Json StatsJson(const analytics::Stats& stats, std::string_view by_key) {
  Json j = {{"region", stats.region_prefix},
            {"region_name", stats.region_name},
            {"as_of", stats.as_of.ToString()},
            {"period", std::to_string(stats.as_of.year()) + "-01-01/" + stats.as_of.ToString()},
            {"total", FiguresJson(stats.total)}};
  if (stats.by != analytics::Dimension::kNone) {
    j["by"] = by_key;
    j["by_name"] = analytics::DimensionName(stats.by);
    const bool tier = stats.by == analytics::Dimension::kTier;
    if (stats.tier_run) {
      j["tier_run"] = *stats.tier_run;
      auto id = [](std::optional<int64_t> v) { return v ? Json(*v) : Json(nullptr); };
      j["tier_run_previous_year_end"] = id(stats.tier_run_year_end);
      j["tier_run_same_date_last_year"] = id(stats.tier_run_last_year);
      j["comparison_note"] = analytics::TierComparisonNote(stats);
    }
    j["groups"] = Json::array();
    for (const analytics::GroupFigures& g : stats.groups) {
      Json gj = {{"code", g.code},
                 {"name", g.name},
                 {"stock_share_pct", std::round(g.stock_share * 100) / 100}};
      gj.update(FiguresJson(g.figures));
      // Without a run in force on a comparison date there is nothing to compare the tiers with.
      if (tier && !stats.tier_run_year_end) {
        for (const char* k : {"stock_previous_year_end", "stock_growth_vs_previous_year_end_pct"}) {
          gj[k] = nullptr;
        }
      }
      if (tier && !stats.tier_run_last_year) {
        for (const char* k :
             {"stock_same_date_last_year", "stock_growth_yoy_pct",
              "new_registrations_same_period_last_year", "new_registrations_yoy_pct",
              "exits_same_period_last_year", "exits_yoy_pct"}) {
          gj[k] = nullptr;
        }
      }
      j["groups"].push_back(gj);
    }
  }
  return j;
}

Json ActivityJson(const analytics::ActivityRate& a) {
  return {{"year", a.year},
          {"status_date", a.status_date.ToString()},
          {"in_existence", a.in_existence},
          {"operating", a.operating},
          {"no_data", a.no_data},
          {"provisional", a.provisional},
          {"pct", Rounded(a.pct, 10)}};
}

Json SurvivalJson(const analytics::SurvivalRate& s) {
  return {{"cohort_year", s.cohort_year}, {"cohort", s.cohort},       {"observable", s.observable},
          {"survived", s.survived},       {"complete", s.complete()}, {"pct", Rounded(s.pct, 10)}};
}

Json MonthlyJson(const std::vector<analytics::MonthFlows>& months) {
  Json out = Json::array();
  char month[16];
  for (const analytics::MonthFlows& m : months) {
    std::snprintf(month, sizeof month, "%04d-%02d", m.year, m.month);
    out.push_back({{"month", month},
                   {"start", m.start.ToString()},
                   {"end", m.end.ToString()},
                   {"new_registrations", m.new_registrations},
                   {"exits", m.exits},
                   {"net", m.new_registrations - m.exits},
                   {"stock", m.stock}});
  }
  return out;
}

Json EmploymentJson(const analytics::Employment& e) {
  return {{"people", e.people},
          {"operators", e.households},
          {"employees", e.people - e.households},
          {"households_with_employee_data", e.with_data}};
}

Json YearlyJson(const std::vector<analytics::YearFlows>& years) {
  Json out = Json::array();
  for (const analytics::YearFlows& y : years) {
    out.push_back({{"year", y.year},
                   {"new_registrations", y.new_registrations},
                   {"new_registrations_previous_year", y.new_previous},
                   {"new_registrations_yoy_pct", GrowthJson(y.new_registrations, y.new_previous)},
                   {"exits", y.exits},
                   {"exits_previous_year", y.exits_previous},
                   {"exits_yoy_pct", GrowthJson(y.exits, y.exits_previous)},
                   {"net", y.new_registrations - y.exits},
                   {"stock_year_end", y.stock}});
  }
  return out;
}

Json TargetsJson(const std::vector<analytics::TargetProgress>& progress) {
  Json out = Json::array();
  for (const analytics::TargetProgress& p : progress) {
    auto value = [&](std::optional<double> v) {
      return p.indicator->rate ? Rounded(v, 10) : v ? Json(std::llround(*v)) : Json(nullptr);
    };
    out.push_back({{"indicator", p.indicator->key},
                   {"name", p.indicator->name},
                   {"unit", p.indicator->unit},
                   {"year", p.year},
                   {"target", value(p.target)},
                   {"actual", value(p.actual)},
                   {"basis", p.basis},
                   {"achieved_pct", Rounded(p.achieved_pct, 10)},
                   {"met", p.met ? Json(*p.met) : Json(nullptr)},
                   {"status", p.StatusText()},
                   {"remaining", value(p.remaining)}});
  }
  return out;
}

}  // namespace getihu::server

namespace getihu::server {

Json BreakdownJson(const analytics::Breakdown& b, const analytics::Population& population,
                   std::optional<int64_t> tier_run) {
  PlaceNames names;
  auto pct = [](double v) { return std::round(v * 100) / 100; };
  Json cells = Json::array();
  cells.get_ref<Json::array_t&>().reserve(b.cells.size());
  for (const analytics::BreakdownCell& cell : b.cells) {
    const analytics::Figures& f = cell.figures;
    cells.push_back({{"region", cell.region},
                     {"region_name", names.Of(cell.region)},
                     {"township", cell.township},
                     {"township_name", names.Of(cell.township)},
                     {"section", cell.section},
                     {"section_name", SectionName(cell.section)},
                     {"tier", tier_run ? Json(OutcomeKey(cell.tier)) : Json(nullptr)},
                     {"tier_name", tier_run ? Json(OutcomeName(cell.tier)) : Json(nullptr)},
                     {"stock", f.stock},
                     {"suspended", f.suspended},
                     {"online", f.online},
                     {"new_registrations", f.new_registrations},
                     {"exits", f.exits},
                     {"conversions", f.conversions},
                     {"share_of_township_pct", pct(cell.share_of_township)},
                     {"share_of_region_pct", pct(cell.share_of_region)}});
  }
  return {{"region", population.region_prefix()},
          {"region_name", RegionNameOf(population.region_prefix())},
          {"as_of", population.as_of().ToString()},
          {"tier_run", tier_run ? Json(*tier_run) : Json(nullptr)},
          {"stock", b.stock},
          {"cells", std::move(cells)}};
}

std::string BreakdownCsv(const analytics::Breakdown& b, bool tiered) {
  PlaceNames names;
  std::string out = "\xEF\xBB\xBF";  // Excel reads UTF-8 with the mark
  out +=
      "区县代码,区县,乡镇（街道）代码,乡镇（街道）,行业门类,门类名称,分型,登记在册,其中歇业,"
      "网络经营,本年新设,本年注销吊销,本年个转企,占乡镇（街道）比例（%）,占区县比例（%）\r\n";
  char shares[64];
  for (const analytics::BreakdownCell& cell : b.cells) {
    const analytics::Figures& f = cell.figures;
    std::snprintf(shares, sizeof shares, "%.2f,%.2f", cell.share_of_township, cell.share_of_region);
    out += cell.region + "," + CsvField(names.Of(cell.region)) + "," + cell.township + "," +
           CsvField(names.Of(cell.township)) + "," + cell.section + "," +
           CsvField(SectionName(cell.section)) + "," +
           (tiered ? std::string(OutcomeName(cell.tier)) : std::string("（无分型批次）")) + "," +
           std::to_string(f.stock) + "," + std::to_string(f.suspended) + "," +
           std::to_string(f.online) + "," + std::to_string(f.new_registrations) + "," +
           std::to_string(f.exits) + "," + std::to_string(f.conversions) + "," + shares + "\r\n";
  }
  return out;
}

}  // namespace getihu::server
