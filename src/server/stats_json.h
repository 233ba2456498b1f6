// JSON views of the indicators (analytics/indicators.h, vitality.h, targets.h), shared by the
// API's /stats and `getihu stats --json`.
#ifndef GETIHU_SERVER_STATS_JSON_H_
#define GETIHU_SERVER_STATS_JSON_H_

#include <string_view>
#include <vector>

#include "analytics/indicators.h"
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
// The progress of each target (analytics/targets.h); an empty array when none is set.
Json TargetsJson(const std::vector<analytics::TargetProgress>& progress);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_STATS_JSON_H_
