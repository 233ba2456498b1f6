// The report's words: each sentence generated from the figures of a ReportModel (which area
// or industry leads, whether a flow rose or fell), in the register of the district reports
// sent upward. Numbers follow ../shared/domain §6.2: counts with thousands separators, growth
// always with its base (比上年末, 同比) and one decimal, 百分点 only for a difference of two
// shares. docs/report.md lists each sentence and its derivation. Pure functions; thread-safe.
#ifndef GETIHU_ANALYTICS_REPORT_TEXT_H_
#define GETIHU_ANALYTICS_REPORT_TEXT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/report.h"
#include "base/date.h"

namespace getihu::analytics {

// A heading and its paragraphs. `key` names the section for the renderers: "basic", "trend",
// "exits", "tiers", "targets", "notes".
struct ReportSection {
  std::string key;
  std::string heading;  // e.g. "一、基本情况"
  std::vector<std::string> paragraphs;
};

struct ReportText {
  std::string title;     // "巴南区个体工商户发展分析报告"
  std::string subtitle;  // "（数据截至2026年7月1日）"
  std::vector<ReportSection> sections;
};

// Writes the report. `feed_titles` gives each feed's Chinese name for the data sources (a feed
// missing from it is named by its code).
ReportText WriteReportText(const ReportModel& m,
                           const std::map<std::string, std::string>& feed_titles);

// "58,352"; negative numbers keep their sign.
std::string FormatCount(int64_t n);
// "42.2%": one decimal.
std::string FormatPercent(double percent);
// 100 × part ÷ whole, 0 when whole is 0.
double SharePercent(int64_t part, int64_t whole);
// The growth of `now` against `base` after `base_word` ("比上年末", "同比"): "比上年末增长1.9%",
// "同比下降0.4%", "与上年末持平" / "同比持平" when it rounds to 0.0, and "上年末为零，不计算增速"
// (base_word "比上年末"), "去年同期为零，不计算增速" ("同比") when the base is zero.
std::string GrowthPhrase(std::string_view base_word, int64_t now, int64_t base);
// "2026年7月1日".
std::string ChineseDate(base::Date d);
// "全区", "全县", "全市", "全省", "全旗" from the region's name; "全域" otherwise.
std::string WholeRegionWord(std::string_view region_name);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_REPORT_TEXT_H_
