// `getihu report --region CODE --as-of DATE --out DIR`: the analysis report
// (analytics/report.h) as report.html and report.xlsx in DIR. docs/report.md describes it.
#ifndef GETIHU_CLI_REPORT_COMMAND_H_
#define GETIHU_CLI_REPORT_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

void AddReportCommand(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_REPORT_COMMAND_H_
