// Statistics routes: the indicators of a region in the caller's scope as of a date, with an
// optional breakdown, and the development analysis report as HTML, Word or Excel.
#include <atomic>
#include <cmath>
#include <filesystem>
#include <string>

#include "analytics/indicators.h"
#include "analytics/vitality.h"
#include "server/api_internal.h"
#include "server/report_files.h"
#include "server/stats_json.h"

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
      return ReplyError(c.res, 400, "invalid_argument",
                        "by 只能是 region、township、section、sector 或 tier");
    }
    by = *d;
  }
  base::Result<analytics::Stats> stats = analytics::ComputeStats(c.db, *region, *as_of, by);
  if (!stats.ok()) return ReplyError(c.res, stats.status());
  Json j = StatsJson(*stats, by_key);
  if (by == analytics::Dimension::kNone) {
    base::Result<analytics::ActivityRate> activity = analytics::ComputeActivityRate(
        c.db, *region, analytics::DefaultActivityYear(*as_of), *as_of);
    if (!activity.ok()) return ReplyError(c.res, activity.status());
    base::Result<analytics::SurvivalRate> survival = analytics::ComputeThreeYearSurvival(
        c.db, *region, analytics::DefaultSurvivalCohort(*as_of), *as_of);
    if (!survival.ok()) return ReplyError(c.res, survival.status());
    j["activity"] = ActivityJson(*activity);
    j["three_year_survival"] = SurvivalJson(*survival);
  }
  ReplyJson(c.res, j);
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
  base::Result<ReportFiles> files = WriteReportFiles(c.db, *prefix, *as_of, dir);
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
  ctx.router.Add("GET", "/api/v1/stats", Guarded(ctx, Permission::kStats, Stats));
  ctx.router.Add("GET", "/api/v1/reports", Guarded(ctx, Permission::kStats, Report));
}

}  // namespace getihu::server
