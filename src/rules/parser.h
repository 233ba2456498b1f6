// The parser of the rule language: rule text → syntax tree (docs/rules.md has the grammar).
// It enforces every limit of rules/limits.h and never recurses deeper than
// kMaxNestingDepth, so hostile text cannot overflow the stack. Thread-safe.
#ifndef GETIHU_RULES_PARSER_H_
#define GETIHU_RULES_PARSER_H_

#include <memory>
#include <string_view>

#include "rules/ast.h"
#include "rules/rule_error.h"

namespace getihu::rules {

// Returns the tree of `text`, or the first lexical or syntax error (with its position and
// a Chinese message), or a limit error. Names and types are not checked here.
RuleResult<std::unique_ptr<Node>> ParseRule(std::string_view text);

}  // namespace getihu::rules

#endif  // GETIHU_RULES_PARSER_H_
