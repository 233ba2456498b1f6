// The source of "today" and "now", behind an interface so tests can fix the date.
// Implementations are thread-safe.
#ifndef GETIHU_BASE_CLOCK_H_
#define GETIHU_BASE_CLOCK_H_

#include <cstdint>

#include "base/date.h"

namespace getihu::base {

class Clock {
 public:
  virtual ~Clock() = default;
  // Today's date in China Standard Time (UTC+8), the zone every bureau works in.
  virtual Date Today() const = 0;
  // Seconds since the Unix epoch.
  virtual int64_t NowUnixSeconds() const = 0;
};

// The real clock. A process-wide instance is returned by SystemClock().
const Clock& SystemClock();

// A clock stuck at a given instant (for tests and for reproducible runs).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t unix_seconds) : now_(unix_seconds) {}
  Date Today() const override;
  int64_t NowUnixSeconds() const override { return now_; }

 private:
  int64_t now_;
};

}  // namespace getihu::base

#endif  // GETIHU_BASE_CLOCK_H_
