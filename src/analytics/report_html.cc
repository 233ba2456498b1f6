#include "analytics/report_html.h"

#include <algorithm>

#include "analytics/report_svg.h"

namespace getihu::analytics {
namespace {

constexpr size_t kTopBars = 10;

constexpr const char* kStyle = R"css(
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       sans-serif; max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222;
       line-height: 1.8; }
h1 { text-align: center; font-size: 1.6em; margin-bottom: 0; }
.subtitle { text-align: center; text-indent: 0; color: #555; margin-top: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.6em; }
p { text-indent: 2em; margin: 0.6em 0; }
figure { margin: 1em 0; }
figcaption, .table-title { text-align: center; font-size: 0.9em; color: #444; }
svg.chart { width: 100%; height: auto; font-size: 13px; }
svg.chart .chart-title { font-size: 15px; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin: 0.4em 0 1.2em; }
th, td { border: 1px solid #999; padding: 2px 6px; }
th { background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
@media print { body { max-width: none; margin: 0; } figure, table { break-inside: avoid; } }
)css";

std::string Table(const ReportTable& t) {
  std::string s = "<div class=\"table-title\">" + EscapeXml(t.title) + "</div><table><thead><tr>";
  for (const std::string& h : t.header) s += "<th>" + EscapeXml(h) + "</th>";
  s += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    s += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      bool num = i >= t.label_columns && IsNumericCell(row[i]);
      s += std::string(num ? "<td class=\"num\">" : "<td>") +
           EscapeXml(num ? GroupThousands(row[i]) : row[i]) + "</td>";
    }
    s += "</tr>";
  }
  return s + "</tbody></table>";
}

std::string Figure(const std::string& svg, const std::string& caption) {
  return "<figure>" + svg + "<figcaption>" + EscapeXml(caption) + "</figcaption></figure>";
}

// The largest groups (known codes first as sorted) by a figure, as a one-series bar chart.
BarChart TopGroups(const std::string& title, const std::vector<GroupFigures>& groups,
                   int64_t Figures::*value) {
  std::vector<const GroupFigures*> sorted;
  for (const GroupFigures& g : groups) {
    if (g.figures.*value > 0) sorted.push_back(&g);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) {
    return a->figures.*value > b->figures.*value;
  });
  if (sorted.size() > kTopBars) sorted.resize(kTopBars);
  BarChart chart{title, {}, {{"户数", {}}}};
  for (const GroupFigures* g : sorted) {
    chart.labels.push_back(g->name);
    chart.series[0].values.push_back(g->figures.*value);
  }
  return chart;
}

std::vector<PieSlice> Slices(const std::vector<GroupFigures>& groups) {
  std::vector<PieSlice> out;
  for (const GroupFigures& g : groups) out.push_back({g.name, g.figures.stock});
  return out;
}

BarChart YearsChart(const ReportModel& m) {
  BarChart chart{"历年新设与注销、吊销户数", {}, {{"新设", {}}, {"注销、吊销", {}}}};
  for (const YearFlows& y : m.years) {
    chart.labels.push_back(std::to_string(y.year));
    chart.series[0].values.push_back(y.new_registrations);
    chart.series[1].values.push_back(y.exits);
  }
  chart.labels.push_back(std::to_string(m.as_of.year()) + "*");
  chart.series[0].values.push_back(m.by_area.total.new_registrations);
  chart.series[1].values.push_back(m.by_area.total.exits);
  return chart;
}

// The figures (charts) of a section, numbered from `figure`.
std::string SectionFigures(const ReportModel& m, const std::string& key, int& figure) {
  auto caption = [&](const std::string& text) {
    return "图" + std::to_string(figure++) + " " + text;
  };
  std::string s;
  if (key == "basic") {
    std::string area(DimensionName(m.by_area.by));
    s += Figure(SvgHorizontalBars(
                    TopGroups("登记在册户数居前的" + area, m.by_area.groups, &Figures::stock)),
                caption("按" + area + "分布（前" + std::to_string(kTopBars) + "位）"));
    s += Figure(SvgPie("三次产业构成", Slices(m.by_sector.groups)), caption("三次产业构成"));
    s += Figure(SvgHorizontalBars(
                    TopGroups("登记在册户数居前的行业门类", m.by_section.groups, &Figures::stock)),
                caption("按行业门类分布（前" + std::to_string(kTopBars) + "位）"));
  } else if (key == "trend") {
    s += Figure(
        SvgGroupedBars(YearsChart(m)),
        caption("历年新设与注销、吊销（" + std::to_string(m.as_of.year()) + "*为1月1日至基准日）"));
  } else if (key == "exits") {
    s += Figure(SvgHorizontalBars(TopGroups("今年以来注销、吊销户数居前的行业门类",
                                            m.by_section.groups, &Figures::exits)),
                caption("今年以来注销、吊销按行业门类"));
  } else if (key == "tiers" && m.by_tier) {
    s += Figure(SvgPie("分型结果", Slices(m.by_tier->groups)), caption("分型结果构成"));
  }
  return s;
}

// Which tables follow each section's text.
bool TableBelongsTo(const std::string& table, const std::string& section) {
  if (section == "basic") {
    return table == "area" || table == "township_groups" || table == "sector" || table == "section";
  }
  if (section == "trend") return table == "years";
  if (section == "exits") return table == "exits";
  if (section == "tiers") return table == "tiers" || table == "transitions";
  if (section == "targets") return table == "targets";
  return section == "notes" && table == "sources";
}

}  // namespace

std::string RenderReportHtml(const ReportModel& m, const ReportText& text,
                             const std::vector<ReportTable>& tables) {
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      EscapeXml(text.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  s += "<h1>" + EscapeXml(text.title) + "</h1>\n<p class=\"subtitle\">" + EscapeXml(text.subtitle) +
       "</p>\n";
  int figure = 1;
  for (const ReportSection& section : text.sections) {
    s += "<section id=\"" + EscapeXml(section.key) + "\">\n<h2>" + EscapeXml(section.heading) +
         "</h2>\n";
    for (const std::string& p : section.paragraphs) s += "<p>" + EscapeXml(p) + "</p>\n";
    s += SectionFigures(m, section.key, figure);
    for (const ReportTable& t : tables) {
      if (TableBelongsTo(t.key, section.key)) s += Table(t) + "\n";
    }
    s += "</section>\n";
  }
  return s + "</body>\n</html>\n";
}

}  // namespace getihu::analytics
