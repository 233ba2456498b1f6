// A small SVG writer for the report's charts: horizontal bars (long Chinese labels), grouped
// vertical bars (a yearly series) and a pie. Each returns one <svg> element with its text
// escaped, sized by viewBox so that it scales with the page; no scripts, no external assets.
// Pure functions; thread-safe.
#ifndef GETIHU_ANALYTICS_REPORT_SVG_H_
#define GETIHU_ANALYTICS_REPORT_SVG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace getihu::analytics {

struct ChartSeries {
  std::string name;
  std::vector<int64_t> values;  // one per label
};

struct BarChart {
  std::string title;
  std::vector<std::string> labels;
  std::vector<ChartSeries> series;  // horizontal charts draw the first only
};

struct PieSlice {
  std::string label;
  int64_t value = 0;
};

// One bar per label, longest first as given, the value written after each bar.
std::string SvgHorizontalBars(const BarChart& chart);
// Labels along the x axis, one bar per series in each group, a legend and a value axis.
std::string SvgGroupedBars(const BarChart& chart);
// Slices clockwise from twelve o'clock with a legend giving each count and share. Slices of
// zero are left out; an empty or all-zero pie draws only its title.
std::string SvgPie(std::string_view title, const std::vector<PieSlice>& slices);

// Escapes &, <, >, " and ' for XML and HTML text and attribute values.
std::string EscapeXml(std::string_view text);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_REPORT_SVG_H_
