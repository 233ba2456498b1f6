// Amounts of money in integer fen (分, 1/100 yuan). Never floating point.
// Trivially copyable; thread-compatible.
#ifndef GETIHU_BASE_MONEY_H_
#define GETIHU_BASE_MONEY_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::base {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money FromFen(int64_t fen) { return Money(fen); }
  static constexpr Money FromYuan(int64_t yuan) { return Money(yuan * 100); }

  // Parses an amount in yuan as departments write it: "1234", "1234.5", "1,234.56",
  // "¥1,234.56", "1234.56元", "-12.30", surrounding spaces allowed. More than two
  // decimals, other characters or amounts beyond ±10^15 yuan return InvalidArgument.
  static Result<Money> ParseYuan(std::string_view text);

  constexpr int64_t fen() const { return fen_; }

  // Returns "1234.56" (plain, for files and JSON-as-text).
  std::string ToPlainYuan() const;
  // Returns "1,234.56" (thousands separators, for people).
  std::string ToDisplayYuan() const;

  friend constexpr Money operator+(Money a, Money b) { return Money(a.fen_ + b.fen_); }
  friend constexpr Money operator-(Money a, Money b) { return Money(a.fen_ - b.fen_); }
  friend constexpr auto operator<=>(Money, Money) = default;

 private:
  explicit constexpr Money(int64_t fen) : fen_(fen) {}
  int64_t fen_ = 0;
};

}  // namespace getihu::base

#endif  // GETIHU_BASE_MONEY_H_
