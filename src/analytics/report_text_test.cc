// The report's sentences on a hand-built model: numbers formatted as ../shared/domain §6.2
// asks, wording chosen by the sign of each change, leaders named from the figures.
#include "analytics/report_text.h"

#include <gtest/gtest.h>

#include "analytics/report_tables.h"

namespace getihu::analytics {
namespace {

GroupFigures Group(std::string code, std::string name, int64_t stock, int64_t year_end,
                   int64_t total) {
  GroupFigures g;
  g.code = std::move(code);
  g.name = std::move(name);
  g.figures.stock = stock;
  g.figures.stock_year_end = year_end;
  g.stock_share = 100.0 * static_cast<double>(stock) / static_cast<double>(total);
  return g;
}

// 巴南区 with four townships, two sections and ten years of flows peaking in 2021.
ReportModel Model() {
  ReportModel m;
  m.as_of = *base::Date::Parse("2026-07-01");
  m.region_prefix = "500113";
  m.region_name = "巴南区";
  Figures& t = m.by_area.total;
  t.stock = 10'000;
  t.stock_year_end = 9'800;
  t.stock_last_year = 10'400;
  t.new_registrations = 900;
  t.new_last_year = 1'000;
  t.exits = 700;
  t.exits_last_year = 500;
  t.online = 1'234;
  m.by_area.by = Dimension::kTownship;
  m.by_area.groups = {Group("500113005", "花溪街道", 4'000, 3'900, 10'000),
                      Group("500113006", "李家沱街道", 3'000, 3'100, 10'000),
                      Group("500113007", "龙洲湾街道", 2'000, 1'800, 10'000),
                      Group("500113101", "界石镇", 1'000, 1'000, 10'000)};
  m.by_section.total = t;
  m.by_section.groups = {Group("F", "批发和零售业", 6'000, 5'900, 10'000),
                         Group("H", "住宿和餐饮业", 4'000, 3'900, 10'000)};
  m.by_section.groups[0].figures.new_registrations = 600;
  m.by_section.groups[1].figures.new_registrations = 300;
  m.by_section.groups[0].figures.exits = 500;
  m.by_section.groups[0].figures.exits_last_year = 400;
  m.by_section.groups[1].figures.exits = 200;
  m.by_section.groups[1].figures.exits_last_year = 100;
  m.by_sector.groups = {Group("3", "第三产业", 10'000, 9'800, 10'000)};
  for (int year = 2016; year <= 2025; ++year) {
    YearFlows y;
    y.year = year;
    y.new_registrations = year == 2021 ? 3'000 : 1'000 + year - 2016;
    y.new_previous = year == 2022 ? 3'000 : year == 2021 ? 1'004 : y.new_registrations - 1;
    y.exits = 400;
    y.exits_previous = 500;
    m.years.push_back(y);
  }
  return m;
}

const ReportSection& SectionOf(const ReportText& text, const std::string& key) {
  for (const ReportSection& s : text.sections) {
    if (s.key == key) return s;
  }
  static const ReportSection none;
  ADD_FAILURE() << "no section " << key;
  return none;
}

TEST(ReportFormatTest, FormatsCountsWithThousandsSeparators) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(58'352), "58,352");
  EXPECT_EQ(FormatCount(-1'234'567), "-1,234,567");
}

TEST(ReportFormatTest, GrowthCarriesItsBaseAndSign) {
  EXPECT_EQ(GrowthPhrase("比上年末", 10'190, 10'000), "比上年末增长1.9%");
  EXPECT_EQ(GrowthPhrase("同比", 960, 1'000), "同比下降4.0%");
  EXPECT_EQ(GrowthPhrase("同比", 100'001, 100'000), "同比持平");
  EXPECT_EQ(GrowthPhrase("比上年末", 5, 5), "与上年末持平");
  EXPECT_EQ(GrowthPhrase("比上年末", 5, 0), "上年末为零，不计算增速");
  EXPECT_EQ(GrowthPhrase("同比", 5, 0), "去年同期为零，不计算增速");
}

TEST(ReportFormatTest, NamesTheWholeRegionByItsKind) {
  EXPECT_EQ(WholeRegionWord("巴南区"), "全区");
  EXPECT_EQ(WholeRegionWord("城口县"), "全县");
  EXPECT_EQ(WholeRegionWord("重庆市"), "全市");
  EXPECT_EQ(ChineseDate(*base::Date::Parse("2026-07-01")), "2026年7月1日");
}

TEST(ReportTextTest, OpensWithTheStockAndBothGrowthBases) {
  ReportText text = WriteReportText(Model(), {});
  EXPECT_EQ(text.title, "巴南区个体工商户发展分析报告");
  EXPECT_EQ(SectionOf(text, "basic").paragraphs[0],
            "截至2026年7月1日，巴南区登记在册个体工商户10,000户，比上年末增长2.0%，同比下降3.8%。"
            "今年以来新设900户，注销、吊销700户，净增200户。");
}

TEST(ReportTextTest, NamesTheLeadingTownshipsAndTheirCombinedShare) {
  ReportText text = WriteReportText(Model(), {});
  const std::string& p = SectionOf(text, "basic").paragraphs[1];
  EXPECT_NE(p.find("花溪街道、李家沱街道和龙洲湾街道位居前三，分别有4,000户、3,000户和2,000户，"
                   "合计占全区的90.0%。"),
            std::string::npos)
      << p;
  EXPECT_NE(
      p.find("增长最快的是龙洲湾街道，比上年末增长11.1%；4个乡镇（街道）中有1个比上年末有所减少。"),
      std::string::npos)
      << p;
}

TEST(ReportTextTest, NamesTheLeadingIndustry) {
  ReportText text = WriteReportText(Model(), {});
  const std::string& p = SectionOf(text, "basic").paragraphs[3];
  EXPECT_EQ(
      p,
      "从行业门类看，批发和零售业以60.0%居首（6,000户），其次是住宿和餐饮业（40.0%），前两个行"
      "业合计占100.0%。批发和零售业比上年末增长1.7%。");
}

TEST(ReportTextTest, FindsThePeakYearAndTheYearToDateLeaders) {
  ReportText text = WriteReportText(Model(), {});
  const ReportSection& trend = SectionOf(text, "trend");
  EXPECT_NE(trend.paragraphs[0].find("新设户数在2021年达到峰值（3,000户），2025年为峰值的33.6%"),
            std::string::npos)
      << trend.paragraphs[0];
  EXPECT_NE(trend.paragraphs[0].find("其中9年同比增长，1年同比下降"), std::string::npos);
  EXPECT_EQ(trend.paragraphs[1],
            "今年以来（1月1日至7月1日），新设个体工商户900户，同比下降10.0%，主要集中在批发和零售"
            "业（600户，占66.7%）和住宿和餐饮业（300户，占33.3%）。");
  EXPECT_EQ(trend.paragraphs[2], "登记在册个体工商户中从事网络经营的1,234户，占12.3%。");
}

TEST(ReportTextTest, ExitsByIndustryCarryTheirYearOnYearGrowth) {
  ReportText text = WriteReportText(Model(), {});
  const std::string& p = SectionOf(text, "exits").paragraphs[0];
  EXPECT_NE(p.find("注销、吊销个体工商户700户，同比增长40.0%；新设与注销、吊销之比为100:78。"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("批发和零售业（500户，占71.4%，同比增长25.0%）和住宿和餐饮业（200户，占28.6%，"
                   "同比增长100.0%）"),
            std::string::npos)
      << p;
}

TEST(ReportTextTest, SaysSoWhenNoTierRunExists) {
  ReportText text = WriteReportText(Model(), {});
  const ReportSection& tiers = SectionOf(text, "tiers");
  EXPECT_NE(tiers.paragraphs[0].find("尚未进行分型"), std::string::npos);
}

TEST(ReportTextTest, ComparesTierRunsInPercentagePoints) {
  ReportModel m = Model();
  m.latest_run = storage::TierRunRecord{};
  m.latest_run->id = 2;
  m.latest_run->as_of = m.as_of;
  m.latest_run->rule_set_name = "default-tiering";
  m.latest_run->rule_set_version = "1.0";
  m.by_tier = Stats{};
  m.by_tier->total.stock = 10;
  m.by_tier->groups = {Group("survival", "生存型", 6, 0, 10), Group("growth", "成长型", 3, 0, 10),
                       Group("development", "发展型", 1, 0, 10)};
  TierTransitions t;
  t.previous.id = 1;
  t.previous.as_of = *base::Date::Parse("2025-07-01");
  t.matrix[1][1] = 5;  // survival stays
  t.matrix[1][2] = 2;  // survival → growth
  t.matrix[2][1] = 1;  // growth → survival
  t.matrix[2][3] = 1;  // growth → development
  t.matrix[3][3] = 1;
  m.transitions = t;
  ReportText text = WriteReportText(m, {});
  const ReportSection& tiers = SectionOf(text, "tiers");
  EXPECT_NE(
      tiers.paragraphs[0].find("发展型1户，占10.0%；成长型3户，占30.0%；生存型6户，占60.0%。"),
      std::string::npos)
      << tiers.paragraphs[0];
  EXPECT_EQ(
      tiers.paragraphs[1],
      "与上一分型批次1（基准日2025年7月1日）相比，两次均参与分型的10户中，3户类型上升，1户类型"
      "下降，6户保持不变；成长型与发展型合计占比由30.0%变为40.0%，提高10.0个百分点。");
}

// Activity of 2025: 6,000 of 10,000 in existence on 31 December 2025 operating, 1,500 with no
// record (15.0%); 2022 cohort: 800 of 2,000 survived three years = 40.0%, under half.
TEST(ReportTextTest, ActivityAndSurvivalSentences) {
  ReportModel m = Model();
  m.activity.year = 2025;
  m.activity.status_date = *base::Date::Parse("2025-12-31");
  m.activity.in_existence = 10'000;
  m.activity.operating = 6'000;
  m.activity.no_data = 1'500;
  m.activity.pct = 60.0;
  m.survival.cohort_year = 2022;
  m.survival.cohort = 2'000;
  m.survival.observable = 2'000;
  m.survival.survived = 800;
  m.survival.pct = 40.0;
  ReportText text = WriteReportText(m, {});
  EXPECT_EQ(SectionOf(text, "trend").paragraphs[3],
            "从经营活跃度看，2025年12月31日存续（含歇业）的10,000户中，2025年有经营迹象的6,000户，"
            "活跃度为60.0%；另有1,500户（占15.0%）当年没有任何年报、纳税或社保记录，无法判断是否"
            "经营。2022年新设的2,000户中，设立满三年时仍存续的800户，三年存活率为40.0%，过半新设"
            "个体工商户未能存续满三年。");
  m.activity.provisional = true;
  m.activity.no_data = 0;
  m.survival.observable = 1'000;
  m.survival.survived = 700;
  m.survival.pct = 70.0;
  text = WriteReportText(m, {});
  EXPECT_EQ(SectionOf(text, "trend").paragraphs[3],
            "从经营活跃度看，2025年12月31日存续（含歇业）的10,000户中，2025年有经营迹象的6,000户，"
            "活跃度为60.0%（年报尚未截止，为暂定值）。2022年新设的2,000户中，设立满三年时仍存续的"
            "700户，三年存活率为70.0%（仅计已满三年的1,000户）。");
  // No record at all: no rate; no cohort: no survival.
  m.activity.no_data = 10'000;
  m.survival = SurvivalRate{};
  m.survival.cohort_year = 2022;
  text = WriteReportText(m, {});
  EXPECT_EQ(SectionOf(text, "trend").paragraphs[3],
            "从经营活跃度看，缺少2025年的年报、纳税和社保数据，暂无法计算活跃度。2022年没有新设个体"
            "工商户，不计算三年存活率。");
  const ReportSection& notes = SectionOf(text, "notes");
  bool defined = false;
  for (const std::string& p : notes.paragraphs) defined |= p.starts_with("活跃度：");
  EXPECT_TRUE(defined) << "the notes define the activity rate";
}

// 城区 = 花溪 (4,000) + 李家沱 (3,000) = 7,000 of 10,000 = 70.0%; 花溪 is 57.1% of the group,
// 李家沱 42.9%. 城乡结合部 = 界石镇 alone (1,000, 10.0%). 龙洲湾 is in no group (2,000, 20.0%).
TEST(ReportTextTest, TownshipGroupsInTheBasicSection) {
  ReportModel m = Model();
  EXPECT_EQ(SectionOf(WriteReportText(m, {}), "basic").paragraphs.size(), 4u)
      << "no paragraph without groups";
  m.township_group_of = {{"500113005", "城区"}, {"500113006", "城区"}, {"500113101", "城乡结合部"}};
  m.by_township_group = Stats{};
  m.by_township_group->by = Dimension::kTownshipGroup;
  m.by_township_group->total = m.by_area.total;
  m.by_township_group->groups = {Group("城区", "城区", 7'000, 7'000, 10'000),
                                 Group("", "（未分组）", 2'000, 1'800, 10'000),
                                 Group("城乡结合部", "城乡结合部", 1'000, 1'000, 10'000)};
  ReportText text = WriteReportText(m, {});
  EXPECT_EQ(SectionOf(text, "basic").paragraphs[2],
            "按乡镇分组看，城区登记在册7,000户，占70.0%，其中花溪街道和李家沱街道分别占该组的57.1%"
            "和42.9%；城乡结合部登记在册1,000户，占10.0%，均在界石镇；未分组的乡镇（街道）合计"
            "2,000户，占20.0%。");
  std::vector<ReportTable> tables = BuildReportTables(m);
  ASSERT_GE(tables.size(), 2u);
  EXPECT_EQ(tables[1].key, "township_groups");
  EXPECT_EQ(tables[1].rows[0][0], "城区");
  EXPECT_EQ(tables[1].rows[0][1], "2");  // townships
  EXPECT_EQ(tables[1].rows.back()[0], "合计");
}

TEST(ReportTextTest, TargetProgressSection) {
  ReportModel m = Model();
  EXPECT_EQ(SectionOf(WriteReportText(m, {}), "targets").paragraphs[0],
            "巴南区尚未设定2026年发展目标，本节暂无内容。");
  m.targets = {EvaluateTarget(*FindTargetIndicator("households"), 2026, 12'000, 10'000,
                              "2026年7月1日登记在册"),
               EvaluateTarget(*FindTargetIndicator("activity"), 2026, 70, 72.0, "2025年活跃度"),
               EvaluateTarget(*FindTargetIndicator("first_loans"), 2026, 800, std::nullopt,
                              "尚未导入贷款数据")};
  ReportText text = WriteReportText(m, {});
  EXPECT_EQ(SectionOf(text, "targets").heading, "五、目标完成情况");
  EXPECT_EQ(SectionOf(text, "targets").paragraphs[0],
            "2026年巴南区设定的3项发展目标中，截至2026年7月1日已达标1项，未达标1项，暂无数据1项。"
            "在册个体工商户目标12,000户，实际10,000户（2026年7月1日登记在册），完成目标的83.3%，"
            "未达标，差2,000户；活跃度目标70.0%，实际72.0%（2025年活跃度），完成目标的102.9%，已达"
            "标；新增首贷户目标800户，暂无数据（尚未导入贷款数据）。");
}

}  // namespace
}  // namespace getihu::analytics
