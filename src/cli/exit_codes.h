// Exit codes of the getihu command (docs/cli.md): 0 ok, 1 invalid input, 2 usage,
// 3 internal error, 4 a file or database that cannot be reached, 5 data corruption.
#ifndef GETIHU_CLI_EXIT_CODES_H_
#define GETIHU_CLI_EXIT_CODES_H_

#include "base/status.h"

namespace getihu::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalidInput = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitUnavailable = 4;
inline constexpr int kExitDataLoss = 5;

// Maps a failed Status to the exit code the command ends with.
int ExitCodeFor(const base::Status& status);

// Prints "错误：<message>" to stderr (or {"error":{code,message}} to stdout with --json)
// and returns ExitCodeFor(status).
int ReportError(const base::Status& status, bool json);

}  // namespace getihu::cli

#endif  // GETIHU_CLI_EXIT_CODES_H_
