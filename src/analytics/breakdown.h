// The full breakdown of a population by region × township × industry section × tier, with each
// cell's share of the stock of its township and of its region — the table of `getihu stats
// --breakdown` and the API's /stats/breakdown (CSV for Excel): from a frame, the households in
// stock (存续 incl. 歇业); from a Population, every figure of indicators.h. Counted in one pass on
// all cores into dense per-thread arrays. The inputs are read only; thread-compatible.
#ifndef GETIHU_ANALYTICS_BREAKDOWN_H_
#define GETIHU_ANALYTICS_BREAKDOWN_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analytics/indicators.h"
#include "analytics/population.h"
#include "engine/frame.h"

namespace getihu::analytics {

struct BreakdownCell {
  std::string region;      // 6-digit county code
  std::string township;    // 9-digit code, "" when unknown
  std::string section;     // industry section letter, "" when unknown
  int tier = 0;            // the code given in `tiers` (e.g. storage's 0 untyped … 3 development)
  int64_t households = 0;  // in stock
  Figures figures;         // every figure, from a Population (from a frame only the stock)
  double share_of_township = 0;  // percent of the township's stock (of the region's stock for "")
  double share_of_region = 0;    // percent of the region's stock
};

struct Breakdown {
  // Cells with any household counted (with any figure not zero, from a Population), by region,
  // township, section, tier.
  std::vector<BreakdownCell> cells;
  int64_t stock = 0;
};

// Counts the frame's households in stock. `tiers` gives each row's tier code (0–3); empty
// means every household counts as tier 0. The frame must hold status, region, township and
// section. `threads` 0: every core.
Breakdown ComputeBreakdown(const engine::Frame& frame, std::span<const uint8_t> tiers,
                           int threads = 0);

// Counts every figure of the population as of its date (Population::figure_bits()), each
// household in the cell of its tier in `tiers` (by population row, the stored outcome 0–3, e.g.
// StatsInputs::tier; empty: all 0). `threads` 0: every core.
Breakdown ComputeBreakdown(const Population& population, std::span<const uint8_t> tiers,
                           int threads = 0);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_BREAKDOWN_H_
