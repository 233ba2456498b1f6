#include "base/date.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace getihu::base {
namespace {

namespace chr = std::chrono;

chr::year_month_day Ymd(int32_t days) {
  return chr::year_month_day{chr::sys_days{chr::days{days}}};
}

Status BadDate(std::string_view text) {
  return InvalidArgument("日期“" + std::string(text) + "”无效，应为 YYYY-MM-DD 格式的真实日期");
}

// Reads 1..max_digits ASCII digits at `pos`; returns -1 when there are none.
int ReadNumber(std::string_view s, size_t& pos, size_t max_digits) {
  int value = 0;
  size_t start = pos;
  while (pos < s.size() && pos - start < max_digits && s[pos] >= '0' && s[pos] <= '9') {
    value = value * 10 + (s[pos] - '0');
    ++pos;
  }
  return pos == start ? -1 : value;
}

bool Consume(std::string_view s, size_t& pos, std::string_view token) {
  if (s.substr(pos, token.size()) != token) return false;
  pos += token.size();
  return true;
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

Result<Date> Date::FromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return BadDate(buf);
  }
  chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                          chr::day{static_cast<unsigned>(day)}};
  return Date(chr::sys_days{ymd}.time_since_epoch().count());
}

std::optional<Date> Date::ParseIso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const char* p = text.data();
  auto digit = [p](int i) { return static_cast<unsigned>(static_cast<unsigned char>(p[i])) - '0'; };
  const unsigned d0 = digit(0), d1 = digit(1), d2 = digit(2), d3 = digit(3), d5 = digit(5),
                 d6 = digit(6), d8 = digit(8), d9 = digit(9);
  if ((d0 > 9) | (d1 > 9) | (d2 > 9) | (d3 > 9) | (d5 > 9) | (d6 > 9) | (d8 > 9) | (d9 > 9)) {
    return std::nullopt;
  }
  const int year = static_cast<int>(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
  const int month = static_cast<int>(d5 * 10 + d6);
  const int day = static_cast<int>(d8 * 10 + d9);
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      (day > 28 && day > DaysInMonth(year, month))) {
    return std::nullopt;
  }
  // Days from the civil date (H. Hinnant's algorithm, as std::chrono computes it).
  const int y = year - (month <= 2);
  const int era = y / 400;  // y >= kMinYear > 0
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date(era * 146097 + doe - 719468);
}

Result<Date> Date::Parse(std::string_view text) {
  // Trim ASCII spaces.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  size_t pos = 0;
  if (text.size() == 8 && text.find_first_not_of("0123456789") == std::string_view::npos) {
    int y = ReadNumber(text, pos, 4), m = ReadNumber(text, pos, 2), d = ReadNumber(text, pos, 2);
    auto r = FromYmd(y, m, d);
    return r.ok() ? r : BadDate(text);
  }
  int y = ReadNumber(text, pos, 4);
  if (y < 0 || pos != 4) return BadDate(text);
  bool chinese = false;
  char sep = 0;
  if (Consume(text, pos, "年")) {
    chinese = true;
  } else if (pos < text.size() && (text[pos] == '-' || text[pos] == '/' || text[pos] == '.')) {
    sep = text[pos++];
  } else {
    return BadDate(text);
  }
  int m = ReadNumber(text, pos, 2);
  if (m < 0) return BadDate(text);
  if (chinese ? !Consume(text, pos, "月") : !(pos < text.size() && text[pos++] == sep)) {
    return BadDate(text);
  }
  int d = ReadNumber(text, pos, 2);
  if (d < 0) return BadDate(text);
  if (chinese) Consume(text, pos, "日");
  if (pos != text.size()) return BadDate(text);
  auto r = FromYmd(y, m, d);
  return r.ok() ? r : BadDate(text);
}

Result<Date> Date::FromExcelSerial(double serial) {
  if (!std::isfinite(serial) || serial < 1 || serial > 2958465) {
    return InvalidArgument("Excel 日期序号超出范围");
  }
  auto whole = static_cast<int32_t>(std::floor(serial));
  if (whole == 60) return InvalidArgument("Excel 日期序号 60 对应不存在的 1900-02-29");
  // Serial 25569 is 1970-01-01; serials below 60 are one day off because of 1900-02-29.
  int32_t days = whole - 25569 + (whole < 60 ? 1 : 0);
  Date d(days);
  if (d.year() < kMinYear) return InvalidArgument("Excel 日期早于 1900 年");
  return d;
}

int Date::year() const { return static_cast<int>(Ymd(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(Ymd(days_).day())); }

std::string Date::ToString() const {
  auto ymd = Ymd(days_);
  int year = static_cast<int>(ymd.year());
  auto month = static_cast<unsigned>(ymd.month());
  auto day = static_cast<unsigned>(ymd.day());
  if (year < 0 || year > 9999) {  // outside FromYmd's range: only from arithmetic
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
    return buf;
  }
  // By hand: a bulk import formats millions of dates, and snprintf costs ~20x this.
  auto y = static_cast<unsigned>(year);
  return std::string{static_cast<char>('0' + y / 1000),
                     static_cast<char>('0' + y / 100 % 10),
                     static_cast<char>('0' + y / 10 % 10),
                     static_cast<char>('0' + y % 10),
                     '-',
                     static_cast<char>('0' + month / 10),
                     static_cast<char>('0' + month % 10),
                     '-',
                     static_cast<char>('0' + day / 10),
                     static_cast<char>('0' + day % 10)};
}

Date Date::AddMonths(int n) const {
  auto ymd = Ymd(days_);
  int total = static_cast<int>(ymd.year()) * 12 +
              static_cast<int>(static_cast<unsigned>(ymd.month())) - 1 + n;
  int y = total / 12, m = total % 12 + 1;
  int d = std::min(static_cast<int>(static_cast<unsigned>(ymd.day())), DaysInMonth(y, m));
  chr::year_month_day out{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                          chr::day{static_cast<unsigned>(d)}};
  return Date(chr::sys_days{out}.time_since_epoch().count());
}

int Date::MonthsBetween(Date from, Date to) {
  if (to < from) return -MonthsBetween(to, from);
  int months = (to.year() - from.year()) * 12 + (to.month() - from.month());
  if (months > 0 && from.AddMonths(months) > to) --months;
  return months;
}

}  // namespace getihu::base
