// The report as a Word document (.docx, Office Open XML WordprocessingML): the title, the
// headings and every generated paragraph, and each table as a real Word table, on A4 in the
// sober style of Chinese official reports (headings 黑体, body 宋体 四号). Charts are not
// embedded (Word needs a raster fallback for SVG); a line points to the HTML report instead.
// Thread-safe for distinct paths.
#ifndef GETIHU_ANALYTICS_REPORT_DOCX_H_
#define GETIHU_ANALYTICS_REPORT_DOCX_H_

#include <string>
#include <vector>

#include "analytics/report.h"
#include "analytics/report_tables.h"
#include "analytics/report_text.h"
#include "base/status.h"

namespace getihu::analytics {

// The line that stands where the HTML report has a chart.
inline constexpr const char* kDocxChartNote = "（图表见 HTML 版报告）";

// Writes the document to `path`, replacing any file there. The package is written to
// `path` + ".part" and renamed into place, so a failure leaves no partial file at `path`.
// `tables` as BuildReportTables(m) returns them. Unavailable when the file cannot be written;
// Internal on an unexpected libzip failure.
base::Status WriteReportDocx(const ReportModel& m, const ReportText& text,
                             const std::vector<ReportTable>& tables, const std::string& path);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_REPORT_DOCX_H_
