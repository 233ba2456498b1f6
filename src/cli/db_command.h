// `getihu init` and `getihu status`: create or upgrade the database, and show what it holds.
#ifndef GETIHU_CLI_DB_COMMAND_H_
#define GETIHU_CLI_DB_COMMAND_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::cli {

// Opens the database named by --db and applies pending migrations (the start-up path of
// every command that uses the database).
base::Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const std::string& db_path);

int RunInit(const std::string& db_path, bool json);
int RunStatus(const std::string& db_path, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_DB_COMMAND_H_
