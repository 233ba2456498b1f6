// `getihu serve`: the HTTP API and the web console (server/api.h). `getihu user add|list`
// and `getihu user demo`: accounts for it, with random one-time passwords printed once.
#ifndef GETIHU_CLI_SERVE_COMMAND_H_
#define GETIHU_CLI_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

void AddServeCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_SERVE_COMMAND_H_
