// The figures of the analysis report (个体工商户发展分析报告, the shape of seed report 000) for
// one region as of a date: the population indicators by area, industry section, sector and
// tier, the yearly flows of the last ten years, the activity and three-year survival rates,
// the progress of the region's targets for the year, the latest two tier runs and the
// transitions between them, and the data sources. report_text.h turns them into sentences,
// report_tables.h into tables, report_html.h into the HTML document. Thread-compatible.
#ifndef GETIHU_ANALYTICS_REPORT_H_
#define GETIHU_ANALYTICS_REPORT_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/indicators.h"
#include "analytics/series.h"
#include "analytics/targets.h"
#include "analytics/vitality.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/batch_repository.h"
#include "storage/database.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {

// Tier outcomes in the stored order (storage::kOutcome…): 未分型, 生存型, 成长型, 发展型.
inline constexpr int kTierOutcomes = 4;
std::string_view TierOutcomeName(int outcome);

// Households of the region in stock on the report date and covered by both of two runs, by
// outcome in each.
struct TierTransitions {
  storage::TierRunRecord previous;
  // matrix[from][to]: outcome in the previous run → outcome in the latest.
  std::array<std::array<int64_t, kTierOutcomes>, kTierOutcomes> matrix{};

  int64_t households() const;
  int64_t unchanged() const;
  // Moves between typed tiers (生存型 < 成长型 < 发展型); moves to or from 未分型 are neither.
  int64_t up() const;
  int64_t down() const;
};

struct ReportModel {
  base::Date as_of;
  std::string region_prefix;  // 2, 4 or 6 digits
  std::string region_name;    // e.g. "巴南区"
  Stats by_area;              // by township (a county) or by county (a prefecture, province)
  // A county's stock by township group, when any of its townships is in one
  // (storage/stats_settings_repository.h), with each township's group.
  std::optional<Stats> by_township_group;
  std::map<std::string, std::string> township_group_of;
  Stats by_section;
  Stats by_sector;
  std::vector<YearFlows> years;         // the ten full years before the as-of year, ascending
  ActivityRate activity;                // of DefaultActivityYear(as_of)
  SurvivalRate survival;                // of DefaultSurvivalCohort(as_of)
  std::vector<TargetProgress> targets;  // the region's targets for the as-of year
  // The tier section; absent when no run on or before the date covers the region.
  std::optional<Stats> by_tier;  // stock at the date by the latest run's tiers
  std::optional<storage::TierRunRecord> latest_run;
  std::optional<TierTransitions> transitions;  // absent with fewer than two runs
  std::vector<storage::Batch> sources;         // the latest committed batch of each feed
};

// Computes the report's figures for `region_prefix` (2, 4 or 6 digits, as `getihu stats`
// normalises a region code) as of `as_of`. InvalidArgument for another prefix; errors of
// the storage otherwise.
base::Result<ReportModel> ComputeReportModel(storage::Database& db, std::string_view region_prefix,
                                             base::Date as_of);
// Where the report gets what it reads from the pool by population row: a tier run's
// outcomes (LoadRunOutcomes) and a year's signs of operating (LoadActivitySigns). An empty
// function reads the pool; the server answers from what it keeps with its populations.
struct ReportSources {
  std::function<base::Result<std::vector<uint8_t>>(int64_t run)> run_outcomes;
  std::function<base::Result<std::vector<uint8_t>>(int year)> activity_signs;
};

// The same from a population already loaded (Population::Load of the prefix and date), which
// the server keeps between requests.
base::Result<ReportModel> ComputeReportModel(storage::Database& db, const Population& population,
                                             const ReportSources& sources = {});

// Makes ready, as images of the pool (pool_image.h), what the reports and statistics of the
// pool as of `as_of` read from it: the image of the population (from a read of the whole
// pool), the signs of operating of DefaultActivityYear(as_of), and the outcomes of the two
// latest tier runs on or before the date. The next report, in any process, then reads the
// images instead of the pool: `getihu import` and `getihu tier run` call this at their end, so
// that the cost of reading a province's pool (about 40 s at ten million households) falls on
// the import rather than on the first report after it. False, having read nothing, without an
// image directory or with a pool too small for images (`load.image.min_households`).
base::Result<bool> PrepareReportImages(storage::Database& db, base::Date as_of,
                                       const Population::LoadOptions& load);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_REPORT_H_
