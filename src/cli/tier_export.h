// `getihu tier export --run ID --format national|xlsx --out FILE`: a stored tier run in the
// national directory layout (../shared/domain §4.2: financial values as bands) or as an Excel
// workbook for staff. docs/tiering.md describes both layouts.
#ifndef GETIHU_CLI_TIER_EXPORT_H_
#define GETIHU_CLI_TIER_EXPORT_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

// Adds `export` under the `tier` command.
void AddTierExportCommand(CLI::App& tier, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_TIER_EXPORT_H_
