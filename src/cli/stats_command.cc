#include "cli/stats_command.h"

#include <cstdio>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "analytics/breakdown.h"
#include "analytics/indicators.h"
#include "analytics/series.h"
#include "analytics/targets.h"
#include "analytics/vitality.h"
#include "base/text.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "domain/region.h"
#include "server/stats_json.h"

namespace getihu::cli {
namespace {

// The full years of the yearly series before the as-of year, as the report's trend section.
constexpr int kSeriesYears = 10;

using Json = nlohmann::ordered_json;

// "1,234,567".
std::string Count(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

// "62.5%" rounded to one decimal, or "—" when there is no base.
std::string Percent(std::optional<double> pct) {
  if (!pct) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *pct);
  return buf;
}

// "+12.3%" / "-4.0%" / "—" for a zero base: a table's 同比 column.
std::string SignedGrowth(int64_t now, int64_t base) {
  std::optional<double> g = analytics::GrowthPercent(now, base);
  if (!g) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", *g);
  return buf;
}

// "增长 12.3%" / "下降 4.0%" / "（基数为零）", rounded to one decimal (../shared/domain §6.2).
std::string Growth(int64_t now, int64_t base) {
  std::optional<double> g = analytics::GrowthPercent(now, base);
  if (!g) return "（基数为零，不计算增速）";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %.1f%%", *g >= 0 ? "增长" : "下降", *g >= 0 ? *g : -*g);
  return buf;
}

// The full breakdown county × township × section × tier of the population, by the tiers of
// the latest run covering it (none: tier unknown), as CSV for Excel or, with --json, JSON.
int PrintBreakdown(storage::Database& db, const analytics::Population& population, bool json) {
  const analytics::Dimension dims[] = {analytics::Dimension::kTier};
  auto inputs = analytics::LoadStatsInputs(db, population, dims);
  const bool tiered = inputs.ok();
  if (!tiered && inputs.status().code() != base::StatusCode::kFailedPrecondition) {
    return ReportError(inputs.status(), json);
  }
  const analytics::Breakdown b = analytics::ComputeBreakdown(
      population, tiered ? std::span<const uint8_t>(inputs->tier) : std::span<const uint8_t>());
  if (json) {
    Json j = server::BreakdownJson(b, population, tiered ? inputs->tier_run : std::nullopt);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::string csv = server::BreakdownCsv(b, tiered);
    std::fwrite(csv.data(), 1, csv.size(), stdout);
  }
  return kExitOk;
}

int RunStats(const std::string& db_path, const std::string& region, const std::string& as_of_text,
             const std::string& by_key, const std::string& series, bool breakdown, bool json) {
  if (breakdown && (!by_key.empty() || !series.empty())) {
    return ReportError(base::InvalidArgument("--breakdown 不能与 --by、--series 同时使用"), json);
  }
  if (!series.empty() && series != "monthly" && series != "yearly") {
    return ReportError(base::InvalidArgument("--series 只能是 monthly 或 yearly"), json);
  }
  auto as_of = base::Date::Parse(as_of_text);
  if (!as_of.ok())
    return ReportError(base::InvalidArgument("--as-of 日期无效：" + as_of_text), json);
  std::string prefix;
  if (!region.empty()) {
    const domain::Region* r = domain::RegionTable::Builtin().Find(region);
    if (r == nullptr)
      return ReportError(base::InvalidArgument("区划代码“" + region + "”不存在"), json);
    prefix = r->code.substr(0, std::min<size_t>(6, r->code.size()));
    while (prefix.size() > 2 && prefix.ends_with("00")) prefix.resize(prefix.size() - 2);
  }
  analytics::Dimension by = analytics::Dimension::kNone;
  if (!by_key.empty()) {
    auto d = analytics::DimensionFromKey(by_key);
    if (!d) {
      return ReportError(
          base::InvalidArgument(
              "--by 只能是 region、township、township_group、section、division、sector 或 tier"),
          json);
    }
    by = *d;
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  // One reading of the pool for the indicators, the activity rate and the monthly series;
  // a large SQLite pool in two halves at once.
  analytics::Population::LoadOptions load;
  load.open_reader = [&db_path] { return OpenDatabase(db_path); };
  load.image = ConfiguredImageOptions(db_path);
  auto population = analytics::Population::Load(**db, prefix, *as_of, load);
  if (!population.ok()) return ReportError(population.status(), json);
  if (breakdown) return PrintBreakdown(**db, *population, json);
  auto stats = analytics::ComputeStats(**db, *population, by);
  if (!stats.ok()) return ReportError(stats.status(), json);
  const analytics::Figures& f = stats->total;
  std::optional<analytics::ActivityRate> activity;
  std::optional<analytics::SurvivalRate> survival;
  std::optional<analytics::Employment> employment;
  std::vector<analytics::TargetProgress> targets;
  if (by == analytics::Dimension::kNone) {
    auto a = analytics::ComputeActivityRate(**db, *population,
                                            analytics::DefaultActivityYear(*as_of), *as_of);
    if (!a.ok()) return ReportError(a.status(), json);
    auto v = analytics::ComputeThreeYearSurvival(**db, *population,
                                                 analytics::DefaultSurvivalCohort(*as_of), *as_of);
    if (!v.ok()) return ReportError(v.status(), json);
    activity = *a;
    survival = *v;
    auto e = analytics::ComputeEmployment(**db, *population);
    if (!e.ok()) return ReportError(e.status(), json);
    employment = *e;
    auto t = analytics::ComputeTargetProgress(**db, *population, f, *a, *v, &*employment);
    if (!t.ok()) return ReportError(t.status(), json);
    targets = std::move(*t);
  }
  std::vector<analytics::MonthFlows> months;
  if (series == "monthly") {
    auto m = analytics::ComputeMonthlyFlows(*population);
    if (!m.ok()) return ReportError(m.status(), json);
    months = std::move(*m);
  }
  std::vector<analytics::YearFlows> years;
  if (series == "yearly") {
    auto y =
        analytics::ComputeYearlyFlows(*population, as_of->year() - kSeriesYears, as_of->year() - 1);
    if (!y.ok()) return ReportError(y.status(), json);
    years = std::move(*y);
  }
  if (json) {
    Json j = server::StatsJson(*stats, by_key);
    if (series == "monthly") j["monthly"] = server::MonthlyJson(months);
    if (series == "yearly") j["yearly"] = server::YearlyJson(years);
    if (activity) j["activity"] = server::ActivityJson(*activity);
    if (survival) j["three_year_survival"] = server::SurvivalJson(*survival);
    if (employment) j["employment"] = server::EmploymentJson(*employment);
    if (by == analytics::Dimension::kNone) j["targets"] = server::TargetsJson(targets);
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("%s 截至 %s（本期：%d-01-01 至 %s）\n", stats->region_name.c_str(),
              as_of->ToString().c_str(), as_of->year(), as_of->ToString().c_str());
  std::printf("  登记在册 %s 户（其中歇业 %s 户，网络经营 %s 户）\n", Count(f.stock).c_str(),
              Count(f.suspended).c_str(), Count(f.online).c_str());
  std::printf("    比上年末%s（上年末 %s 户）；同比%s（去年同日 %s 户）\n",
              Growth(f.stock, f.stock_year_end).c_str(), Count(f.stock_year_end).c_str(),
              Growth(f.stock, f.stock_last_year).c_str(), Count(f.stock_last_year).c_str());
  std::printf("  本期新设 %s 户，同比%s（去年同期 %s 户）\n", Count(f.new_registrations).c_str(),
              Growth(f.new_registrations, f.new_last_year).c_str(), Count(f.new_last_year).c_str());
  std::printf("  本期注销、吊销 %s 户，同比%s（去年同期 %s 户）\n", Count(f.exits).c_str(),
              Growth(f.exits, f.exits_last_year).c_str(), Count(f.exits_last_year).c_str());
  std::printf("  净增 %s 户；个转企 %s 户\n", Count(f.net()).c_str(), Count(f.conversions).c_str());
  if (activity) {
    std::printf(
        "  活跃度（%d 年）：%s 存续 %s 户中有经营迹象 %s 户，占 %s（另有 %s 户无任何数据）%s\n",
        activity->year, activity->status_date.ToString().c_str(),
        Count(activity->in_existence).c_str(), Count(activity->operating).c_str(),
        Percent(activity->pct).c_str(), Count(activity->no_data).c_str(),
        activity->provisional ? "；年报尚未截止，为暂定值" : "");
  }
  if (survival) {
    std::printf("  三年存活率（%d 年设立的 %s 户）：满三年时仍存续 %s 户，占 %s%s\n",
                survival->cohort_year, Count(survival->cohort).c_str(),
                Count(survival->survived).c_str(), Percent(survival->pct).c_str(),
                survival->complete()
                    ? ""
                    : ("；其中仅 " + Count(survival->observable) + " 户已满三年").c_str());
  }
  if (employment) {
    std::printf("  吸纳就业 %s 人：登记在册户的经营者 %s 人，雇员 %s 人（%s 户有雇员数据）\n",
                Count(employment->people).c_str(), Count(employment->households).c_str(),
                Count(employment->people - employment->households).c_str(),
                Count(employment->with_data).c_str());
  }
  if (!targets.empty()) {
    std::printf("\n%d 年目标进展：\n", as_of->year());
    for (const analytics::TargetProgress& p : targets) {
      std::printf("  [%s] %s\n", std::string(p.StatusText()).c_str(),
                  analytics::DescribeTargetProgress(p).c_str());
    }
  }
  if (!months.empty()) {
    std::printf("\n近 %zu 个月（末月截至基准日）：\n", months.size());
    std::printf("  月份         新设   注销吊销       净增   月末登记在册\n");
    for (const analytics::MonthFlows& m : months) {
      std::printf("  %04d-%02d %10s %10s %10s %14s\n", m.year, m.month,
                  Count(m.new_registrations).c_str(), Count(m.exits).c_str(),
                  Count(m.new_registrations - m.exits).c_str(), Count(m.stock).c_str());
    }
  }
  if (!years.empty()) {
    std::printf("\n近 %zu 个完整年度（同比为与上一年相比）：\n", years.size());
    std::printf("  年份         新设     同比   注销吊销     同比       净增   年末登记在册\n");
    for (const analytics::YearFlows& y : years) {
      std::printf("  %04d %12s %8s %10s %8s %10s %14s\n", y.year,
                  Count(y.new_registrations).c_str(),
                  SignedGrowth(y.new_registrations, y.new_previous).c_str(), Count(y.exits).c_str(),
                  SignedGrowth(y.exits, y.exits_previous).c_str(),
                  Count(y.new_registrations - y.exits).c_str(), Count(y.stock).c_str());
    }
  }
  if (by != analytics::Dimension::kNone) {
    std::printf(
        "\n按%s%s：\n", std::string(analytics::DimensionName(by)).c_str(),
        stats->tier_run ? ("（分型批次 " + std::to_string(*stats->tier_run) + "）").c_str() : "");
    // Right-aligned Chinese headers over the number columns (12, 8, 8 and 10 wide).
    std::printf("  %s %s     登记在册     占比     新设   注销吊销\n",
                base::PadRight("代码", 12).c_str(), base::PadRight("名称", 30).c_str());
    for (const auto& g : stats->groups) {
      std::printf("  %s %s %12s %7.2f%% %8s %10s\n", base::PadRight(g.code, 12).c_str(),
                  base::PadRight(g.name, 30).c_str(), Count(g.figures.stock).c_str(), g.stock_share,
                  Count(g.figures.new_registrations).c_str(), Count(g.figures.exits).c_str());
    }
    if (std::string note = analytics::TierComparisonNote(*stats); !note.empty()) {
      std::printf("  %s\n", note.c_str());
    }
  }
  std::printf(
      "\n指标说明：登记在册为基准日存续（含歇业）的个体工商户；新设按成立日期、注销吊销按决定日期计"
      "入本期；"
      "增速均注明基期（比上年末、同比），保留一位小数。活跃度：年末存续（含歇业）的个体工商户中，"
      "当年有营业额大于零的年报、销售额大于零的纳税记录或有参保职工的比例；三年存活率：某年设立的"
      "个体工商户在设立满三年之日未注销、吊销的比例（个转企视为存活）；吸纳就业：基准日登记在册户"
      "的经营者（每户 1 人）加雇员（上一年参保职工数，无则为上一年年报从业人数减 1）。%s\n",
      targets.empty() ? ""
                      : "目标进展：实际值为基准日可得的最新数据，完成比例为实际值除以目标值，比率类"
                        "指标按一位小数判断是否达标；缺少数据的指标为暂无数据，不按零计。");
  return kExitOk;
}

}  // namespace

void AddStatsCommand(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  static std::string region, as_of, by, series;
  static bool breakdown = false;
  CLI::App* s = app.add_subcommand(
      "stats", "统计指标：登记在册、新设、注吊销、净增与增速，可按乡镇、行业、产业、类型分组");
  s->add_option("--region", region, "区划代码（省、市、区县；默认全部）");
  s->add_option("--as-of", as_of, "基准日 YYYY-MM-DD")->required();
  s->add_option("--by", by,
                "分组：region、township、township_"
                "group（乡镇分组）、section（行业门类）、division（行业大类）、sector、tier");
  s->add_option("--series", series,
                "monthly：附带截至基准日的 12 个月的新设、注吊销和月末登记在册；yearly：附带基准日"
                "之前 10 个完整年度的新设、注吊销（含同比）和年末登记在册");
  s->add_flag("--breakdown", breakdown,
              "全量交叉分组：区县 × 乡镇（街道）× 行业门类 × 分型，输出 CSV（可用 Excel "
              "打开，重定向到文件即可）；加 --json 输出 JSON");
  s->callback([&exit_code, g] {
    exit_code = RunStats(*g.db_path, region, as_of, by, series, breakdown, *g.json);
  });
}

}  // namespace getihu::cli
