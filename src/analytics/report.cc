#include "analytics/report.h"

#include <algorithm>
#include <map>

#include "storage/population_query.h"
#include "storage/stats_settings_repository.h"

namespace getihu::analytics {
namespace {

constexpr int kYears = 10;

// Tier runs on or before the date whose region contains the report's, newest first.
base::Result<std::vector<storage::TierRunRecord>> RunsCovering(storage::TierRepository& repo,
                                                               std::string_view region_prefix,
                                                               base::Date as_of) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs, repo.ListRuns());
  std::erase_if(runs, [&](const storage::TierRunRecord& r) {
    return r.as_of > as_of || !region_prefix.starts_with(r.region_prefix);
  });
  return runs;
}

// Of the households in stock on the report date, those covered by both runs (outcomes by
// population row, LoadRunOutcomes).
TierTransitions ComputeTransitions(const Population& population, const ReportModel& m,
                                   const storage::TierRunRecord& previous,
                                   const std::vector<uint8_t>& before,
                                   const std::vector<uint8_t>& after) {
  TierTransitions t;
  t.previous = previous;
  for (size_t row = 0; row < population.size(); ++row) {
    if (before[row] != kNotInRun && after[row] != kNotInRun &&
        InStock(population.StatusOn(row, m.as_of))) {
      ++t.matrix[before[row]][after[row]];
    }
  }
  return t;
}

base::Result<std::vector<storage::Batch>> LatestBatchPerFeed(storage::Database& db) {
  storage::BatchRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::Batch> batches, repo.ListBatches(1'000'000));
  std::map<std::string, storage::Batch> latest;  // by feed; the list is newest first
  for (storage::Batch& b : batches) {
    if (b.status == storage::BatchStatus::kCommitted) latest.try_emplace(b.feed, std::move(b));
  }
  std::vector<storage::Batch> out;
  for (auto& [feed, b] : latest) out.push_back(std::move(b));
  // Registration first: the other feeds attach to its households.
  std::stable_partition(out.begin(), out.end(),
                        [](const storage::Batch& b) { return b.feed == "registration"; });
  return out;
}

base::Status CheckReportPrefix(std::string_view region_prefix) {
  size_t n = region_prefix.size();
  if (n != 2 && n != 4 && n != 6) {
    return base::InvalidArgument("报告需要省、市或区县的区划代码前缀（2、4 或 6 位）");
  }
  return base::OkStatus();
}

}  // namespace

std::string_view TierOutcomeName(int outcome) {
  switch (outcome) {
    case storage::kOutcomeSurvival:
      return "生存型";
    case storage::kOutcomeGrowth:
      return "成长型";
    case storage::kOutcomeDevelopment:
      return "发展型";
    default:
      return "未分型";
  }
}

int64_t TierTransitions::households() const {
  int64_t n = 0;
  for (const auto& row : matrix) {
    for (int64_t v : row) n += v;
  }
  return n;
}

int64_t TierTransitions::unchanged() const {
  int64_t n = 0;
  for (int i = 0; i < kTierOutcomes; ++i) n += matrix[i][i];
  return n;
}

int64_t TierTransitions::up() const {
  int64_t n = 0;
  for (int from = 1; from < kTierOutcomes; ++from) {
    for (int to = from + 1; to < kTierOutcomes; ++to) n += matrix[from][to];
  }
  return n;
}

int64_t TierTransitions::down() const {
  int64_t n = 0;
  for (int from = 1; from < kTierOutcomes; ++from) {
    for (int to = 1; to < from; ++to) n += matrix[from][to];
  }
  return n;
}

base::Result<ReportModel> ComputeReportModel(storage::Database& db, std::string_view region_prefix,
                                             base::Date as_of) {
  GETIHU_RETURN_IF_ERROR(CheckReportPrefix(region_prefix));
  // Every figure but the survival rate's from one reading of the pool.
  GETIHU_ASSIGN_OR_RETURN(Population population, Population::Load(db, region_prefix, as_of));
  return ComputeReportModel(db, population);
}

base::Result<ReportModel> ComputeReportModel(storage::Database& db, const Population& population,
                                             const ReportSources& sources) {
  const std::string& region_prefix = population.region_prefix();
  const base::Date as_of = population.as_of();
  GETIHU_RETURN_IF_ERROR(CheckReportPrefix(region_prefix));
  const size_t n = region_prefix.size();
  ReportModel m;
  m.as_of = as_of;
  m.region_prefix = std::string(region_prefix);
  Dimension area = n == 6 ? Dimension::kTownship : Dimension::kRegion;
  storage::TierRepository tiers(db);
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs,
                          RunsCovering(tiers, region_prefix, as_of));
  std::vector<Dimension> dims = {area, Dimension::kSection, Dimension::kSector};
  if (!runs.empty()) dims.push_back(Dimension::kTier);
  if (n == 6) {
    GETIHU_ASSIGN_OR_RETURN(m.township_group_of,
                            storage::StatsSettingsRepository(db).TownshipGroupMap(region_prefix));
    if (!m.township_group_of.empty()) dims.push_back(Dimension::kTownshipGroup);
  }
  // Each run read once: the tier breakdown and the transitions share the latest.
  std::map<int64_t, std::vector<uint8_t>> run_outcomes;
  auto outcomes_of = [&](int64_t run) -> base::Result<const std::vector<uint8_t>*> {
    auto it = run_outcomes.find(run);
    if (it == run_outcomes.end()) {
      GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> o, sources.run_outcomes
                                                          ? sources.run_outcomes(run)
                                                          : LoadRunOutcomes(db, run, population));
      if (o.size() != population.size()) {
        return base::Internal("分型结果与户籍数据的户数不一致");
      }
      it = run_outcomes.emplace(run, std::move(o)).first;
    }
    return &it->second;
  };
  GETIHU_ASSIGN_OR_RETURN(
      StatsInputs inputs,
      LoadStatsInputs(db, population, dims, [&](int64_t run) -> base::Result<std::vector<uint8_t>> {
        GETIHU_ASSIGN_OR_RETURN(const std::vector<uint8_t>* o, outcomes_of(run));
        return TierOutcomesOf(*o);
      }));
  std::vector<Stats> stats;
  for (Dimension d : dims) stats.push_back(ComputeStats(population, d, inputs));
  if (dims.back() == Dimension::kTownshipGroup) {
    m.by_township_group = std::move(stats.back());
    stats.pop_back();
  }
  m.by_area = std::move(stats[0]);
  m.region_name = m.by_area.region_name;
  m.by_section = std::move(stats[1]);
  m.by_sector = std::move(stats[2]);
  if (!runs.empty()) {
    m.latest_run = runs[0];
    m.by_tier = std::move(stats[3]);
  }
  GETIHU_ASSIGN_OR_RETURN(m.years,
                          ComputeYearlyFlows(population, as_of.year() - kYears, as_of.year() - 1));
  const int activity_year = DefaultActivityYear(as_of);
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> signs,
                          sources.activity_signs
                              ? sources.activity_signs(activity_year)
                              : LoadActivitySigns(db, population, activity_year));
  GETIHU_ASSIGN_OR_RETURN(m.activity, ComputeActivityRate(population, activity_year, as_of, signs));
  GETIHU_ASSIGN_OR_RETURN(
      m.survival, ComputeThreeYearSurvival(db, population, DefaultSurvivalCohort(as_of), as_of));
  GETIHU_ASSIGN_OR_RETURN(
      m.targets, ComputeTargetProgress(db, population, m.by_area.total, m.activity, m.survival));
  if (runs.size() >= 2) {
    GETIHU_ASSIGN_OR_RETURN(const std::vector<uint8_t>* before, outcomes_of(runs[1].id));
    GETIHU_ASSIGN_OR_RETURN(const std::vector<uint8_t>* after, outcomes_of(runs[0].id));
    m.transitions = ComputeTransitions(population, m, runs[1], *before, *after);
  }
  GETIHU_ASSIGN_OR_RETURN(m.sources, LatestBatchPerFeed(db));
  return m;
}

base::Result<bool> PrepareReportImages(storage::Database& db, base::Date as_of,
                                       const Population::LoadOptions& load) {
  if (load.image.dir.empty()) return false;
  GETIHU_ASSIGN_OR_RETURN(auto bounds, storage::HouseholdIdBounds(db));
  if (!bounds || bounds->second - bounds->first + 1 < load.image.min_households) return false;
  GETIHU_ASSIGN_OR_RETURN(Population population, Population::Load(db, "", as_of, load));
  if (population.image().dir.empty()) return false;  // no image of this pool could be made
  GETIHU_RETURN_IF_ERROR(LoadActivitySigns(db, population, DefaultActivityYear(as_of)).status());
  // The runs a report of any region reads first: the latest two on or before the date.
  storage::TierRepository tiers(db);
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs, tiers.ListRuns());
  size_t read = 0;
  for (const storage::TierRunRecord& run : runs) {
    if (run.as_of > as_of) continue;
    GETIHU_RETURN_IF_ERROR(LoadRunOutcomes(db, run.id, population).status());
    if (++read == 2) break;
  }
  return true;
}

}  // namespace getihu::analytics
