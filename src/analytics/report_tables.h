// The report's tables (the .xlsx workbook, one sheet per table, and the tables of the HTML):
// built from a ReportModel as rows of text. Numeric cells hold plain numbers without
// separators ("58352", "42.17") so that a writer can store them as numbers. Pure functions;
// thread-safe.
#ifndef GETIHU_ANALYTICS_REPORT_TABLES_H_
#define GETIHU_ANALYTICS_REPORT_TABLES_H_

#include <string>
#include <vector>

#include "analytics/report.h"

namespace getihu::analytics {

struct ReportTable {
  std::string key;    // for the renderers: "area", "sector", "section", "years", "exits", …
  std::string sheet;  // worksheet name, ≤ 31 characters, e.g. "区域分布"
  std::string title;  // e.g. "表1 按乡镇（街道）分布"
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t label_columns = 1;  // leading columns that are text even when they look numeric (codes)
};

// The tables in report order: area, township groups (when defined), sector, section, years, exits
// by section, tiers and transitions (when a run exists), targets (when the region set any), data
// sources.
std::vector<ReportTable> BuildReportTables(const ReportModel& m);

// True for a cell BuildReportTables wrote as a number (outside the label columns): an optional '-',
// digits, and at most one
// '.' followed by digits.
bool IsNumericCell(const std::string& cell);

// A numeric cell as people read it: the integer part in groups of three ("58352" → "58,352",
// "-1234.5" → "-1,234.5"); other text unchanged. For the HTML and Word tables (the workbook
// keeps numbers and gives them a number format instead).
std::string GroupThousands(const std::string& cell);
// The decimals of a numeric cell ("42.17" → 2, "58352" → 0), for the workbook's number format.
int DecimalsOf(const std::string& cell);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_REPORT_TABLES_H_
