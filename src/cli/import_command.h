// `getihu import` and `getihu batches`: load department files into the data pool, and list
// what was loaded.
#ifndef GETIHU_CLI_IMPORT_COMMAND_H_
#define GETIHU_CLI_IMPORT_COMMAND_H_

#include <string>
#include <vector>

namespace getihu::cli {

struct ImportArgs {
  std::vector<std::string> args;  // FEED FILE… (empty with --dir)
  std::string dir;
  std::string as_of;    // "" → today
  std::string rejects;  // rejects file (only with a single FILE)
  std::string sheet;    // .xlsx sheet name
};

// Exit 0 when every row of every file loaded (or the files were already imported), 1 when
// any row or file was refused (docs/cli.md).
int RunImport(const std::string& db_path, const ImportArgs& args, bool json);
int RunBatches(const std::string& db_path, int limit, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_IMPORT_COMMAND_H_
