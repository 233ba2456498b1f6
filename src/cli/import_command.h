// `getihu import`, `getihu batches` and `getihu quality`: load department files into the data
// pool, list what was loaded, and show the data quality.
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
// Per feed and period: coverage of the households in `region` (a region code; "" = all);
// per feed: loaded, refused by reason, match rate.
int RunQuality(const std::string& db_path, const std::string& region, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_IMPORT_COMMAND_H_
