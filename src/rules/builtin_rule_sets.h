// Rule sets shipped inside the binary (data/rules/*.toml), so that `getihu tier run` works
// without a data directory. Thread-safe (static data).
#ifndef GETIHU_RULES_BUILTIN_RULE_SETS_H_
#define GETIHU_RULES_BUILTIN_RULE_SETS_H_

#include <string_view>
#include <vector>

namespace getihu::rules {

// The name of the default tiering rule set: "default-tiering".
inline constexpr std::string_view kDefaultTiering = "default-tiering";

// The text of the built-in rule set `name`, or "" when there is none.
std::string_view BuiltinRuleSetText(std::string_view name);
std::vector<std::string_view> BuiltinRuleSetNames();

}  // namespace getihu::rules

#endif  // GETIHU_RULES_BUILTIN_RULE_SETS_H_
