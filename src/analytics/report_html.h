// The report as one self-contained HTML file: the generated text, SVG charts and the tables,
// with inline CSS declaring Chinese fonts ("Noto Sans CJK SC", "Source Han Sans SC",
// "Microsoft YaHei", "PingFang SC") so that it renders anywhere and prints on A4. No scripts,
// no external assets; every inserted text is escaped. Pure function; thread-safe.
#ifndef GETIHU_ANALYTICS_REPORT_HTML_H_
#define GETIHU_ANALYTICS_REPORT_HTML_H_

#include <string>
#include <vector>

#include "analytics/report.h"
#include "analytics/report_tables.h"
#include "analytics/report_text.h"

namespace getihu::analytics {

// Returns the UTF-8 document. `tables` as BuildReportTables(m) returns them.
std::string RenderReportHtml(const ReportModel& m, const ReportText& text,
                             const std::vector<ReportTable>& tables);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_REPORT_HTML_H_
