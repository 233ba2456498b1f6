// `getihu stats --region CODE --as-of DATE [--by DIMENSION]`: population indicators
// (analytics/indicators.h). docs/cli.md and docs/statistics.md describe them.
#ifndef GETIHU_CLI_STATS_COMMAND_H_
#define GETIHU_CLI_STATS_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

void AddStatsCommand(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_STATS_COMMAND_H_
