// `getihu tier …`: run the yearly tiering, list runs, explain one household, compare runs,
// simulate a parameter change, the review round (objections and decisions), history, and
// export. docs/cli.md and docs/tiering.md describe the commands.
#ifndef GETIHU_CLI_TIER_COMMAND_H_
#define GETIHU_CLI_TIER_COMMAND_H_

#include <CLI/CLI.hpp>

namespace getihu::cli {

struct GlobalOptionsRef {
  const std::string* db_path;
  const bool* json;
};

void AddTierCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_TIER_COMMAND_H_
