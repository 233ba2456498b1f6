// Benchmark of the indicators (issue #5: the full breakdown region × township × section × tier
// with shares from a warm frame in ≤ 20 ms on 2 cores at 10M households). Reads a pool's
// population once (analytics::Population, the statistics' frame: cold, timed apart), then times
// from that warm frame the full breakdown — every figure of `getihu stats` per cell, with each
// cell's share of its township's and its region's stock — and the `stats --by` breakdowns.
// bench/stats_bench.sh runs it beside the same GROUP BY (bench/lib/breakdown_peer.sql) in
// sqlite3 and psql over the same pool; the cells written to CELLS_OUT let it check the figures.
// Usage: stats_bench DB REGION AS_OF [REPEATS [CELLS_OUT]]   (DB: a file or postgresql://…)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analytics/breakdown.h"
#include "analytics/indicators.h"
#include "analytics/population.h"
#include "base/date.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace {

using namespace getihu;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// CPU time of the calling thread: what a 1-core run costs however busy the machine is.
double ThreadCpuMs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "stats_bench: %s\n", message.c_str());
  std::exit(1);
}

template <typename T>
T Check(base::Result<T> r) {
  if (!r.ok()) Die(r.status().ToString());
  return std::move(*r);
}

// Times fn() `repeats` times after one warm-up run; returns the median in ms.
template <typename Fn>
double TimeMedian(int repeats, Fn fn) {
  fn();
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    auto a = Clock::now();
    fn();
    ms.push_back(Ms(a, Clock::now()));
  }
  return Median(ms);
}

void WriteCells(const analytics::Breakdown& b, const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) Die("cannot write " + path);
  for (const analytics::BreakdownCell& c : b.cells) {
    const analytics::Figures& x = c.figures;
    std::fprintf(f, "%s|%s|%s|%d|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%lld|%.6f|%.6f\n",
                 c.region.c_str(), c.township.c_str(), c.section.c_str(), c.tier,
                 static_cast<long long>(x.stock), static_cast<long long>(x.suspended),
                 static_cast<long long>(x.online), static_cast<long long>(x.stock_year_end),
                 static_cast<long long>(x.stock_last_year),
                 static_cast<long long>(x.new_registrations),
                 static_cast<long long>(x.new_last_year), static_cast<long long>(x.exits),
                 static_cast<long long>(x.exits_last_year), static_cast<long long>(x.conversions),
                 c.share_of_township, c.share_of_region);
  }
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) Die("usage: stats_bench DB REGION AS_OF [REPEATS [CELLS_OUT]]");
  const std::string db_path = argv[1];
  std::string region = argv[2];
  const base::Date as_of = Check(base::Date::Parse(argv[3]));
  const int repeats = argc > 4 ? std::max(1, std::atoi(argv[4])) : 9;
  // A region code as `getihu stats --region` takes it: trailing "00" pairs dropped.
  region.resize(std::min<size_t>(region.size(), 6));
  while (region.size() > 2 && region.ends_with("00")) region.resize(region.size() - 2);

  std::unique_ptr<storage::Database> db = db_path.starts_with("postgres")
                                              ? Check(storage::OpenPostgres(db_path))
                                              : Check(storage::OpenSqlite(db_path));
  // As `getihu stats` reads it: a large SQLite pool in two halves at once (STATS_ONE_READER=1
  // for one connection).
  analytics::Population::LoadOptions load;
  if (!db_path.starts_with("postgres") && std::getenv("STATS_ONE_READER") == nullptr) {
    load.open_reader = [&db_path]() -> base::Result<std::unique_ptr<storage::Database>> {
      return storage::OpenSqlite(db_path);
    };
  }
  auto t0 = Clock::now();
  analytics::Population population = Check(analytics::Population::Load(*db, region, as_of, load));
  auto t1 = Clock::now();
  const analytics::Dimension dims[] = {analytics::Dimension::kTier};
  analytics::StatsInputs inputs = Check(analytics::LoadStatsInputs(*db, population, dims));
  auto t2 = Clock::now();
  const size_t n = population.size();
  std::printf(
      "frame: %zu households registered by %s in region %s, %.1f bytes/household;"
      " read in %.2f s, tiers of run %lld in %.2f s (cold, not counted)\n",
      n, as_of.ToString().c_str(), region.c_str(),
      static_cast<double>(population.bytes()) / static_cast<double>(std::max<size_t>(1, n)),
      Ms(t0, t1) / 1000, static_cast<long long>(*inputs.tier_run), Ms(t1, t2) / 1000);

  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  analytics::Breakdown breakdown;
  double full = TimeMedian(
      repeats, [&] { breakdown = analytics::ComputeBreakdown(population, inputs.tier); });
  double one_core = TimeMedian(
      repeats, [&] { breakdown = analytics::ComputeBreakdown(population, inputs.tier, 1); });
  std::vector<double> cpu;
  for (int i = 0; i < repeats; ++i) {
    double a = ThreadCpuMs();
    breakdown = analytics::ComputeBreakdown(population, inputs.tier, 1);
    cpu.push_back(ThreadCpuMs() - a);
  }
  std::printf(
      "full breakdown region x township x section x tier, every figure with shares: %.2f ms"
      " on %d cores (%.2f ms on 1, %.2f ms of CPU), median of %d; %zu cells, stock %lld\n",
      full, cores, one_core, Median(cpu), repeats, breakdown.cells.size(),
      static_cast<long long>(breakdown.stock));
  std::printf("breakdown_ms=%.3f\n", full);
  for (const char* key : {"township", "section", "tier"}) {
    analytics::Stats s;
    analytics::Dimension d = *analytics::DimensionFromKey(key);
    double ms = TimeMedian(repeats, [&] { s = analytics::ComputeStats(population, d, inputs); });
    std::printf("stats --by %-8s from the warm frame: %.2f ms (1 core), %zu groups\n", key, ms,
                s.groups.size());
  }
  if (argc > 5) WriteCells(breakdown, argv[5]);
  return 0;
}
