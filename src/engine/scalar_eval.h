// The rule language's meaning, one household at a time: a plain recursive interpreter over a
// checked rule (rules/checker.h). It is the reference the vector evaluator (program.h) is
// tested against, it folds constant subtrees before vector evaluation, and explanations
// (explain.h) are built on it. Missing data is unknown, three-valued (Kleene): `false && x` is
// false, `true || x` is true, anything else touching an unknown is unknown. Arithmetic that
// overflows and division by zero are unknown too. Thread-safe (pure).
#ifndef GETIHU_ENGINE_SCALAR_EVAL_H_
#define GETIHU_ENGINE_SCALAR_EVAL_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "engine/frame.h"
#include "rules/ast.h"
#include "rules/rule_set.h"

namespace getihu::engine {

using Params = std::map<std::string, rules::ParamValue, std::less<>>;

enum class Truth : uint8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };
std::string_view TruthName(Truth t);  // "是", "否", "未知"

// A value of any rule type. Bool, int, money (fen) and date (days since 1970-01-01) use
// `i`; code and text use `text`; a set literal or parameter uses `items`; the `honours`
// field uses `honour_bits` with `is_honours`.
struct Value {
  rules::ValueType type = rules::ValueType::kBool;
  bool known = true;
  int64_t i = 0;
  std::string text;
  std::vector<std::string> items;
  bool is_honours = false;
  uint32_t honour_bits = 0;

  static Value Unknown(rules::ValueType t) {
    Value v;
    v.type = t;
    v.known = false;
    return v;
  }
  Truth truth() const { return !known ? Truth::kUnknown : (i != 0 ? Truth::kTrue : Truth::kFalse); }
};

// Renders a value for people: ¥1,234.56, 2026-07-01, 是/否, codes as they are, 未知.
std::string FormatValue(const Value& v);

// Where field values come from: one row of a frame.
struct ScalarContext {
  const Frame* frame = nullptr;
  size_t row = 0;
  const Params* params = nullptr;
  base::Date as_of;
};

// The value of `name` in the context's row; unknown when the frame has no such column.
Value FieldValue(const ScalarContext& ctx, std::string_view name);
// The value of params.NAME; unknown when absent.
Value ParamValueOf(const ScalarContext& ctx, std::string_view name);

// Evaluates a checked node.
Value EvalScalar(const rules::Node& node, const ScalarContext& ctx);

// True when the subtree reads no field (so it has one value for every household).
bool IsConstant(const rules::Node& node);

}  // namespace getihu::engine

#endif  // GETIHU_ENGINE_SCALAR_EVAL_H_
