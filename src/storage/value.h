// A value bound to a statement parameter. The storage conventions live here, in one place:
// integers are int64, booleans are 0/1 integers, money is int64 fen, dates are ISO 8601
// text "YYYY-MM-DD", timestamps are text "YYYY-MM-DDTHH:MM:SS+08:00" (China Standard Time,
// so text order is time order). An empty optional is NULL. Value type; thread-compatible.
#ifndef GETIHU_STORAGE_VALUE_H_
#define GETIHU_STORAGE_VALUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/date.h"
#include "base/money.h"

namespace getihu::storage {

class Value {
 public:
  enum class Type { kNull, kInt, kDouble, kText };

  Value() = default;                                 // NULL
  Value(std::nullptr_t) {}                           // NOLINT: implicit by design
  Value(int v) : v_(int64_t{v}) {}                   // NOLINT
  Value(int64_t v) : v_(v) {}                        // NOLINT
  Value(bool v) : v_(int64_t{v ? 1 : 0}) {}          // NOLINT
  Value(double v) : v_(v) {}                         // NOLINT
  Value(std::string v) : v_(std::move(v)) {}         // NOLINT
  Value(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  Value(const char* v) : v_(std::string(v)) {}       // NOLINT
  Value(base::Date d) : v_(d.ToString()) {}          // NOLINT
  Value(base::Money m) : v_(m.fen()) {}              // NOLINT
  template <typename T>
  Value(const std::optional<T>& v) {  // NOLINT: empty → NULL
    if (v.has_value()) *this = Value(*v);
  }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  // REQUIRES: type() is the one named.
  int64_t AsInt() const { return std::get<int64_t>(v_); }
  double AsDouble() const { return std::get<double>(v_); }
  const std::string& AsText() const { return std::get<std::string>(v_); }

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<std::monostate, int64_t, double, std::string> v_;
};

// Returns the stored text form of a timestamp: "YYYY-MM-DDTHH:MM:SS+08:00".
std::string CstTimestamp(int64_t unix_seconds);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_VALUE_H_
