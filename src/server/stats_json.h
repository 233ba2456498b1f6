// JSON views of the indicators (analytics/indicators.h, analytics/vitality.h), shared by the
// API's /stats and `getihu stats --json`.
#ifndef GETIHU_SERVER_STATS_JSON_H_
#define GETIHU_SERVER_STATS_JSON_H_

#include <string_view>

#include "analytics/indicators.h"
#include "analytics/vitality.h"
#include "server/api_internal.h"

namespace getihu::server {

Json FiguresJson(const analytics::Figures& f);
// The whole answer: region, date, period, totals, and the groups when broken down.
Json StatsJson(const analytics::Stats& stats, std::string_view by_key);
Json ActivityJson(const analytics::ActivityRate& a);
Json SurvivalJson(const analytics::SurvivalRate& s);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_STATS_JSON_H_
