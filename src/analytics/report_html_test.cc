// The HTML document and its charts: self-contained, balanced SVG, every inserted text escaped.
#include "analytics/report_html.h"

#include <gtest/gtest.h>

#include "analytics/report_svg.h"
#include "analytics/report_tables.h"
#include "analytics/report_text.h"

namespace getihu::analytics {
namespace {

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportSvgTest, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeXml("A&B <c> \"d\" 'e'"), "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39;");
  EXPECT_EQ(EscapeXml("花溪街道"), "花溪街道");
}

TEST(ReportSvgTest, DrawsOneBarPerLabelWithEscapedLabels) {
  BarChart chart{"前<三>", {"甲&乙", "丙"}, {{"户数", {30, 10}}}};
  std::string svg = SvgHorizontalBars(chart);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_EQ(Count(svg, "<rect"), 2u);
  EXPECT_NE(svg.find("甲&amp;乙"), std::string::npos);
  EXPECT_NE(svg.find("前&lt;三&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("甲&乙"), std::string::npos);
}

TEST(ReportSvgTest, GroupedBarsDrawEverySeries) {
  BarChart chart{"历年", {"2024", "2025"}, {{"新设", {5, 7}}, {"注销", {2, 0}}}};
  std::string svg = SvgGroupedBars(chart);
  EXPECT_EQ(Count(svg, "<rect"), 2u + 4u);         // legend + bars
  EXPECT_NE(svg.find(">10<"), std::string::npos);  // the axis rounds 7 up to 10
}

TEST(ReportSvgTest, PieLeavesOutEmptySlicesAndDrawsAFullCircleForOne) {
  std::string svg = SvgPie("构成", {{"第三产业", 9}, {"第一产业", 0}});
  EXPECT_EQ(Count(svg, "<circle"), 1u);
  EXPECT_EQ(svg.find("第一产业"), std::string::npos);
  std::string two = SvgPie("构成", {{"甲", 3}, {"乙", 1}});
  EXPECT_EQ(Count(two, "<path"), 2u);
  EXPECT_NE(two.find("甲  3户（75.0%）"), std::string::npos);
}

TEST(ReportHtmlTest, IsSelfContainedWithEachSectionAndEscapedNames) {
  ReportModel m;
  m.as_of = *base::Date::Parse("2026-07-01");
  m.region_prefix = "500113";
  m.region_name = "巴南区";
  m.by_area.by = Dimension::kTownship;
  m.by_area.total.stock = 3;
  GroupFigures g;
  g.code = "500113999";
  g.name = "A&B<街道>";
  g.figures.stock = 3;
  g.stock_share = 100;
  m.by_area.groups = {g};
  ReportText text = WriteReportText(m, {});
  std::string html = RenderReportHtml(m, text, BuildReportTables(m));
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\""),
            std::string::npos);
  for (const char* heading : {"一、基本情况", "二、发展趋势", "三、注吊销情况", "四、分型分类情况",
                              "五、目标完成情况", "指标说明"}) {
    EXPECT_NE(html.find(std::string("<h2>") + heading + "</h2>"), std::string::npos) << heading;
  }
  EXPECT_EQ(Count(html, "<svg"), Count(html, "</svg>"));
  EXPECT_GE(Count(html, "<svg"), 4u);
  EXPECT_NE(html.find("A&amp;B&lt;街道&gt;"), std::string::npos);
  EXPECT_EQ(html.find("A&B"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(Count(html, "http"), Count(html, "<svg"));  // only the SVG namespace: no assets
}

// Counts in the HTML tables are grouped in thousands; the workbook's cells stay plain numbers.
TEST(ReportHtmlTest, TablesGroupThousands) {
  EXPECT_EQ(GroupThousands("58352"), "58,352");
  EXPECT_EQ(GroupThousands("999"), "999");
  EXPECT_EQ(GroupThousands("1000"), "1,000");
  EXPECT_EQ(GroupThousands("-1234567.5"), "-1,234,567.5");
  EXPECT_EQ(GroupThousands("42.17"), "42.17");
  EXPECT_EQ(GroupThousands("2026年（截至7月1日）"), "2026年（截至7月1日）");
  EXPECT_EQ(DecimalsOf("58352"), 0);
  EXPECT_EQ(DecimalsOf("42.2"), 1);
  EXPECT_EQ(DecimalsOf("42.17"), 2);

  ReportModel m;
  m.as_of = *base::Date::Parse("2026-07-01");
  m.region_prefix = "500113";
  m.region_name = "巴南区";
  m.by_area.by = Dimension::kTownship;
  m.by_area.total.stock = 58'352;
  GroupFigures g;
  g.code = "500113005";
  g.name = "花溪街道";
  g.figures.stock = 58'352;
  g.stock_share = 100;
  m.by_area.groups = {g};
  std::vector<ReportTable> tables = BuildReportTables(m);
  EXPECT_EQ(tables[0].rows[0][2], "58352") << "the table rows keep plain numbers for the workbook";
  std::string html = RenderReportHtml(m, WriteReportText(m, {}), tables);
  EXPECT_NE(html.find("<td class=\"num\">58,352</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>500113005</td>"), std::string::npos) << "codes are not numbers";
}

}  // namespace
}  // namespace getihu::analytics
