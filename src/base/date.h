// Calendar dates (no time of day) as a count of days since 1970-01-01, proleptic
// Gregorian. Text form is ISO 8601 (YYYY-MM-DD). Trivially copyable; thread-compatible.
#ifndef GETIHU_BASE_DATE_H_
#define GETIHU_BASE_DATE_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::base {

class Date {
 public:
  // The earliest and latest years a Date accepts; enough for any registration record.
  static constexpr int kMinYear = 1900;
  static constexpr int kMaxYear = 2999;

  constexpr Date() = default;  // 1970-01-01

  // Returns the date, or InvalidArgument when the day does not exist (e.g. 2023-02-29)
  // or the year is outside [kMinYear, kMaxYear].
  static Result<Date> FromYmd(int year, int month, int day);

  // Parses "YYYY-MM-DD", and also the forms Chinese exports use: "YYYY/MM/DD",
  // "YYYY.MM.DD", "YYYYMMDD" and "YYYY年MM月DD日" (month and day may have one digit
  // except in "YYYYMMDD"). Returns InvalidArgument with a Chinese message otherwise.
  static Result<Date> Parse(std::string_view text);

  // Exactly "YYYY-MM-DD" (the form the data pool stores) as a real date within the years
  // accepted; nullopt for anything else. A fast path for bulk reads: Parse gives the message.
  static std::optional<Date> ParseIso(std::string_view text);

  static constexpr Date FromDays(int32_t days_since_epoch) { return Date(days_since_epoch); }

  // Excel's date serial (1900 system, with its fictitious 1900-02-29) → Date.
  static Result<Date> FromExcelSerial(double serial);

  int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31

  // Returns "YYYY-MM-DD".
  std::string ToString() const;

  Date AddDays(int32_t n) const { return Date(days_ + n); }
  // Adds calendar months; the day is clamped to the end of the target month.
  Date AddMonths(int n) const;
  Date AddYears(int n) const { return AddMonths(12 * n); }

  // Full calendar months from `from` to `to` (negative if `to` is earlier), the way ages
  // are counted, month ends clamped: 2020-01-31 → 2020-02-28 is 0, → 2020-02-29 is 1.
  static int MonthsBetween(Date from, Date to);
  // Full years, counted like MonthsBetween.
  static int YearsBetween(Date from, Date to) { return MonthsBetween(from, to) / 12; }

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  explicit constexpr Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace getihu::base

#endif  // GETIHU_BASE_DATE_H_
