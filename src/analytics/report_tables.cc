#include "analytics/report_tables.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "analytics/report_text.h"

namespace getihu::analytics {
namespace {

using Row = std::vector<std::string>;

std::string Num(int64_t n) { return std::to_string(n); }

std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The growth rate as a number with one decimal; empty when the base is zero.
std::string Growth(int64_t now, int64_t base) {
  std::optional<double> g = GrowthPercent(now, base);
  return g ? Pct(*g) : "";
}

ReportTable AreaTable(const ReportModel& m) {
  ReportTable t{"area",
                "区域分布",
                std::string("表1 按") + std::string(DimensionName(m.by_area.by)) + "分布",
                {"代码", "名称", "登记在册（户）", "占比（%）", "上年末（户）", "比上年末增长（%）",
                 "今年以来新设（户）", "今年以来注销吊销（户）"},
                {}};
  auto add = [&](const std::string& code, const std::string& name, const Figures& f, double share) {
    t.rows.push_back({code, name, Num(f.stock), Pct(share), Num(f.stock_year_end),
                      Growth(f.stock, f.stock_year_end), Num(f.new_registrations), Num(f.exits)});
  };
  t.label_columns = 2;
  for (const GroupFigures& g : m.by_area.groups) add(g.code, g.name, g.figures, g.stock_share);
  add("", "合计", m.by_area.total, 100.0);
  return t;
}

ReportTable TownshipGroupTable(const ReportModel& m) {
  ReportTable t{"township_groups",
                "乡镇分组",
                "表1-1 按乡镇分组分布",
                {"分组", "乡镇（街道）数", "登记在册（户）", "占比（%）", "上年末（户）",
                 "比上年末增长（%）", "今年以来新设（户）", "今年以来注销吊销（户）"},
                {}};
  std::map<std::string, int64_t> townships;  // group → townships with households
  for (const GroupFigures& g : m.by_area.groups) {
    auto it = m.township_group_of.find(g.code);
    ++townships[it == m.township_group_of.end() ? std::string() : it->second];
  }
  auto add = [&](const std::string& name, int64_t n, const Figures& f, double share) {
    t.rows.push_back({name, Num(n), Num(f.stock), Pct(share), Num(f.stock_year_end),
                      Growth(f.stock, f.stock_year_end), Num(f.new_registrations), Num(f.exits)});
  };
  for (const GroupFigures& g : m.by_township_group->groups) {
    add(g.name, townships[g.code], g.figures, g.stock_share);
  }
  add("合计", static_cast<int64_t>(m.by_area.groups.size()), m.by_township_group->total, 100.0);
  return t;
}

ReportTable SectorTable(const ReportModel& m) {
  ReportTable t{"sector",
                "三次产业",
                "表2 按三次产业分布",
                {"产业", "登记在册（户）", "占比（%）", "比上年末增长（%）"},
                {}};
  for (const GroupFigures& g : m.by_sector.groups) {
    t.rows.push_back({g.name, Num(g.figures.stock), Pct(g.stock_share),
                      Growth(g.figures.stock, g.figures.stock_year_end)});
  }
  return t;
}

ReportTable SectionTable(const ReportModel& m) {
  ReportTable t{"section",
                "行业门类",
                "表3 按行业门类分布",
                {"门类", "名称", "登记在册（户）", "占比（%）", "比上年末增长（%）",
                 "今年以来新设（户）", "新设同比增长（%）"},
                {}};
  t.label_columns = 2;
  for (const GroupFigures& g : m.by_section.groups) {
    const Figures& f = g.figures;
    t.rows.push_back({g.code, g.name, Num(f.stock), Pct(g.stock_share),
                      Growth(f.stock, f.stock_year_end), Num(f.new_registrations),
                      Growth(f.new_registrations, f.new_last_year)});
  }
  return t;
}

ReportTable YearsTable(const ReportModel& m) {
  ReportTable t{"years",
                "历年新设注吊销",
                "表4 历年新设与注销、吊销",
                {"年份", "新设（户）", "新设同比增长（%）", "注销吊销（户）",
                 "注销吊销同比增长（%）", "净增（户）"},
                {}};
  for (const YearFlows& y : m.years) {
    t.rows.push_back({std::to_string(y.year), Num(y.new_registrations),
                      Growth(y.new_registrations, y.new_previous), Num(y.exits),
                      Growth(y.exits, y.exits_previous), Num(y.new_registrations - y.exits)});
  }
  const Figures& f = m.by_area.total;
  t.rows.push_back({std::to_string(m.as_of.year()) + "年（截至" + std::to_string(m.as_of.month()) +
                        "月" + std::to_string(m.as_of.day()) + "日）",
                    Num(f.new_registrations), Growth(f.new_registrations, f.new_last_year),
                    Num(f.exits), Growth(f.exits, f.exits_last_year), Num(f.net())});
  return t;
}

ReportTable ExitsTable(const ReportModel& m) {
  ReportTable t{"exits",
                "注吊销行业",
                "表5 今年以来注销、吊销按行业门类",
                {"门类", "名称", "注销吊销（户）", "去年同期（户）", "同比增长（%）", "占比（%）"},
                {}};
  t.label_columns = 2;
  const Figures& total = m.by_section.total;
  for (const GroupFigures& g : m.by_section.groups) {
    const Figures& f = g.figures;
    if (f.exits == 0 && f.exits_last_year == 0) continue;
    t.rows.push_back({g.code, g.name, Num(f.exits), Num(f.exits_last_year),
                      Growth(f.exits, f.exits_last_year), Pct(SharePercent(f.exits, total.exits))});
  }
  t.rows.push_back({"", "合计", Num(total.exits), Num(total.exits_last_year),
                    Growth(total.exits, total.exits_last_year), "100.0"});
  return t;
}

ReportTable TierTable(const ReportModel& m) {
  ReportTable t{"tiers",
                "分型",
                "表6 分型结果（批次" + std::to_string(m.latest_run->id) + "）",
                {"类型", "登记在册（户）", "占比（%）"},
                {}};
  for (const GroupFigures& g : m.by_tier->groups) {
    t.rows.push_back({g.name, Num(g.figures.stock), Pct(g.stock_share)});
  }
  return t;
}

ReportTable TransitionTable(const ReportModel& m) {
  const TierTransitions& tr = *m.transitions;
  ReportTable t{"transitions",
                "类型变化",
                "表7 类型变化（行：批次" + std::to_string(tr.previous.id) + "，列：批次" +
                    std::to_string(m.latest_run->id) + "）",
                {"上一批次＼最新批次"},
                {}};
  for (int to = 0; to < kTierOutcomes; ++to) t.header.emplace_back(TierOutcomeName(to));
  for (int from = 0; from < kTierOutcomes; ++from) {
    Row row{std::string(TierOutcomeName(from))};
    for (int to = 0; to < kTierOutcomes; ++to) row.push_back(Num(tr.matrix[from][to]));
    t.rows.push_back(std::move(row));
  }
  return t;
}

ReportTable TargetsTable(const ReportModel& m) {
  ReportTable t{"targets",
                "目标完成情况",
                "表8 " + std::to_string(m.as_of.year()) + "年目标完成情况",
                {"指标", "单位", "目标值", "实际值", "完成比例（%）", "完成情况", "实际值口径"},
                {}};
  t.label_columns = 2;
  for (const TargetProgress& p : m.targets) {
    auto value = [&](std::optional<double> v) -> std::string {
      if (!v) return "暂无数据";
      return p.indicator->rate ? Pct(*v) : Num(std::llround(*v));
    };
    t.rows.push_back({std::string(p.indicator->name), std::string(p.indicator->unit),
                      value(p.target), value(p.actual), p.achieved_pct ? Pct(*p.achieved_pct) : "",
                      std::string(p.StatusText()), p.basis});
  }
  return t;
}

ReportTable SourcesTable(const ReportModel& m) {
  ReportTable t{"sources",
                "数据来源",
                "表9 数据来源（各类数据的最新批次）",
                {"数据", "批次", "文件", "数据截至", "导入时间", "有效行数", "拒绝行数"},
                {}};
  t.label_columns = 3;
  for (const storage::Batch& b : m.sources) {
    t.rows.push_back({b.feed, Num(b.id), b.file_name, b.as_of ? b.as_of->ToString() : "",
                      b.imported_at, Num(b.rows_loaded), Num(b.rows_rejected)});
  }
  return t;
}

}  // namespace

std::vector<ReportTable> BuildReportTables(const ReportModel& m) {
  std::vector<ReportTable> tables = {AreaTable(m)};
  if (m.by_township_group) tables.push_back(TownshipGroupTable(m));
  tables.push_back(SectorTable(m));
  tables.push_back(SectionTable(m));
  tables.push_back(YearsTable(m));
  tables.push_back(ExitsTable(m));
  if (m.latest_run) tables.push_back(TierTable(m));
  if (m.transitions) tables.push_back(TransitionTable(m));
  if (!m.targets.empty()) tables.push_back(TargetsTable(m));
  tables.push_back(SourcesTable(m));
  return tables;
}

bool IsNumericCell(const std::string& cell) {
  size_t i = cell.starts_with('-') ? 1 : 0, digits = 0, dots = 0;
  for (; i < cell.size(); ++i) {
    if (cell[i] == '.') {
      if (++dots > 1 || digits == 0) return false;
    } else if (cell[i] >= '0' && cell[i] <= '9') {
      ++digits;
    } else {
      return false;
    }
  }
  return digits > 0 && !cell.ends_with('.');
}

std::string GroupThousands(const std::string& cell) {
  if (!IsNumericCell(cell)) return cell;
  size_t sign = cell.starts_with('-') ? 1 : 0;
  size_t dot = cell.find('.');
  std::string digits = cell.substr(sign, (dot == std::string::npos ? cell.size() : dot) - sign);
  std::string out = cell.substr(0, sign);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  if (dot != std::string::npos) out += cell.substr(dot);
  return out;
}

int DecimalsOf(const std::string& cell) {
  size_t dot = cell.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(cell.size() - dot - 1);
}

}  // namespace getihu::analytics
