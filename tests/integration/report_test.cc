// The analysis report on a generated district (8,000 households, 2026-07-01): the figures its
// sentences quote are ComputeStats's, the yearly series agrees with the indicators at each
// year end, the tier section appears once runs exist, and the HTML holds every section.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "analytics/indicators.h"
#include "analytics/report.h"
#include "analytics/report_html.h"
#include "analytics/report_tables.h"
#include "analytics/report_text.h"
#include "rules/builtin_rule_sets.h"
#include "rules/profile_fields.h"
#include "storage/sqlite/sqlite_database.h"
#include "synth/generator.h"
#include "workflows/import.h"
#include "workflows/tier_run.h"

namespace getihu {
namespace {

namespace fs = std::filesystem;
using analytics::Dimension;

base::Date D(const char* s) { return *base::Date::Parse(s); }

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("getihu_report_test_" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    synth::GenerateOptions gen;
    gen.households = 8'000;
    gen.as_of = D("2026-07-01");
    gen.seed = 11;
    gen.out_dir = (*dir_ / "feeds").string();
    ASSERT_TRUE(synth::Generate(gen).ok());
    auto db = storage::OpenSqlite((*dir_ / "pool.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate().ok());
    workflows::ImportOptions options;
    options.as_of = gen.as_of;
    ASSERT_TRUE(workflows::ImportDirectory(**db, gen.out_dir, options).ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    auto db = storage::OpenSqlite((*dir_ / "pool.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
  }

  void RunTiering(const char* as_of) {
    std::string text(rules::BuiltinRuleSetText(rules::kDefaultTiering));
    auto set = rules::ParseRuleSet(text, "default-tiering.toml", rules::ProfileFields());
    ASSERT_TRUE(set.ok());
    workflows::TierRunOptions options;
    options.as_of = D(as_of);
    options.created_by = "测试";
    auto report = workflows::RunTiering(*db_, *set, text, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }

  analytics::Stats Stats(const char* as_of, Dimension by) {
    auto s = analytics::ComputeStats(*db_, "500113", D(as_of), by);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : analytics::Stats{};
  }

  static fs::path* dir_;
  std::unique_ptr<storage::Database> db_;
};

fs::path* ReportTest::dir_ = nullptr;

TEST_F(ReportTest, QuotesTheIndicatorsAndAgreesWithThemAtEachYearEnd) {
  auto m = analytics::ComputeReportModel(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  analytics::Stats total = Stats("2026-07-01", Dimension::kTownship);
  const analytics::Figures& f = total.total;
  EXPECT_EQ(m->region_name, "巴南区");
  EXPECT_EQ(m->by_area.total.stock, f.stock);
  EXPECT_GT(f.stock, 7'000);

  analytics::ReportText text = analytics::WriteReportText(*m, {});
  const std::string& opening = text.sections[0].paragraphs[0];
  EXPECT_TRUE(opening.starts_with(
      "截至2026年7月1日，巴南区登记在册个体工商户" + analytics::FormatCount(f.stock) + "户，" +
      analytics::GrowthPhrase("比上年末", f.stock, f.stock_year_end) + "，" +
      analytics::GrowthPhrase("同比", f.stock, f.stock_last_year)))
      << opening;
  const std::string& area = text.sections[0].paragraphs[1];
  EXPECT_TRUE(
      area.starts_with("从区域分布看，" + total.groups[0].name + "、" + total.groups[1].name))
      << area;
  EXPECT_NE(text.sections[1].paragraphs[1].find(
                analytics::FormatCount(f.new_registrations) + "户，" +
                analytics::GrowthPhrase("同比", f.new_registrations, f.new_last_year)),
            std::string::npos);

  // Each full year's flows are the indicators computed at its year end.
  ASSERT_EQ(m->years.size(), 10u);
  EXPECT_EQ(m->years.front().year, 2016);
  for (const char* end : {"2025-12-31", "2021-12-31"}) {
    analytics::Stats y = Stats(end, Dimension::kNone);
    const analytics::YearFlows& flows = m->years[static_cast<size_t>(y.as_of.year() - 2016)];
    EXPECT_EQ(flows.new_registrations, y.total.new_registrations) << end;
    EXPECT_EQ(flows.new_previous, y.total.new_last_year) << end;
    EXPECT_EQ(flows.exits, y.total.exits) << end;
    EXPECT_EQ(flows.exits_previous, y.total.exits_last_year) << end;
  }

  EXPECT_FALSE(m->latest_run.has_value());
  EXPECT_NE(text.sections[3].paragraphs[0].find("尚未进行分型"), std::string::npos);
  ASSERT_FALSE(m->sources.empty());
  EXPECT_EQ(m->sources[0].feed, "registration");

  std::vector<analytics::ReportTable> tables = analytics::BuildReportTables(*m);
  EXPECT_EQ(tables[0].rows.back()[2], std::to_string(f.stock));  // the 合计 row
  std::string html = analytics::RenderReportHtml(*m, text, tables);
  EXPECT_EQ(Count(html, "<svg"), Count(html, "</svg>"));
  // 一 to 五 (五、目标完成情况 says when no target is set) and 指标说明.
  EXPECT_EQ(Count(html, "<section"), 6u);
  EXPECT_EQ(Count(html, "<table>"), tables.size());
}

TEST_F(ReportTest, DescribesTheLatestRunAndItsTransitions) {
  RunTiering("2026-01-01");  // the default rules take effect on 1 January 2026
  RunTiering("2026-07-01");
  auto m = analytics::ComputeReportModel(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_TRUE(m->latest_run.has_value());
  ASSERT_TRUE(m->transitions.has_value());
  EXPECT_EQ(m->latest_run->as_of, D("2026-07-01"));
  EXPECT_EQ(m->transitions->previous.as_of, D("2026-01-01"));
  const analytics::TierTransitions& t = *m->transitions;
  EXPECT_GT(t.households(), 5'000);
  EXPECT_EQ(t.up() + t.down() <= t.households() - t.unchanged(), true);
  analytics::Stats tiers = Stats("2026-07-01", Dimension::kTier);
  EXPECT_EQ(m->by_tier->groups.size(), tiers.groups.size());

  analytics::ReportText text = analytics::WriteReportText(*m, {});
  const auto& p = text.sections[3].paragraphs;
  EXPECT_NE(p[0].find("按分型批次" + std::to_string(m->latest_run->id)), std::string::npos) << p[0];
  EXPECT_NE(p[1].find(analytics::FormatCount(t.up()) + "户类型上升"), std::string::npos) << p[1];
  EXPECT_NE(p[1].find("百分点"), std::string::npos) << p[1];
}

}  // namespace
}  // namespace getihu
