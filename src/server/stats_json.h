// JSON views of the indicators (analytics/indicators.h, vitality.h, targets.h, breakdown.h),
// shared by the API's /stats and `getihu stats --json`.
#ifndef GETIHU_SERVER_STATS_JSON_H_
#define GETIHU_SERVER_STATS_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/breakdown.h"
#include "analytics/indicators.h"
#include "analytics/population.h"
#include "analytics/series.h"
#include "analytics/targets.h"
#include "analytics/vitality.h"
#include "server/api_internal.h"

namespace getihu::server {

Json FiguresJson(const analytics::Figures& f);
// The whole answer: region, date, period, totals, and the groups when broken down.
Json StatsJson(const analytics::Stats& stats, std::string_view by_key);
Json ActivityJson(const analytics::ActivityRate& a);
Json SurvivalJson(const analytics::SurvivalRate& s);
// The monthly series (analytics/series.h): one object per month.
Json MonthlyJson(const std::vector<analytics::MonthFlows>& months);
// Employment (吸纳就业) of the households in stock: people, and the operators and employees
// they are made of.
Json EmploymentJson(const analytics::Employment& e);
// The yearly series: one object per full year, with 同比 against the year before.
Json YearlyJson(const std::vector<analytics::YearFlows>& years);
// The progress of each target (analytics/targets.h); an empty array when none is set.
Json TargetsJson(const std::vector<analytics::TargetProgress>& progress);

// The full breakdown (analytics/breakdown.h) of `population`, its tiers from run `tier_run`
// (none: every cell's tier unknown): each cell's codes and names, the figures of the date and
// the shares. As JSON for the API, and as CSV with Chinese headings and a byte-order mark for
// Excel (`getihu stats --breakdown`, the API's format=csv).
Json BreakdownJson(const analytics::Breakdown& b, const analytics::Population& population,
                   std::optional<int64_t> tier_run);
std::string BreakdownCsv(const analytics::Breakdown& b, bool tiered);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_STATS_JSON_H_
