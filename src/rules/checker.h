// The type checker of the rule language: checks a parsed rule against a FieldCatalog,
// types every node and bounds its cost. Typing rules and messages: docs/rules.md.
// Thread-safe (the catalogue must be safe for concurrent const calls).
#ifndef GETIHU_RULES_CHECKER_H_
#define GETIHU_RULES_CHECKER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/ast.h"
#include "rules/catalog.h"
#include "rules/rule_error.h"

namespace getihu::rules {

struct CheckOptions {
  bool require_bool = true;  // a rule (condition) must be a boolean expression
};

// A rule that parsed and type-checked: every node's `type` is set.
struct CheckedRule {
  std::unique_ptr<Node> root;
  ValueType type = ValueType::kBool;
  int cost = 0;                          // static cost bound: weighted node count
  std::vector<std::string> fields_used;  // sorted, distinct
  std::vector<std::string> params_used;  // sorted, distinct, without "params."
};

// Types `root` against `catalog`. Returns the checked rule, or the first error: an unknown
// field, parameter or function (with the closest known name when one is near), a type
// mismatch, a wrong argument count, division by a literal zero, or a non-boolean rule
// when `options.require_bool`.
// REQUIRES: `root` came from ParseRule (its height is bounded).
RuleResult<CheckedRule> CheckRule(std::unique_ptr<Node> root, const FieldCatalog& catalog,
                                  const CheckOptions& options = {});

// ParseRule then CheckRule.
RuleResult<CheckedRule> CompileRule(std::string_view text, const FieldCatalog& catalog,
                                    const CheckOptions& options = {});

// Returns the name in `candidates` closest to `name` by edit distance when it is close
// enough to be a likely typo (distance ≤ max(1, length/3)), else "".
std::string SuggestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace getihu::rules

#endif  // GETIHU_RULES_CHECKER_H_
