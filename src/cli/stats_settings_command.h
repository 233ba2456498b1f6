// `getihu targets …` and `getihu township-groups …`: the statistics settings of
// storage/stats_settings_repository.h — targets per region and year whose progress
// `getihu stats` and the report show, and the groups of townships a county reports by.
// docs/cli.md and docs/statistics.md describe them.
#ifndef GETIHU_CLI_STATS_SETTINGS_COMMAND_H_
#define GETIHU_CLI_STATS_SETTINGS_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

void AddStatsSettingsCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_STATS_SETTINGS_COMMAND_H_
