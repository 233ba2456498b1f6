#include "storage/value.h"

#include <cstdio>

namespace getihu::storage {

std::string CstTimestamp(int64_t unix_seconds) {
  constexpr int64_t kDay = 86400;
  constexpr int64_t kCstOffset = 8 * 3600;
  int64_t local = unix_seconds + kCstOffset;
  int64_t days = local / kDay;
  int64_t secs = local % kDay;
  if (secs < 0) {  // floor division for instants before 1970
    secs += kDay;
    --days;
  }
  char time[32];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02d+08:00", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return base::Date::FromDays(static_cast<int32_t>(days)).ToString() + time;
}

}  // namespace getihu::storage
