#include "analytics/report_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "analytics/report_text.h"

namespace getihu::analytics {
namespace {

constexpr const char* kColors[] = {"#c0392b", "#2e86c1", "#d68910", "#239b56",
                                   "#7d3c98", "#5d6d7e", "#a04000", "#17a589"};
constexpr size_t kColorCount = std::size(kColors);

std::string F(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Open(double width, double height, std::string_view title) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 " + F(width) +
         " " + F(height) + "\" role=\"img\" aria-label=\"" + EscapeXml(title) + "\">" + "<title>" +
         EscapeXml(title) + "</title>";
}

std::string Text(double x, double y, std::string_view text, std::string_view anchor = "start",
                 std::string_view extra = "") {
  return "<text x=\"" + F(x) + "\" y=\"" + F(y) + "\" text-anchor=\"" + std::string(anchor) + "\"" +
         std::string(extra) + ">" + EscapeXml(text) + "</text>";
}

std::string Rect(double x, double y, double w, double h, std::string_view color) {
  return "<rect x=\"" + F(x) + "\" y=\"" + F(y) + "\" width=\"" + F(w) + "\" height=\"" + F(h) +
         "\" fill=\"" + std::string(color) + "\"/>";
}

// A round axis maximum at or above `v`: 1, 2 or 5 times a power of ten.
double NiceCeiling(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= v) return m * p;
  }
  return 10 * p;
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgHorizontalBars(const BarChart& chart) {
  constexpr double kWidth = 720, kLabel = 230, kBarMax = 380, kRow = 26, kTop = 36;
  size_t n = chart.labels.size();
  const std::vector<int64_t> none;
  const std::vector<int64_t>& v = chart.series.empty() ? none : chart.series[0].values;
  int64_t max = 0;
  for (size_t i = 0; i < n && i < v.size(); ++i) max = std::max(max, v[i]);
  double height = kTop + kRow * static_cast<double>(n) + 10;
  std::string s = Open(kWidth, height, chart.title);
  s += Text(kWidth / 2, 22, chart.title, "middle", " class=\"chart-title\"");
  for (size_t i = 0; i < n && i < v.size(); ++i) {
    double y = kTop + kRow * static_cast<double>(i);
    double w = max > 0 ? kBarMax * static_cast<double>(v[i]) / static_cast<double>(max) : 0;
    s += Text(kLabel - 8, y + 17, chart.labels[i], "end");
    s += Rect(kLabel, y + 4, std::max(w, 1.0), kRow - 8, kColors[0]);
    s += Text(kLabel + w + 6, y + 17, FormatCount(v[i]));
  }
  return s + "</svg>";
}

std::string SvgGroupedBars(const BarChart& chart) {
  constexpr double kWidth = 720, kHeight = 330, kLeft = 70, kRight = 700, kTop = 60, kBottom = 280;
  int64_t max = 0;
  for (const ChartSeries& series : chart.series) {
    for (int64_t v : series.values) max = std::max(max, v);
  }
  double axis = NiceCeiling(static_cast<double>(max));
  std::string s = Open(kWidth, kHeight, chart.title);
  s += Text(kWidth / 2, 22, chart.title, "middle", " class=\"chart-title\"");
  for (size_t k = 0; k < chart.series.size(); ++k) {  // legend
    double x = kLeft + 150 * static_cast<double>(k);
    s += Rect(x, 34, 14, 14, kColors[k % kColorCount]);
    s += Text(x + 20, 46, chart.series[k].name);
  }
  for (int tick = 0; tick <= 4; ++tick) {  // value axis with grid lines
    double y = kBottom - (kBottom - kTop) * tick / 4.0;
    s += "<line x1=\"" + F(kLeft) + "\" y1=\"" + F(y) + "\" x2=\"" + F(kRight) + "\" y2=\"" + F(y) +
         "\" stroke=\"#ddd\"/>";
    s += Text(kLeft - 6, y + 4, FormatCount(std::llround(axis * tick / 4.0)), "end");
  }
  size_t n = chart.labels.size(), k = std::max<size_t>(chart.series.size(), 1);
  double group = n > 0 ? (kRight - kLeft) / static_cast<double>(n) : 0;
  double bar = group * 0.8 / static_cast<double>(k);
  for (size_t i = 0; i < n; ++i) {
    double x0 = kLeft + group * static_cast<double>(i) + group * 0.1;
    for (size_t j = 0; j < chart.series.size(); ++j) {
      int64_t v = i < chart.series[j].values.size() ? chart.series[j].values[i] : 0;
      double h = (kBottom - kTop) * static_cast<double>(v) / axis;
      s += Rect(x0 + bar * static_cast<double>(j), kBottom - h, bar, h, kColors[j % kColorCount]);
    }
    s += Text(x0 + group * 0.4, kBottom + 18, chart.labels[i], "middle");
  }
  return s + "</svg>";
}

std::string SvgPie(std::string_view title, const std::vector<PieSlice>& slices) {
  constexpr double kWidth = 720, kCx = 150, kCy = 145, kR = 100;
  int64_t total = 0;
  size_t legend = 0;
  for (const PieSlice& p : slices) {
    total += std::max<int64_t>(p.value, 0);
    legend += p.value > 0;
  }
  double height = std::max(260.0, 70 + 26 * static_cast<double>(legend));
  std::string s = Open(kWidth, height, title);
  s += Text(kWidth / 2, 22, title, "middle", " class=\"chart-title\"");
  double angle = 0;  // radians clockwise from twelve o'clock
  size_t shown = 0;
  for (size_t i = 0; i < slices.size() && total > 0; ++i) {
    if (slices[i].value <= 0) continue;
    const char* color = kColors[shown % kColorCount];
    double f = static_cast<double>(slices[i].value) / static_cast<double>(total);
    double end = angle + 2 * std::numbers::pi * f;
    if (f > 0.9999) {
      s += "<circle cx=\"" + F(kCx) + "\" cy=\"" + F(kCy) + "\" r=\"" + F(kR) + "\" fill=\"" +
           color + "\"/>";
    } else {
      s += "<path d=\"M" + F(kCx) + "," + F(kCy) + " L" + F(kCx + kR * std::sin(angle)) + "," +
           F(kCy - kR * std::cos(angle)) + " A" + F(kR) + "," + F(kR) + " 0 " +
           (f > 0.5 ? "1" : "0") + ",1 " + F(kCx + kR * std::sin(end)) + "," +
           F(kCy - kR * std::cos(end)) + " Z\" fill=\"" + color + "\" stroke=\"#fff\"/>";
    }
    double y = 60 + 26 * static_cast<double>(shown);
    s += Rect(290, y - 12, 14, 14, color);
    s += Text(312, y,
              slices[i].label + "  " + FormatCount(slices[i].value) + "户（" +
                  FormatPercent(100 * f) + "）");
    angle = end;
    ++shown;
  }
  return s + "</svg>";
}

}  // namespace getihu::analytics
