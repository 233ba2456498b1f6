// `getihu key generate` (a new data key file) and `getihu encrypt-pii` (seal the operators' ID
// numbers and phones a keyless program stored as plaintext). The key file is read through
// db_command.h's ConfiguredFieldCipher; docs/operations.md says how to keep it.
#ifndef GETIHU_CLI_KEY_COMMAND_H_
#define GETIHU_CLI_KEY_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

void AddKeyCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_KEY_COMMAND_H_
