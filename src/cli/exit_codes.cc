#include "cli/exit_codes.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace getihu::cli {

int ExitCodeFor(const base::Status& status) {
  using base::StatusCode;
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kPermissionDenied:
    case StatusCode::kResourceExhausted:
      return kExitInvalidInput;
    case StatusCode::kUnavailable:
    case StatusCode::kAborted:
      return kExitUnavailable;
    case StatusCode::kDataLoss:
      return kExitDataLoss;
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

int ReportError(const base::Status& status, bool json) {
  if (json) {
    nlohmann::ordered_json j;
    j["error"]["code"] = std::string(base::StatusCodeName(status.code()));
    j["error"]["message"] = status.message();
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::fprintf(stderr, "错误：%s\n", status.message().c_str());
  }
  return ExitCodeFor(status);
}

}  // namespace getihu::cli
