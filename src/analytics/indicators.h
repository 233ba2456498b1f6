// Population indicators of SPEC C8 with the definitions of ../shared/domain §6.1–6.2: stock
// (登记在册: 存续 including 歇业) at a date, new registrations (新设, by 成立日期) and exits (注销
// + 吊销, by decision date) in the period from 1 January to the date, net change, and growth always
// with its base — against the end of the previous year (比上年末) or the same date a year earlier
// (同比) — broken down by township, region, industry section, sector or tier. Computed from frames
// of the pool as of the dates involved. Thread-compatible.
#ifndef GETIHU_ANALYTICS_INDICATORS_H_
#define GETIHU_ANALYTICS_INDICATORS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/population.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::analytics {

enum class Dimension {
  kNone,
  kRegion,
  kTownship,
  kSection,
  kSector,
  kTier,
  kTownshipGroup,
  kDivision
};
// "region", "township", "section", "sector", "tier", "township_group", "division"; nullopt for
// anything else.
std::optional<Dimension> DimensionFromKey(std::string_view key);
// "区县", "乡镇（街道）", "行业门类", "三次产业", "类型", "乡镇分组", "行业大类".
std::string_view DimensionName(Dimension d);

// Counts for one group (or the whole region).
struct Figures {
  int64_t stock = 0;              // 登记在册 at the date
  int64_t stock_year_end = 0;     // at the end of the previous year
  int64_t stock_last_year = 0;    // at the same date a year earlier
  int64_t suspended = 0;          // 歇业 at the date (part of the stock)
  int64_t online = 0;             // in stock and operating online
  int64_t new_registrations = 0;  // 1 January … date
  int64_t new_last_year = 0;      // the same period a year earlier
  int64_t exits = 0;              // 注销 + 吊销 decided in the period
  int64_t exits_last_year = 0;
  int64_t conversions = 0;  // 个转企 in the period

  int64_t net() const { return new_registrations - exits; }
};

// A growth rate in percent with its base; nullopt when the base is zero.
std::optional<double> GrowthPercent(int64_t now, int64_t base);

struct GroupFigures {
  std::string code;  // township code, section letter, division "01"…"97", sector "1"…, tier
                     // key, group name ("" for unknown, and for townships in no group)
  std::string name;  // Chinese
  Figures figures;
  double stock_share = 0;  // percent of the region's stock
};

struct Stats {
  base::Date as_of;
  std::string region_prefix;
  std::string region_name;
  Figures total;
  Dimension by = Dimension::kNone;
  std::vector<GroupFigures> groups;  // by stock, largest first
  std::optional<int64_t> tier_run;   // the run the tier dimension used
  // For Dimension::kTier, the runs in force on the comparison dates: the groups' stock at the
  // end of the previous year (比上年末) by the first, their stock on the same date a year
  // earlier and last year's flows (同比) by the second. Absent when no run existed then; the
  // groups' comparison figures are 0 and must not be shown as growth.
  std::optional<int64_t> tier_run_year_end;
  std::optional<int64_t> tier_run_last_year;
};

// Computes the indicators of `region_prefix` (0–6 digits) as of `as_of`, broken down `by`.
// For Dimension::kTier the latest tier run whose date is on or before `as_of` gives each
// household's tier (households it does not cover count as 未分型); FailedPrecondition when no
// run exists. The comparison figures of the tier groups use the runs in force on their own
// dates (Stats::tier_run_year_end, tier_run_last_year). For Dimension::kTownshipGroup the
// stored township groups (storage/stats_settings_repository.h) group the households by their
// township; those in no group (or with no township) are "（未分组）".
base::Result<Stats> ComputeStats(storage::Database& db, std::string_view region_prefix,
                                 base::Date as_of, Dimension by);

// For a tier breakdown, which run each figure is grouped by, in Chinese (for the command line,
// the API and the report); "" for other breakdowns.
std::string TierComparisonNote(const Stats& stats);

// ComputeStats for several breakdowns, reading the pool once.
base::Result<std::vector<Stats>> ComputeStatsBy(storage::Database& db,
                                                std::string_view region_prefix, base::Date as_of,
                                                std::span<const Dimension> dimensions);

// What the breakdowns need from the pool beyond the population, read once: each household's
// tier in the runs in force on the compared dates, and the township groups.
struct StatsInputs {
  std::optional<int64_t> tier_run, tier_run_year_end, tier_run_last_year;
  // By population row, the stored outcome (storage::kOutcome…) in each run; empty without it.
  std::vector<uint8_t> tier, tier_year_end, tier_last_year;
  std::map<std::string, std::string> township_group_of;  // township code → group name
};

// The stored outcome (storage::kOutcome…) of each population row in tier run `run`;
// kNotInRun for a household the run did not cover (or with an outcome out of range).
inline constexpr uint8_t kNotInRun = 0xFF;
base::Result<std::vector<uint8_t>> LoadRunOutcomes(storage::Database& db, int64_t run,
                                                   const Population& population);
// The same with kNotInRun read as kOutcomeUntyped, as the tier breakdown counts them.
std::vector<uint8_t> TierOutcomesOf(std::vector<uint8_t> run_outcomes);
base::Result<std::vector<uint8_t>> LoadTierOutcomes(storage::Database& db, int64_t run,
                                                    const Population& population);
// Where LoadStatsInputs gets a run's outcomes for the population: LoadTierOutcomes when empty;
// the server keeps them with its populations (server/population_cache.h).
using TierOutcomesFn = std::function<base::Result<std::vector<uint8_t>>(int64_t run)>;

// Reads what `dimensions` need for the population's region and date (nothing for most).
// FailedPrecondition for Dimension::kTier when no run on or before the date covers the region.
base::Result<StatsInputs> LoadStatsInputs(storage::Database& db, const Population& population,
                                          std::span<const Dimension> dimensions,
                                          const TierOutcomesFn& tier_outcomes = nullptr);

// The indicators of the population (its region, as of its date) broken down `by`, counted in
// memory. REQUIRES: `inputs` was loaded for `by` (LoadStatsInputs) from this population.
Stats ComputeStats(const Population& population, Dimension by, const StatsInputs& inputs);

// LoadStatsInputs for `by`, then ComputeStats: for a caller that also needs the population for
// other figures (the activity rate, the monthly series). Errors as LoadStatsInputs.
base::Result<Stats> ComputeStats(storage::Database& db, const Population& population, Dimension by,
                                 const TierOutcomesFn& tier_outcomes = nullptr);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_INDICATORS_H_
