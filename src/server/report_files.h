// The development analysis report as files (analytics/report*.h): report.html with charts,
// report.xlsx with a sheet per table and report.docx, written into a directory. Used by
// `getihu report` and by the API's report download.
#ifndef GETIHU_SERVER_REPORT_FILES_H_
#define GETIHU_SERVER_REPORT_FILES_H_

#include <string>
#include <string_view>

#include "analytics/report.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::server {

struct ReportFiles {
  std::string region_prefix, region_name;
  std::string title, subtitle, first_paragraph;
  std::string html, xlsx, docx;  // paths
  size_t tables = 0;
};

// The region a report may be written for: a province, city or county code (not a township),
// normalised to its prefix. InvalidArgument (Chinese) otherwise.
base::Result<std::string> ReportRegionPrefix(std::string_view region);

// Computes the report of `region_prefix` as of `as_of` and writes the three files into
// `out_dir` (created when missing). Unavailable when a file cannot be written. With
// `population` (loaded for that prefix and date) the pool's households are not read again,
// and `sources` may answer for what else the report reads by its rows.
base::Result<ReportFiles> WriteReportFiles(storage::Database& db, std::string_view region_prefix,
                                           base::Date as_of, const std::string& out_dir,
                                           const analytics::Population* population = nullptr,
                                           const analytics::ReportSources& sources = {});

}  // namespace getihu::server

#endif  // GETIHU_SERVER_REPORT_FILES_H_
