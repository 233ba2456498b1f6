// `getihu copy --from FILE --to URL --yes`: moves a data pool to another database — a
// district's SQLite file to its city's PostgreSQL server — with storage::CopyDatabase.
#ifndef GETIHU_CLI_COPY_COMMAND_H_
#define GETIHU_CLI_COPY_COMMAND_H_

#include <string>

#include <CLI/CLI.hpp>

namespace getihu::cli {

// Copies every table of `from` into `to` (each a SQLite path or a postgresql:// URL; both are
// migrated first). Refuses without `confirmed`, and when `to` already holds any row. Prints
// the rows of each table and the time taken; returns the exit code (docs/cli.md).
int RunCopy(const std::string& from, const std::string& to, bool confirmed, bool json);

// Registers `copy` on `app`; `json` is the global --json flag, read when the command runs.
void AddCopyCommand(CLI::App& app, const bool& json, int& exit_code);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_COPY_COMMAND_H_
