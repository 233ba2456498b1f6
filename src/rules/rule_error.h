// The error every stage of the rule language returns: a position in the rule text and a
// Chinese message for the person who wrote the rule. Value type.
#ifndef GETIHU_RULES_RULE_ERROR_H_
#define GETIHU_RULES_RULE_ERROR_H_

#include <expected>
#include <string>

namespace getihu::rules {

struct RuleError {
  int line = 1;         // 1-based
  int column = 1;       // 1-based, counted in characters (code points), not bytes
  std::string message;  // Chinese, without the position

  // Returns "第 L 行第 C 列：message".
  std::string ToString() const {
    return "第 " + std::to_string(line) + " 行第 " + std::to_string(column) + " 列：" + message;
  }
};

// A value, or the RuleError explaining why there is none.
template <typename T>
using RuleResult = std::expected<T, RuleError>;

}  // namespace getihu::rules

#endif  // GETIHU_RULES_RULE_ERROR_H_
