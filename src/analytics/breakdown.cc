#include "analytics/breakdown.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <tuple>

#include "analytics/figure_lanes.h"

namespace getihu::analytics {
namespace {

constexpr size_t kTiers = 4;

// Calls fn(const T* ids) with a dictionary column's packed ids.
template <typename Fn>
void WithIds(const engine::Column& c, Fn&& fn) {
  switch (c.ints.width()) {
    case 1:
      return fn(static_cast<const uint8_t*>(c.ints.data()));
    case 2:
      return fn(static_cast<const uint16_t*>(c.ints.data()));
    case 4:
      return fn(static_cast<const uint32_t*>(c.ints.data()));
    default:
      return fn(static_cast<const uint64_t*>(c.ints.data()));
  }
}

}  // namespace

Breakdown ComputeBreakdown(const engine::Frame& frame, std::span<const uint8_t> tiers,
                           int threads) {
  const engine::Column* status = frame.Find("status");
  const engine::Column* region = frame.Find("region");
  const engine::Column* township = frame.Find("township");
  const engine::Column* section = frame.Find("section");
  Breakdown out;
  if (!status || !region || !township || !section || frame.size() == 0) return out;

  // Area: a known township, or "unknown township of region r". Dense ids.
  const size_t n_town = township->dictionary.size(), n_region = region->dictionary.size();
  const size_t n_area = n_town + n_region, n_section = section->dictionary.size();
  std::vector<uint8_t> in_stock(status->dictionary.size());
  for (size_t i = 0; i < in_stock.size(); ++i) {
    in_stock[i] = status->dictionary[i] == "active" || status->dictionary[i] == "suspended";
  }
  const size_t cells = n_area * n_section * kTiers;

  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const size_t n = frame.size();
  threads = static_cast<int>(
      std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(1, n / 65536)));
  std::vector<std::vector<int64_t>> counts(static_cast<size_t>(threads));
  auto count_range = [&](size_t t, size_t begin, size_t end) {
    std::vector<int64_t>& c = counts[t];
    c.assign(cells, 0);
    WithIds(*status, [&](const auto* st) {
      WithIds(*township, [&](const auto* tw) {
        WithIds(*section, [&](const auto* se) {
          WithIds(*region, [&](const auto* re) {
            for (size_t i = begin; i < end; ++i) {
              if (!in_stock[static_cast<size_t>(st[i])]) continue;
              size_t town = static_cast<size_t>(tw[i]);
              size_t area = town != 0 ? town : n_town + static_cast<size_t>(re[i]);
              size_t tier = tiers.empty() ? 0 : (tiers[i] & 3);
              ++c[(area * n_section + static_cast<size_t>(se[i])) * kTiers + tier];
            }
          });
        });
      });
    });
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    size_t a = n * static_cast<size_t>(t) / static_cast<size_t>(threads);
    size_t b = n * static_cast<size_t>(t + 1) / static_cast<size_t>(threads);
    if (t + 1 == threads) {
      count_range(static_cast<size_t>(t), a, b);
    } else {
      pool.emplace_back(count_range, static_cast<size_t>(t), a, b);
    }
  }
  for (std::thread& th : pool) th.join();
  std::vector<int64_t>& total = counts[0];
  for (size_t t = 1; t < counts.size(); ++t) {
    for (size_t k = 0; k < cells; ++k) total[k] += counts[t][k];
  }

  // The region of each area: a township's code starts with its county's.
  std::vector<std::string> area_region(n_area), area_township(n_area);
  for (size_t t = 1; t < n_town; ++t) {
    area_township[t] = township->dictionary[t];
    area_region[t] = township->dictionary[t].substr(0, 6);
  }
  for (size_t r = 0; r < n_region; ++r) area_region[n_town + r] = region->dictionary[r];
  std::vector<int64_t> area_total(n_area, 0);
  std::map<std::string, int64_t> region_total;
  for (size_t a = 0; a < n_area; ++a) {
    for (size_t k = a * n_section * kTiers; k < (a + 1) * n_section * kTiers; ++k) {
      area_total[a] += total[k];
    }
    region_total[area_region[a]] += area_total[a];
    out.stock += area_total[a];
  }
  for (size_t a = 0; a < n_area; ++a) {
    if (area_total[a] == 0) continue;
    for (size_t s = 0; s < n_section; ++s) {
      for (size_t tier = 0; tier < kTiers; ++tier) {
        int64_t v = total[(a * n_section + s) * kTiers + tier];
        if (v == 0) continue;
        BreakdownCell cell;
        cell.region = area_region[a];
        cell.township = area_township[a];
        cell.section = section->dictionary[s];
        cell.tier = static_cast<int>(tier);
        cell.households = v;
        cell.figures.stock = v;
        cell.share_of_township =
            100.0 * static_cast<double>(v) / static_cast<double>(area_total[a]);
        cell.share_of_region =
            100.0 * static_cast<double>(v) / static_cast<double>(region_total[cell.region]);
        out.cells.push_back(std::move(cell));
      }
    }
  }
  std::sort(out.cells.begin(), out.cells.end(), [](const auto& x, const auto& y) {
    return std::tie(x.region, x.township, x.section, x.tier) <
           std::tie(y.region, y.township, y.section, y.tier);
  });
  return out;
}

namespace {

// A run's counters: per tier, the figures in FigureBit order.
struct RunCounts {
  uint32_t tier[kTiers][kFigureBits];
};

// Counts runs [first, last) of the population into counts[first …] (figure_lanes.h: one
// addition per household, no branch on its figures or tier).
void CountRuns(const Population& population, std::span<const uint8_t> tiers, size_t first,
               size_t last, RunCounts* counts) {
  const std::vector<uint32_t>& run_begin = population.run_begin();
  const std::vector<uint32_t>& counted_end = population.run_counted_end();
  const uint16_t* bits = population.figure_bits().data();
  for (size_t run = first; run < last; ++run) {
    RunCounts c = {};
    if (tiers.empty()) {
      lanes::CountFigures(bits, run_begin[run], counted_end[run], c.tier[0]);
    } else {
      lanes::CountFiguresBy4(bits, tiers.data(), run_begin[run], counted_end[run], c.tier);
    }
    counts[run] = c;
  }
}

Figures FiguresOf(const uint32_t* c) {
  Figures f;
  f.stock = c[0];
  f.suspended = c[1];
  f.online = c[2];
  f.stock_year_end = c[3];
  f.stock_last_year = c[4];
  f.new_registrations = c[5];
  f.new_last_year = c[6];
  f.exits = c[7];
  f.exits_last_year = c[8];
  f.conversions = c[9];
  return f;
}

bool AnyFigure(const uint32_t* c) {
  for (int k = 0; k < kFigureBits; ++k) {
    if (c[k] != 0) return true;
  }
  return false;
}

}  // namespace

Breakdown ComputeBreakdown(const Population& population, std::span<const uint8_t> tiers,
                           int threads) {
  Breakdown out;
  const size_t n = population.size();
  if (n == 0) return out;
  // The rows come in runs of one area and section (in code order): each thread counts whole
  // runs (their rows that count in any figure), so that a cell is counted by one thread, in
  // registers, and the cells come out sorted.
  const std::vector<uint32_t>& run_begin = population.run_begin();
  const size_t runs = run_begin.size() - 1;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(
      std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(1, n / 65536)));
  std::unique_ptr<RunCounts[]> counts(new RunCounts[runs]);
  std::vector<std::thread> pool;
  size_t first = 0;
  for (int t = 0; t < threads; ++t) {
    // The runs starting in this thread's share of the rows.
    size_t rows_end = n * static_cast<size_t>(t + 1) / static_cast<size_t>(threads);
    size_t last = t + 1 == threads
                      ? runs
                      : static_cast<size_t>(
                            std::lower_bound(run_begin.begin(), run_begin.end() - 1, rows_end) -
                            run_begin.begin());
    last = std::max(last, first);
    if (t + 1 == threads) {
      CountRuns(population, tiers, first, last, counts.get());
    } else {
      pool.emplace_back(CountRuns, std::cref(population), tiers, first, last, counts.get());
    }
    first = last;
  }
  for (std::thread& th : pool) th.join();

  // Stock per area and per region, for the shares.
  std::vector<int64_t> area_stock(population.areas(), 0);
  std::vector<int64_t> region_stock(population.regions().size(), 0);
  for (size_t run = 0; run < runs; ++run) {
    const uint32_t area = population.area(run_begin[run]);
    for (size_t tier = 0; tier < kTiers; ++tier) {
      area_stock[area] += counts[run].tier[tier][0];
      region_stock[population.area_region(area)] += counts[run].tier[tier][0];
      out.stock += counts[run].tier[tier][0];
    }
  }
  auto share = [](int64_t part, int64_t whole) {
    return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
  };
  size_t cells = 0;
  for (size_t run = 0; run < runs; ++run) {
    for (size_t tier = 0; tier < kTiers; ++tier) cells += AnyFigure(counts[run].tier[tier]);
  }
  out.cells.reserve(cells);
  for (size_t run = 0; run < runs; ++run) {
    const size_t row = run_begin[run];
    const uint32_t area = population.area(row), region = population.area_region(area);
    for (size_t tier = 0; tier < kTiers; ++tier) {
      const uint32_t* c = counts[run].tier[tier];
      if (!AnyFigure(c)) continue;
      BreakdownCell cell;
      cell.region = population.regions()[region];
      cell.township = population.townships()[population.area_township(area)];
      cell.section = population.sections()[population.section(row)];
      cell.tier = static_cast<int>(tier);
      cell.figures = FiguresOf(c);
      cell.households = cell.figures.stock;
      cell.share_of_township = share(cell.households, area_stock[area]);
      cell.share_of_region = share(cell.households, region_stock[region]);
      out.cells.push_back(std::move(cell));
    }
  }
  return out;
}

}  // namespace getihu::analytics
