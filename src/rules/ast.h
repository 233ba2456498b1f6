// The syntax tree of a rule. The parser builds it; the checker fills in `type` on every
// node; the engine (later) evaluates it. Plain data, thread-compatible.
#ifndef GETIHU_RULES_AST_H_
#define GETIHU_RULES_AST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/catalog.h"

namespace getihu::rules {

enum class NodeKind {
  kLiteral,  // type kBool, kInt, kMoney, kDate or kText, fixed by the parser
  kSet,      // ["51", "52"]: children are kText literals; type kCodeSet
  kField,    // text: the field name
  kParam,    // text: the parameter name (without "params.")
  kUnary,    // op kNot or kNeg; one child
  kBinary,   // two children
  kCall,     // text: the function name; children: the arguments
};

enum class Op {
  kNone,
  kNot,
  kNeg,
  kAnd,
  kOr,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIn,
  kAdd,
  kSub,
  kMul,
  kDiv,
};

struct Node {
  NodeKind kind = NodeKind::kLiteral;
  Op op = Op::kNone;
  ValueType type = ValueType::kBool;
  // Literals: kBool 0 or 1, kInt the value, kMoney fen, kDate days since 1970-01-01.
  int64_t int_value = 0;
  std::string text;  // names, and the contents of kText literals
  std::vector<std::unique_ptr<Node>> children;
  int line = 1;
  int column = 1;
  int height = 1;  // 1 + the greatest height among the children
};

}  // namespace getihu::rules

#endif  // GETIHU_RULES_AST_H_
