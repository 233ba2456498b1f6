#include "base/clock.h"

#include <chrono>

namespace getihu::base {
namespace {

constexpr int64_t kChinaOffsetSeconds = 8 * 3600;

Date DateOf(int64_t unix_seconds) {
  int64_t local = unix_seconds + kChinaOffsetSeconds;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  return Date::FromDays(static_cast<int32_t>(days));
}

class RealClock final : public Clock {
 public:
  Date Today() const override { return DateOf(NowUnixSeconds()); }
  int64_t NowUnixSeconds() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

const Clock& SystemClock() {
  static const RealClock clock;
  return clock;
}

Date FixedClock::Today() const { return DateOf(now_); }

}  // namespace getihu::base
