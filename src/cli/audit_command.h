// `getihu audit verify` and `getihu audit list`: check the audit log's SM3 hash chain, and
// read the log with filters page by page (storage/audit_repository.h). docs/cli.md describes
// the commands, docs/operations.md when to run them.
#ifndef GETIHU_CLI_AUDIT_COMMAND_H_
#define GETIHU_CLI_AUDIT_COMMAND_H_

#include <CLI/CLI.hpp>

#include "cli/tier_command.h"

namespace getihu::cli {

void AddAuditCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_AUDIT_COMMAND_H_
