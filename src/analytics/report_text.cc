#include "analytics/report_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace getihu::analytics {
namespace {

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "甲、乙和丙"; "甲和乙"; "甲".
std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? "和" : "、";
    out += items[i];
  }
  return out;
}

// The groups with a known code, at most `n`, in the order given.
std::vector<const GroupFigures*> Leading(const std::vector<GroupFigures>& groups, size_t n) {
  std::vector<const GroupFigures*> out;
  for (const GroupFigures& g : groups) {
    if (out.size() == n) break;
    if (!g.code.empty() && g.figures.stock > 0) out.push_back(&g);
  }
  return out;
}

std::string StockParagraph(const ReportModel& m) {
  const Figures& f = m.by_area.total;
  std::string s = "截至" + ChineseDate(m.as_of) + "，" + m.region_name + "登记在册个体工商户" +
                  FormatCount(f.stock) + "户，" +
                  GrowthPhrase("比上年末", f.stock, f.stock_year_end) + "，" +
                  GrowthPhrase("同比", f.stock, f.stock_last_year) + "。";
  if (f.suspended > 0) {
    s += "其中歇业" + FormatCount(f.suspended) + "户，占" +
         FormatPercent(SharePercent(f.suspended, f.stock)) + "。";
  }
  s += "今年以来新设" + FormatCount(f.new_registrations) + "户，注销、吊销" + FormatCount(f.exits) +
       "户，";
  s += f.net() >= 0 ? "净增" + FormatCount(f.net()) + "户。"
                    : "净减少" + FormatCount(-f.net()) + "户。";
  return s;
}

std::string AreaParagraph(const ReportModel& m) {
  const std::string whole = WholeRegionWord(m.region_name);
  std::vector<const GroupFigures*> top = Leading(m.by_area.groups, 3);
  if (top.empty()) return "暂无可按区域统计的登记在册个体工商户。";
  std::vector<std::string> names, counts;
  double share = 0;
  for (const GroupFigures* g : top) {
    names.push_back(g->name);
    counts.push_back(FormatCount(g->figures.stock) + "户");
    share += g->stock_share;
  }
  std::string rank = top.size() == 1 ? "居首" : top.size() == 2 ? "位居前二" : "位居前三";
  std::string s = "从区域分布看，" + JoinList(names) + rank + "，";
  s += top.size() == 1
           ? "登记在册" + counts[0] + "，占" + whole + "的" + FormatPercent(share) + "。"
           : "分别有" + JoinList(counts) + "，合计占" + whole + "的" + FormatPercent(share) + "。";
  // The fastest-growing area among those holding at least 1% of the stock, and how many shrank.
  const GroupFigures* fastest = nullptr;
  int shrinking = 0, areas = 0;
  for (const GroupFigures& g : m.by_area.groups) {
    if (g.code.empty() || g.figures.stock == 0) continue;
    ++areas;
    shrinking += g.figures.stock < g.figures.stock_year_end;
    auto growth = GrowthPercent(g.figures.stock, g.figures.stock_year_end);
    if (g.stock_share >= 1.0 && growth &&
        (!fastest ||
         *growth > *GrowthPercent(fastest->figures.stock, fastest->figures.stock_year_end))) {
      fastest = &g;
    }
  }
  if (fastest != nullptr) {
    s += "增长最快的是" + fastest->name + "，" +
         GrowthPhrase("比上年末", fastest->figures.stock, fastest->figures.stock_year_end) + "；";
    std::string kind = m.by_area.by == Dimension::kTownship ? "乡镇（街道）" : "区县";
    s += shrinking == 0 ? "各" + kind + "存量均未减少。"
                        : std::to_string(areas) + "个" + kind + "中有" + std::to_string(shrinking) +
                              "个比上年末有所减少。";
  }
  return s;
}

// Seed 000's "城区占比61.98%，花溪、李家沱贡献突出；…城乡结合部区域占比23.86%，其中界石和南泉
// …分别占…32.70%和34.97%": each township group's stock and share, and its two largest townships
// with their shares of the group.
std::string TownshipGroupParagraph(const ReportModel& m) {
  if (!m.by_township_group) return "";
  std::vector<std::string> parts;
  const GroupFigures* ungrouped = nullptr;
  for (const GroupFigures& g : m.by_township_group->groups) {
    if (g.code.empty()) {
      ungrouped = &g;
      continue;
    }
    if (g.figures.stock == 0) continue;
    std::string part = g.name + "登记在册" + FormatCount(g.figures.stock) + "户，占" +
                       FormatPercent(g.stock_share);
    std::vector<const GroupFigures*> members;  // by stock, largest first (by_area's order)
    for (const GroupFigures& t : m.by_area.groups) {
      auto it = m.township_group_of.find(t.code);
      if (it != m.township_group_of.end() && it->second == g.code && t.figures.stock > 0) {
        members.push_back(&t);
      }
    }
    if (members.size() >= 2) {
      part += "，其中" + members[0]->name + "和" + members[1]->name + "分别占该组的" +
              FormatPercent(SharePercent(members[0]->figures.stock, g.figures.stock)) + "和" +
              FormatPercent(SharePercent(members[1]->figures.stock, g.figures.stock));
    } else if (members.size() == 1) {
      part += "，均在" + members[0]->name;
    }
    parts.push_back(part);
  }
  if (parts.empty()) return "";
  std::string s = "按乡镇分组看，";
  for (size_t i = 0; i < parts.size(); ++i) s += parts[i] + (i + 1 < parts.size() ? "；" : "");
  if (ungrouped != nullptr && ungrouped->figures.stock > 0) {
    s += "；未分组的乡镇（街道）合计" + FormatCount(ungrouped->figures.stock) + "户，占" +
         FormatPercent(ungrouped->stock_share);
  }
  return s + "。";
}

std::string SectorParagraph(const ReportModel& m) {
  std::vector<std::string> parts;
  for (const GroupFigures& g : m.by_sector.groups) {
    if (g.code.empty()) continue;
    parts.push_back(g.name + FormatCount(g.figures.stock) + "户，占" +
                    FormatPercent(g.stock_share));
  }
  if (parts.empty()) return "";
  std::string s = "从三次产业看，";
  for (size_t i = 0; i < parts.size(); ++i) s += parts[i] + (i + 1 < parts.size() ? "；" : "。");
  return s;
}

std::string SectionParagraph(const ReportModel& m) {
  std::vector<const GroupFigures*> top = Leading(m.by_section.groups, 3);
  if (top.empty()) return "";
  std::string s = "从行业门类看，" + top[0]->name + "以" + FormatPercent(top[0]->stock_share) +
                  "居首（" + FormatCount(top[0]->figures.stock) + "户）";
  double share = top[0]->stock_share;
  if (top.size() > 1) {
    std::vector<std::string> rest;
    for (size_t i = 1; i < top.size(); ++i) {
      rest.push_back(top[i]->name + "（" + FormatPercent(top[i]->stock_share) + "）");
      share += top[i]->stock_share;
    }
    s += "，其次是" + JoinList(rest) + "，前" + std::string(top.size() == 2 ? "两" : "三") +
         "个行业合计占" + FormatPercent(share);
  }
  const Figures& f = top[0]->figures;
  s += "。" + top[0]->name + GrowthPhrase("比上年末", f.stock, f.stock_year_end) + "。";
  return s;
}

std::string YearsParagraph(const ReportModel& m) {
  const std::vector<YearFlows>& y = m.years;
  if (y.empty()) return "";
  auto peak = std::max_element(y.begin(), y.end(), [](const auto& a, const auto& b) {
    return a.new_registrations < b.new_registrations;
  });
  int64_t sum = 0;
  int rises = 0, falls = 0;
  for (const YearFlows& f : y) {
    sum += f.new_registrations;
    if (f.new_previous > 0) {
      rises += f.new_registrations > f.new_previous;
      falls += f.new_registrations < f.new_previous;
    }
  }
  const YearFlows& last = y.back();
  std::string s = std::to_string(y.front().year) + "年至" + std::to_string(last.year) + "年，" +
                  WholeRegionWord(m.region_name) + "累计新设个体工商户" + FormatCount(sum) +
                  "户，年均" + FormatCount(sum / static_cast<int64_t>(y.size())) + "户；其中" +
                  std::to_string(rises) + "年同比增长，" + std::to_string(falls) + "年同比下降。";
  s += "新设户数在" + std::to_string(peak->year) + "年达到峰值（" +
       FormatCount(peak->new_registrations) + "户）";
  if (peak->year != last.year && peak->new_registrations > 0) {
    s += "，" + std::to_string(last.year) + "年为峰值的" +
         FormatPercent(SharePercent(last.new_registrations, peak->new_registrations));
  }
  s += "。" + std::to_string(last.year) + "年新设" + FormatCount(last.new_registrations) + "户，" +
       GrowthPhrase("同比", last.new_registrations, last.new_previous) + "。";
  return s;
}

// "批发和零售业（1,234户，占23.1%）" for the leading groups by `value`.
std::string LeadingBy(const std::vector<GroupFigures>& groups, int64_t Figures::*value,
                      int64_t total, int64_t Figures::*previous) {
  std::vector<const GroupFigures*> sorted;
  for (const GroupFigures& g : groups) {
    if (!g.code.empty() && g.figures.*value > 0) sorted.push_back(&g);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [&](const auto* a, const auto* b) {
    return a->figures.*value > b->figures.*value;
  });
  if (sorted.size() > 3) sorted.resize(3);
  std::vector<std::string> items;
  for (const GroupFigures* g : sorted) {
    std::string item = g->name + "（" + FormatCount(g->figures.*value) + "户，占" +
                       FormatPercent(SharePercent(g->figures.*value, total));
    if (previous) item += "，" + GrowthPhrase("同比", g->figures.*value, g->figures.*previous);
    items.push_back(item + "）");
  }
  return JoinList(items);
}

std::string YearToDateParagraph(const ReportModel& m) {
  const Figures& f = m.by_area.total;
  std::string s = "今年以来（1月1日至" + std::to_string(m.as_of.month()) + "月" +
                  std::to_string(m.as_of.day()) + "日），新设个体工商户" +
                  FormatCount(f.new_registrations) + "户，" +
                  GrowthPhrase("同比", f.new_registrations, f.new_last_year);
  std::string lead =
      LeadingBy(m.by_section.groups, &Figures::new_registrations, f.new_registrations, nullptr);
  s += lead.empty() ? "。" : "，主要集中在" + lead + "。";
  return s;
}

std::string OnlineParagraph(const ReportModel& m) {
  const Figures& f = m.by_area.total;
  return "登记在册个体工商户中从事网络经营的" + FormatCount(f.online) + "户，占" +
         FormatPercent(SharePercent(f.online, f.stock)) + "。";
}

std::string ExitsParagraph(const ReportModel& m) {
  const Figures& f = m.by_area.total;
  std::string s = "今年以来，" + WholeRegionWord(m.region_name) + "注销、吊销个体工商户" +
                  FormatCount(f.exits) + "户，" + GrowthPhrase("同比", f.exits, f.exits_last_year);
  if (f.new_registrations > 0) {
    s += "；新设与注销、吊销之比为100:" +
         std::to_string(std::lround(SharePercent(f.exits, f.new_registrations)));
  }
  s += "。";
  std::string lead =
      LeadingBy(m.by_section.groups, &Figures::exits, f.exits, &Figures::exits_last_year);
  if (!lead.empty()) s += "分行业看，注销、吊销主要集中在" + lead + "。";
  if (!m.years.empty()) {
    const YearFlows& last = m.years.back();
    s += std::to_string(last.year) + "年全年注销、吊销" + FormatCount(last.exits) + "户，" +
         GrowthPhrase("同比", last.exits, last.exits_previous) + "。";
  }
  return s;
}

std::string TierSharesParagraph(const ReportModel& m) {
  const storage::TierRunRecord& run = *m.latest_run;
  const Stats& t = *m.by_tier;
  std::string s = "按分型批次" + std::to_string(run.id) + "（基准日" + ChineseDate(run.as_of) +
                  "，规则集" + run.rule_set_name + " " + run.rule_set_version + "）的结果，截至" +
                  ChineseDate(m.as_of) + "登记在册的" + FormatCount(t.total.stock) + "户中，";
  std::vector<std::string> parts;
  for (const char* code : {"development", "growth", "survival", "untyped"}) {
    for (const GroupFigures& g : t.groups) {
      if (g.code != code) continue;
      parts.push_back(g.name + FormatCount(g.figures.stock) + "户，占" +
                      FormatPercent(g.stock_share));
    }
  }
  for (size_t i = 0; i < parts.size(); ++i) s += parts[i] + (i + 1 < parts.size() ? "；" : "。");
  if (run.as_of < m.as_of) s += "分型基准日之后新设的个体工商户计入未分型。";
  return s;
}

std::string TransitionsParagraph(const ReportModel& m) {
  if (!m.transitions) return "目前只有一个分型批次，暂无可比较的上一批次。";
  const TierTransitions& t = *m.transitions;
  std::string s = "与上一分型批次" + std::to_string(t.previous.id) + "（基准日" +
                  ChineseDate(t.previous.as_of) + "）相比，两次均参与分型的" +
                  FormatCount(t.households()) + "户中，" + FormatCount(t.up()) + "户类型上升，" +
                  FormatCount(t.down()) + "户类型下降，" + FormatCount(t.unchanged()) +
                  "户保持不变";
  if (int64_t other = t.households() - t.unchanged() - t.up() - t.down(); other > 0) {
    s += "，" + FormatCount(other) + "户在已分型与未分型之间变化";
  }
  // The share of 成长型 + 发展型 among these households, before and after.
  int64_t before = 0, after = 0;
  for (int i = 0; i < kTierOutcomes; ++i) {
    for (int j = storage::kOutcomeGrowth; j < kTierOutcomes; ++j) {
      before += t.matrix[j][i];
      after += t.matrix[i][j];
    }
  }
  double a = SharePercent(before, t.households()), b = SharePercent(after, t.households());
  double diff = std::round(b * 10) / 10 - std::round(a * 10) / 10;
  s += "；成长型与发展型合计占比由" + FormatPercent(a) + "变为" + FormatPercent(b);
  s += std::abs(diff) < 0.05
           ? "，基本持平。"
           : (diff > 0 ? "，提高" : "，降低") + Fixed1(std::abs(diff)) + "个百分点。";
  return s;
}

std::string VitalityParagraph(const ReportModel& m) {
  const ActivityRate& a = m.activity;
  const std::string year = std::to_string(a.year) + "年";
  std::string s;
  if (!a.pct || a.no_data >= a.in_existence) {
    s = "从经营活跃度看，缺少" + year + "的年报、纳税和社保数据，暂无法计算活跃度。";
  } else {
    s = "从经营活跃度看，" + ChineseDate(a.status_date) + "存续（含歇业）的" +
        FormatCount(a.in_existence) + "户中，" + year + "有经营迹象的" + FormatCount(a.operating) +
        "户，活跃度为" + FormatPercent(*a.pct) +
        (a.provisional ? "（年报尚未截止，为暂定值）" : "");
    if (a.no_data > 0) {
      s += "；另有" + FormatCount(a.no_data) + "户（占" +
           FormatPercent(SharePercent(a.no_data, a.in_existence)) +
           "）当年没有任何年报、纳税或社保记录，无法判断是否经营";
    }
    s += "。";
  }
  const SurvivalRate& v = m.survival;
  const std::string cohort = std::to_string(v.cohort_year) + "年";
  if (v.cohort == 0) return s + cohort + "没有新设个体工商户，不计算三年存活率。";
  if (!v.pct) return s + cohort + "新设的个体工商户尚未满三年，暂不计算三年存活率。";
  s += cohort + "新设的" + FormatCount(v.cohort) + "户中，设立满三年时仍存续的" +
       FormatCount(v.survived) + "户，三年存活率为" + FormatPercent(*v.pct);
  if (!v.complete()) s += "（仅计已满三年的" + FormatCount(v.observable) + "户）";
  if (*v.pct < 50.0) s += "，过半新设个体工商户未能存续满三年";
  return s + "。";
}

std::vector<std::string> TargetParagraphs(const ReportModel& m) {
  const std::string year = std::to_string(m.as_of.year()) + "年";
  if (m.targets.empty()) {
    return {m.region_name + "尚未设定" + year + "发展目标，本节暂无内容。"};
  }
  int met = 0, missed = 0, unknown = 0;
  for (const TargetProgress& p : m.targets) {
    if (!p.met) {
      ++unknown;
    } else if (*p.met) {
      ++met;
    } else {
      ++missed;
    }
  }
  std::string s = year + m.region_name + "设定的" + std::to_string(m.targets.size()) +
                  "项发展目标中，截至" + ChineseDate(m.as_of) + "已达标" + std::to_string(met) +
                  "项，未达标" + std::to_string(missed) + "项";
  if (unknown > 0) s += "，暂无数据" + std::to_string(unknown) + "项";
  s += "。";
  for (size_t i = 0; i < m.targets.size(); ++i) {
    s += DescribeTargetProgress(m.targets[i]) + (i + 1 < m.targets.size() ? "；" : "。");
  }
  return {s};
}

std::string SourcesParagraph(const ReportModel& m,
                             const std::map<std::string, std::string>& feed_titles) {
  if (m.sources.empty()) return "数据来源：数据池中尚无已导入的批次。";
  std::vector<std::string> items;
  for (const storage::Batch& b : m.sources) {
    auto it = feed_titles.find(b.feed);
    std::string item = (it == feed_titles.end() ? b.feed : it->second) + "（批次" +
                       std::to_string(b.id) + "，文件" + b.file_name;
    if (b.as_of) item += "，数据截至" + ChineseDate(*b.as_of);
    item += "，" + b.imported_at.substr(0, 10) + "导入，" + FormatCount(b.rows_loaded) + "行）";
    items.push_back(item);
  }
  std::string s = "数据来源（各类数据的最新批次）：";
  for (size_t i = 0; i < items.size(); ++i) s += items[i] + (i + 1 < items.size() ? "；" : "。");
  return s;
}

// The definitions of ../shared/domain §6.3–6.4 (no national formula exists) and of the target
// measures (analytics/targets.h).
constexpr const char* kVitalityNote =
    "活跃度：某年末存续（含歇业）的个体工商户中，当年有营业额大于零的年度报告、销售额大于零的"
    "纳税记录或有参保职工的户数所占比例；当年没有任何年报、纳税或社保记录的户数单独列示；"
    "年度报告于次年6月30日截止，此前计算的为暂定值。默认报告基准日上一年的活跃度。三年存活率："
    "某年设立的个体工商户中，在设立满三年之日（2月29日设立的为满三年当年的2月28日）仍未注销、"
    "吊销的户数所占比例，个转企视为存活；默认最近一个已全部满三年的设立年份。";
constexpr const char* kTargetsNote =
    "目标完成情况：目标由本地区按年度设定；实际值为基准日可得的最新数据——在册个体工商户为基准日"
    "登记在册户数，新增个转企、新增首贷户为今年以来的户数，吸纳就业为登记在册户的经营者及雇员人数"
    "（雇员按上年参保职工数，无参保记录的按上年年报从业人数减一），活跃度、三年存活率为上述默认"
    "年份的数值；完成比例为实际值除以目标值，比率类指标按保留一位小数后的数值判断是否达标；"
    "缺少相应数据的指标注明暂无数据，不按零计。";

ReportSection Section(std::string key, std::string heading, std::vector<std::string> paragraphs) {
  std::erase(paragraphs, std::string());
  return {std::move(key), std::move(heading), std::move(paragraphs)};
}

}  // namespace

std::string FormatCount(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string FormatPercent(double percent) { return Fixed1(percent) + "%"; }

double SharePercent(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::string GrowthPhrase(std::string_view base_word, int64_t now, int64_t base) {
  std::optional<double> g = GrowthPercent(now, base);
  std::string word(base_word);
  // "比上年末" → "上年末" for "与上年末持平".
  std::string base_name =
      word.starts_with("比") ? word.substr(std::string_view("比").size()) : word;
  if (!g) return (word == "同比" ? "去年同期" : base_name) + "为零，不计算增速";
  std::string rounded = Fixed1(std::abs(*g));
  if (rounded == "0.0") return word == "同比" ? "同比持平" : "与" + base_name + "持平";
  return word + (*g > 0 ? "增长" : "下降") + rounded + "%";
}

std::string ChineseDate(base::Date d) {
  return std::to_string(d.year()) + "年" + std::to_string(d.month()) + "月" +
         std::to_string(d.day()) + "日";
}

std::string WholeRegionWord(std::string_view name) {
  for (const char* suffix : {"区", "县", "市", "省", "旗"}) {
    if (name.ends_with(suffix)) return "全" + std::string(suffix);
  }
  return "全域";
}

ReportText WriteReportText(const ReportModel& m,
                           const std::map<std::string, std::string>& feed_titles) {
  ReportText text;
  text.title = m.region_name + "个体工商户发展分析报告";
  text.subtitle = "（数据截至" + ChineseDate(m.as_of) + "）";
  text.sections.push_back(Section("basic", "一、基本情况",
                                  {StockParagraph(m), AreaParagraph(m), TownshipGroupParagraph(m),
                                   SectorParagraph(m), SectionParagraph(m)}));
  text.sections.push_back(Section(
      "trend", "二、发展趋势",
      {YearsParagraph(m), YearToDateParagraph(m), OnlineParagraph(m), VitalityParagraph(m)}));
  text.sections.push_back(Section("exits", "三、注吊销情况", {ExitsParagraph(m)}));
  std::vector<std::string> tiers;
  if (!m.latest_run) {
    tiers = {"尚未进行分型，本节暂无分型数据（运行 getihu tier run 后生成）。"};
  } else {
    tiers = {TierSharesParagraph(m), TransitionsParagraph(m)};
  }
  tiers.push_back("分类（重点群体等标签）尚未建立，暂不统计。");
  text.sections.push_back(Section("tiers", "四、分型分类情况", std::move(tiers)));
  text.sections.push_back(Section("targets", "五、目标完成情况", TargetParagraphs(m)));
  text.sections.push_back(Section("notes", "指标说明",
                                  {"登记在册指基准日处于存续（含歇业）状态的个体工商户；新设按成立"
                                   "日期、注销吊销按注销或吊销决定"
                                   "日期计入期间；今年以来指当年1月1日至基准日。比上年末增长以上年1"
                                   "2月31日为基期，同比增长以上年"
                                   "同日（存量）或上年同期（新设、注销吊销）为基期，增速保留一位小"
                                   "数；两个占比之差以百分点表示。"
                                   "区域和行业按个体工商户当前登记的乡镇（街道）、区县和行业代码归"
                                   "类，三次产业按《三次产业划分规"
                                   "定》（2018）划分。",
                                   kVitalityNote, kTargetsNote, SourcesParagraph(m, feed_titles)}));
  return text;
}

}  // namespace getihu::analytics
