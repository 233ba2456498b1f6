// `getihu report --region CODE --as-of DATE --out DIR`: the analysis report
// (analytics/report.h) as report.html and report.xlsx in DIR. docs/report.md describes it.
// `getihu images [--as-of DATE]`: the images of the pool the reports read (analytics/
// pool_image.h), made ready ahead of them.
#ifndef GETIHU_CLI_REPORT_COMMAND_H_
#define GETIHU_CLI_REPORT_COMMAND_H_

#include <CLI/CLI.hpp>

#include "base/date.h"
#include "cli/tier_command.h"
#include "storage/database.h"

namespace getihu::cli {

void AddReportCommand(CLI::App& app, GlobalOptionsRef g, int& exit_code);

// The images of the pool named by `db_path` for the statistics as of `as_of`
// (analytics::PrepareReportImages), after a command changed the pool (an import): a line on
// stdout when some were written (none in JSON mode), a warning on stderr when they could not
// be, which leaves the command's outcome alone: the next report reads the pool instead.
void PrepareImagesAfterImport(const std::string& db_path, storage::Database& db, base::Date as_of,
                              bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_REPORT_COMMAND_H_
