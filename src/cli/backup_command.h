// `getihu backup --out FILE` and `getihu restore --from FILE --yes`: back up and restore the
// data pool. SQLite: SQLite's online backup, checked for integrity. PostgreSQL: pg_dump
// (custom format) and pg_restore --clean, which must be installed (postgresql-client).
#ifndef GETIHU_CLI_BACKUP_COMMAND_H_
#define GETIHU_CLI_BACKUP_COMMAND_H_

#include <string>

namespace getihu::cli {

int RunBackup(const std::string& db_path, const std::string& out, bool json);
// Refuses without `confirmed` (restoring replaces the current data).
int RunRestore(const std::string& db_path, const std::string& from, bool confirmed, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_BACKUP_COMMAND_H_
