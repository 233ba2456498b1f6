#include "server/stats_json.h"

#include <cmath>
#include <string>

namespace getihu::server {
namespace {

Json Rounded(std::optional<double> v, double scale) {
  return v ? Json(std::round(*v * scale) / scale) : Json(nullptr);
}

Json GrowthJson(int64_t now, int64_t base) {
  return Rounded(analytics::GrowthPercent(now, base), 10);
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
    if (stats.tier_run) j["tier_run"] = *stats.tier_run;
    j["groups"] = Json::array();
    for (const analytics::GroupFigures& g : stats.groups) {
      Json gj = {{"code", g.code},
                 {"name", g.name},
                 {"stock_share_pct", std::round(g.stock_share * 100) / 100}};
      gj.update(FiguresJson(g.figures));
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

}  // namespace getihu::server
