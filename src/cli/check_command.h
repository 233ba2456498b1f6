// `getihu check uscc|region|industry CODE…`: validates codes and shows their parts.
#ifndef GETIHU_CLI_CHECK_COMMAND_H_
#define GETIHU_CLI_CHECK_COMMAND_H_

#include <string>
#include <vector>

namespace getihu::cli {

// Each returns kExitOk when every code is valid, kExitInvalidInput otherwise. Output is
// Chinese text, or a JSON array (one object per code) when `json` is set.
int CheckUscc(const std::vector<std::string>& codes, const std::string& allow_list_path, bool json);
int CheckRegion(const std::vector<std::string>& codes, bool json);
int CheckIndustry(const std::vector<std::string>& codes, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_CHECK_COMMAND_H_
