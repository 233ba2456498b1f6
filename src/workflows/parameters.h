// The parameters staff set in the console (系统管理 → 参数设置) and the platform reads: each
// has a name, a Chinese label, a unit, a default compiled in here and a valid range. Stored
// values (storage/parameter_repository.h) override the default; a name not in the catalogue
// or a value out of range is refused with a message naming the parameter.
#ifndef GETIHU_WORKFLOWS_PARAMETERS_H_
#define GETIHU_WORKFLOWS_PARAMETERS_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::workflows {

struct ParameterSpec {
  std::string_view name;
  std::string_view label;        // Chinese, as the console shows it
  std::string_view unit;         // Chinese
  std::string_view description;  // Chinese: who reads it and what for
  int64_t default_value;
  int64_t min;
  int64_t max;
};

inline constexpr std::string_view kObjectionWindowDays = "objection.window_days";
inline constexpr std::string_view kOwnerCodeTtlMinutes = "owner_code.ttl_minutes";
inline constexpr std::string_view kOwnerCodeResendSeconds = "owner_code.resend_seconds";
inline constexpr std::string_view kNotificationMaxAttempts = "notification.max_attempts";

// Every parameter, in the order the console lists them.
std::span<const ParameterSpec> ParameterCatalogue();
// The spec named `name`; null when there is none.
const ParameterSpec* FindParameter(std::string_view name);

// The value in force: the stored one, else the default. NotFound for an unknown name.
base::Result<int64_t> ReadParameter(storage::Database& db, std::string_view name);

// Stores `value` (decimal text) for `name`. NotFound for an unknown name; InvalidArgument
// (Chinese, naming the parameter and its range) for text that is not an integer in range.
base::Status WriteParameter(storage::Database& db, std::string_view name, std::string_view value,
                            std::string_view updated_by, std::string_view updated_at);

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_PARAMETERS_H_
