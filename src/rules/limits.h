// Limits on rule text, enforced by the lexer and parser before anything is evaluated so
// that hostile text is refused cheaply. Documented in docs/rules.md.
#ifndef GETIHU_RULES_LIMITS_H_
#define GETIHU_RULES_LIMITS_H_

#include <cstddef>

namespace getihu::rules {

inline constexpr size_t kMaxRuleBytes = 64 * 1024;  // whole rule text
inline constexpr size_t kMaxStringBytes = 1024;     // one string literal, after escapes
inline constexpr int kMaxNestingDepth = 64;         // ( [ ! - and calls inside each other
inline constexpr int kMaxTreeHeight = 512;          // e.g. a chain of 512 `||`
inline constexpr int kMaxNodes = 10000;             // AST nodes, set items included
inline constexpr int kMaxSetItems = 1000;           // items of one set literal

}  // namespace getihu::rules

#endif  // GETIHU_RULES_LIMITS_H_
