// Statistics routes: the indicators of a region in the caller's scope as of a date, with an
// optional breakdown, target progress and monthly series; the full breakdown county × township
// × section × tier; the targets themselves; and the development analysis report as HTML, Word
// or Excel.
#include <atomic>
#include <cmath>
#include <filesystem>
#include <span>
#include <string>

#include "analytics/breakdown.h"
#include "analytics/indicators.h"
#include "analytics/series.h"
#include "analytics/targets.h"
#include "analytics/vitality.h"
#include "server/api_internal.h"
#include "server/report_files.h"
#include "server/stats_json.h"
#include "storage/stats_settings_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"

namespace getihu::server {
namespace {

namespace fs = std::filesystem;

std::atomic<uint64_t> report_seq{0};

base::Result<base::Date> AsOf(const Call& c) {
  std::string text = c.req.Query("as_of");
  if (text.empty()) return c.ctx.options.clock->Today();
  base::Result<base::Date> d = base::Date::Parse(text);
  if (!d.ok()) return base::InvalidArgument("as_of 应为 YYYY-MM-DD 日期");
  return *d;
}

void Stats(Call& c) {
  base::Result<std::string> region = ScopedRegion(c.who, c.req.Query("region"));
  if (!region.ok()) return ReplyError(c.res, region.status());
  base::Result<base::Date> as_of = AsOf(c);
  if (!as_of.ok()) return ReplyError(c.res, as_of.status());
  analytics::Dimension by = analytics::Dimension::kNone;
  std::string by_key = c.req.Query("by");
  if (!by_key.empty()) {
    std::optional<analytics::Dimension> d = analytics::DimensionFromKey(by_key);
    if (!d) {
      return ReplyError(
          c.res, 400, "invalid_argument",
          "by 只能是 region、township、township_group、section、division、sector 或 tier");
    }
    by = *d;
  }
  std::string series = c.req.Query("series");
  if (!series.empty() && series != "monthly" && series != "yearly") {
    return ReplyError(c.res, 400, "invalid_argument", "series 只能是 monthly 或 yearly");
  }
  // One reading of the pool for the indicators, the activity rate and the monthly series,
  // kept for the next request of the same region and date.
  base::Result<PopulationCache::Shared> loaded = c.ctx.populations.Get(c.db, *region, *as_of);
  if (!loaded.ok()) return ReplyError(c.res, loaded.status());
  const analytics::Population* population = loaded->get();
  base::Result<analytics::Stats> stats = analytics::ComputeStats(
      c.db, *population, by,
      [&](int64_t run) { return c.ctx.populations.TierOutcomes(c.db, *loaded, run); });
  if (!stats.ok()) return ReplyError(c.res, stats.status());
  Json j = StatsJson(*stats, by_key);
  if (by == analytics::Dimension::kNone) {
    const int activity_year = analytics::DefaultActivityYear(*as_of);
    base::Result<std::vector<uint8_t>> signs =
        c.ctx.populations.ActivitySigns(c.db, *loaded, activity_year);
    if (!signs.ok()) return ReplyError(c.res, signs.status());
    base::Result<analytics::ActivityRate> activity =
        analytics::ComputeActivityRate(*population, activity_year, *as_of, *signs);
    if (!activity.ok()) return ReplyError(c.res, activity.status());
    base::Result<analytics::SurvivalRate> survival = analytics::ComputeThreeYearSurvival(
        c.db, *population, analytics::DefaultSurvivalCohort(*as_of), *as_of);
    if (!survival.ok()) return ReplyError(c.res, survival.status());
    j["activity"] = ActivityJson(*activity);
    j["three_year_survival"] = SurvivalJson(*survival);
    base::Result<analytics::Employment> employment =
        analytics::ComputeEmployment(c.db, *population);
    if (!employment.ok()) return ReplyError(c.res, employment.status());
    j["employment"] = EmploymentJson(*employment);
    base::Result<std::vector<analytics::TargetProgress>> targets = analytics::ComputeTargetProgress(
        c.db, *population, stats->total, *activity, *survival, &*employment);
    if (!targets.ok()) return ReplyError(c.res, targets.status());
    j["targets"] = TargetsJson(*targets);
  }
  if (series == "monthly") {
    base::Result<std::vector<analytics::MonthFlows>> months =
        analytics::ComputeMonthlyFlows(*population);
    if (!months.ok()) return ReplyError(c.res, months.status());
    j["monthly"] = MonthlyJson(*months);
  }
  if (series == "yearly") {
    // The ten full years before the as-of year, as the report's trend section.
    base::Result<std::vector<analytics::YearFlows>> years =
        analytics::ComputeYearlyFlows(*population, as_of->year() - 10, as_of->year() - 1);
    if (!years.ok()) return ReplyError(c.res, years.status());
    j["yearly"] = YearlyJson(*years);
  }
  ReplyJson(c.res, j);
}

// The full breakdown of the region: county × township × industry section × tier, each cell's
// figures of the date with its share of its township's and its county's stock — counted from
// the population the server keeps (milliseconds at a province's ten million households).
// JSON for the console, CSV (Chinese headings, a byte-order mark for Excel) for download.
void Breakdown(Call& c) {
  base::Result<std::string> region = ScopedRegion(c.who, c.req.Query("region"));
  if (!region.ok()) return ReplyError(c.res, region.status());
  base::Result<base::Date> as_of = AsOf(c);
  if (!as_of.ok()) return ReplyError(c.res, as_of.status());
  std::string format = c.req.Query("format");
  if (format.empty()) format = "json";
  if (format != "json" && format != "csv") {
    return ReplyError(c.res, 400, "invalid_argument", "format 只能是 json 或 csv");
  }
  base::Result<PopulationCache::Shared> loaded = c.ctx.populations.Get(c.db, *region, *as_of);
  if (!loaded.ok()) return ReplyError(c.res, loaded.status());
  const analytics::Population& population = **loaded;
  // Tiers of the latest run on or before the date that covers the region; without one every
  // cell's tier is unknown (null).
  const analytics::Dimension dims[] = {analytics::Dimension::kTier};
  base::Result<analytics::StatsInputs> inputs = analytics::LoadStatsInputs(
      c.db, population, dims,
      [&](int64_t run) { return c.ctx.populations.TierOutcomes(c.db, *loaded, run); });
  const bool tiered = inputs.ok();
  if (!tiered && inputs.status().code() != base::StatusCode::kFailedPrecondition) {
    return ReplyError(c.res, inputs.status());
  }
  const analytics::Breakdown b = analytics::ComputeBreakdown(
      population, tiered ? std::span<const uint8_t>(inputs->tier) : std::span<const uint8_t>());
  if (format == "csv") {
    c.res.content_type = "text/csv; charset=utf-8";
    c.res.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''breakdown-" + *region +
                                               "-" + as_of->ToString() + ".csv");
    c.res.body = BreakdownCsv(b, tiered);
    return;
  }
  ReplyJson(c.res, BreakdownJson(b, population, tiered ? inputs->tier_run : std::nullopt));
}

// The region of a target: a province, city or county inside the caller's scope.
base::Result<std::string> TargetRegion(const Principal& who, std::string_view requested) {
  GETIHU_ASSIGN_OR_RETURN(std::string region, ScopedRegion(who, requested));
  if (region.size() < 2) return base::InvalidArgument("请指定省、市或区县的区划代码 region");
  std::string padded = region;
  padded.resize(6, '0');
  GETIHU_ASSIGN_OR_RETURN(std::string prefix, ReportRegionPrefix(padded));
  if (!prefix.starts_with(who.region_prefix)) {
    return base::PermissionDenied("区划 " + region + " 不在您的管辖区域内");
  }
  return prefix;
}

Json TargetJson(const storage::StatsTarget& t) {
  const analytics::TargetIndicator* ind = analytics::FindTargetIndicator(t.indicator);
  return {{"region", t.region_prefix},    {"year", t.year},
          {"indicator", t.indicator},     {"name", ind ? ind->name : t.indicator},
          {"unit", ind ? ind->unit : ""}, {"value", t.value},
          {"updated_by", t.updated_by},   {"updated_at", t.updated_at}};
}

void ListTargets(Call& c) {
  base::Result<std::string> region = TargetRegion(c.who, c.req.Query("region"));
  if (!region.ok()) return ReplyError(c.res, region.status());
  int year = 0;
  if (std::string y = c.req.Query("year"); !y.empty()) {
    if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos) {
      return ReplyError(c.res, 400, "invalid_argument", "year 应为四位年份");
    }
    year = std::stoi(y);
  }
  base::Result<std::vector<storage::StatsTarget>> list =
      storage::StatsSettingsRepository(c.db).ListTargets(*region, year);
  if (!list.ok()) return ReplyError(c.res, list.status());
  Json items = Json::array();
  for (const storage::StatsTarget& t : *list) items.push_back(TargetJson(t));
  Json indicators = Json::array();
  for (const analytics::TargetIndicator& i : analytics::TargetIndicators()) {
    indicators.push_back({{"indicator", i.key}, {"name", i.name}, {"unit", i.unit}});
  }
  ReplyJson(c.res, {{"region", *region}, {"items", items}, {"indicators", indicators}});
}

// PUT {"region", "year", "indicator", "value"}: sets a target; "value": null removes it.
void PutTarget(Call& c) {
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  base::Result<std::string> requested = StringField(*body, "region", true);
  if (!requested.ok()) return ReplyError(c.res, requested.status());
  base::Result<std::string> region = TargetRegion(c.who, *requested);
  if (!region.ok()) return ReplyError(c.res, region.status());
  auto year = body->find("year");
  if (year == body->end() || !year->is_number_integer() || year->get<int64_t>() < 1900 ||
      year->get<int64_t>() > 2999) {
    return ReplyError(c.res, 400, "invalid_argument", "year 应为 1900 至 2999 的年份");
  }
  base::Result<std::string> key = StringField(*body, "indicator", true);
  if (!key.ok()) return ReplyError(c.res, key.status());
  const analytics::TargetIndicator* ind = analytics::FindTargetIndicator(*key);
  if (ind == nullptr) {
    return ReplyError(c.res, 400, "invalid_argument", "indicator 不是可设定目标的指标：" + *key);
  }
  auto value = body->find("value");
  if (value == body->end() || !(value->is_null() || value->is_number())) {
    return ReplyError(c.res, 400, "invalid_argument", "value 应为数值（删除目标时为 null）");
  }
  storage::StatsTarget t{
      *region,        static_cast<int>(year->get<int64_t>()), std::string(ind->key), 0,
      c.who.username, storage::CstTimestamp(c.ctx.Now())};
  std::string target_key =
      "target:" + t.region_prefix + "/" + std::to_string(t.year) + "/" + t.indicator;
  storage::StatsSettingsRepository repo(c.db);
  if (value->is_null()) {
    auto remove = [&]() -> base::Status {
      GETIHU_ASSIGN_OR_RETURN(bool gone, repo.DeleteTarget(t.region_prefix, t.year, t.indicator));
      if (!gone) return base::NotFound("没有该目标");
      return Audit(c, "stats.target.delete", target_key, Json::object());
    };
    if (auto s = storage::RunInTransaction(c.db, remove); !s.ok()) return ReplyError(c.res, s);
    return ReplyJson(c.res, {{"deleted", true}});
  }
  t.value = value->get<double>();
  if (auto s = analytics::CheckTargetValue(*ind, t.value); !s.ok()) return ReplyError(c.res, s);
  auto set = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(repo.SetTarget(t));
    return Audit(c, "stats.target.set", target_key, {{"value", t.value}});
  };
  if (auto s = storage::RunInTransaction(c.db, set); !s.ok()) return ReplyError(c.res, s);
  ReplyJson(c.res, TargetJson(t));
}

void Report(Call& c) {
  std::string requested = c.req.Query("region");
  base::Result<std::string> region = ScopedRegion(c.who, requested);
  if (!region.ok()) return ReplyError(c.res, region.status());
  if (region->size() < 2) {
    return ReplyError(c.res, 400, "invalid_argument", "请指定省、市或区县的区划代码 region");
  }
  std::string padded = *region;
  padded.resize(6, '0');
  base::Result<std::string> prefix = ReportRegionPrefix(padded);
  if (!prefix.ok()) return ReplyError(c.res, prefix.status());
  base::Result<base::Date> as_of = AsOf(c);
  if (!as_of.ok()) return ReplyError(c.res, as_of.status());
  std::string format = c.req.Query("format");
  if (format.empty()) format = "html";
  if (format != "html" && format != "docx" && format != "xlsx") {
    return ReplyError(c.res, 400, "invalid_argument", "format 只能是 html、docx 或 xlsx");
  }
  std::string dir = c.ctx.options.work_dir + "/report-" + std::to_string(c.ctx.Now()) + "-" +
                    std::to_string(report_seq.fetch_add(1));
  base::Result<PopulationCache::Shared> population = c.ctx.populations.Get(c.db, *prefix, *as_of);
  if (!population.ok()) return ReplyError(c.res, population.status());
  // What the report reads by row is kept with the population too: a second report of the
  // region and date reads nothing of the pool's bulk again.
  analytics::ReportSources sources;
  sources.run_outcomes = [&](int64_t run) {
    return c.ctx.populations.RunOutcomes(c.db, *population, run);
  };
  sources.activity_signs = [&](int year) {
    return c.ctx.populations.ActivitySigns(c.db, *population, year);
  };
  base::Result<ReportFiles> files =
      WriteReportFiles(c.db, *prefix, *as_of, dir, population->get(), sources);
  std::error_code ec;
  if (!files.ok()) {
    fs::remove_all(dir, ec);
    return ReplyError(c.res, files.status());
  }
  std::string keep = format == "html" ? files->html : format == "docx" ? files->docx : files->xlsx;
  std::string out = dir + "." + format;
  fs::rename(keep, out, ec);
  fs::remove_all(dir, ec);
  c.res.file = out;
  c.res.remove_file_after = true;
  c.res.content_type =
      format == "html"   ? "text/html; charset=utf-8"
      : format == "docx" ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                         : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  c.res.SetHeader("Content-Disposition", std::string(format == "html" ? "inline" : "attachment") +
                                             "; filename*=UTF-8''report-" + *prefix + "-" +
                                             as_of->ToString() + "." + format);
}

}  // namespace

void AddStatsRoutes(ApiContext& ctx) {
  // Both read the whole pool in scope: off the event loops.
  ctx.router.Add("GET", "/api/v1/stats", Guarded(ctx, Permission::kStats, Stats),
                 {.blocking = true});
  ctx.router.Add("GET", "/api/v1/stats/breakdown", Guarded(ctx, Permission::kStats, Breakdown),
                 {.blocking = true});
  ctx.router.Add("GET", "/api/v1/reports", Guarded(ctx, Permission::kStats, Report),
                 {.blocking = true});
  ctx.router.Add("GET", "/api/v1/targets", Guarded(ctx, Permission::kStats, ListTargets));
  ctx.router.Add("PUT", "/api/v1/targets", Guarded(ctx, Permission::kStats, PutTarget));
}

}  // namespace getihu::server
