#include "rules/checker.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules/parser.h"

namespace getihu::rules {
namespace {

using TypeResult = RuleResult<ValueType>;
using VT = ValueType;

std::unexpected<RuleError> Fail(const Node& n, std::string message) {
  return std::unexpected(RuleError{n.line, n.column, std::move(message)});
}
std::string Name(VT t) { return std::string(ValueTypeName(t)); }
bool IsNumeric(VT t) { return t == VT::kInt || t == VT::kMoney; }
bool IsTextual(VT t) { return t == VT::kCode || t == VT::kText; }

// A literal 0 (or -0): the one integer that may stand for money, and never a divisor.
bool IsLiteralZero(const Node& n) {
  if (n.kind == NodeKind::kUnary && n.op == Op::kNeg) return IsLiteralZero(*n.children[0]);
  return n.kind == NodeKind::kLiteral && n.type == VT::kInt && n.int_value == 0;
}

std::string_view Verb(Op op) {
  switch (op) {
    case Op::kAdd:
      return "相加";
    case Op::kSub:
      return "相减";
    case Op::kMul:
      return "相乘";
    case Op::kDiv:
      return "相除";
    default:
      return "比较";
  }
}

std::unexpected<RuleError> Mismatch(const Node& n, VT a, VT b) {
  return Fail(n, "类型不匹配：不能把" + Name(a) + "与" + Name(b) + std::string(Verb(n.op)));
}

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string WithSuggestion(std::string message, std::string_view name,
                           const std::vector<std::string>& candidates, std::string_view prefix) {
  std::string best = SuggestName(name, candidates);
  if (best.empty()) return message;
  return message + "，您是否想写“" + std::string(prefix) + best + "”？";
}

const std::vector<std::string>& FunctionNames() {
  static const auto* names = new std::vector<std::string>{
      "today", "months_between", "years_between", "days_between", "min", "max",
      "abs",   "is_missing"};
  return *names;
}

class Checker {
 public:
  explicit Checker(const FieldCatalog& catalog) : catalog_(catalog) {}

  TypeResult Check(Node& n) {
    TypeResult t = CheckKind(n);
    if (t) n.type = *t;
    return t;
  }
  int cost() const { return cost_; }
  std::vector<std::string> fields() const { return {fields_.begin(), fields_.end()}; }
  std::vector<std::string> params() const { return {params_.begin(), params_.end()}; }

 private:
  TypeResult CheckKind(Node& n) {
    cost_ += n.kind == NodeKind::kCall ? 3 : n.op == Op::kIn ? 2 : 1;
    switch (n.kind) {
      case NodeKind::kLiteral:
        return n.type;
      case NodeKind::kSet:
        return CheckSet(n);
      case NodeKind::kField:
        return CheckField(n);
      case NodeKind::kParam:
        return CheckParam(n);
      case NodeKind::kUnary:
        return CheckUnary(n);
      case NodeKind::kBinary:
        return CheckBinary(n);
      case NodeKind::kCall:
        return CheckCall(n);
    }
    return Fail(n, "内部错误：未知的节点");
  }

  TypeResult CheckSet(Node& n) {
    for (auto& item : n.children) (void)Check(*item);  // text literals: cannot fail
    return VT::kCodeSet;
  }
  TypeResult CheckField(const Node& n) {
    std::optional<VT> t = catalog_.FieldType(n.text);
    if (!t) {
      return Fail(n, WithSuggestion("未知字段“" + n.text + "”", n.text, catalog_.FieldNames(), ""));
    }
    fields_.insert(n.text);
    return *t;
  }
  TypeResult CheckParam(const Node& n) {
    std::optional<VT> t = catalog_.ParamType(n.text);
    if (!t) {
      return Fail(n, WithSuggestion("未知参数“params." + n.text + "”", n.text,
                                    catalog_.ParamNames(), "params."));
    }
    params_.insert(n.text);
    return *t;
  }
  TypeResult CheckUnary(Node& n) {
    TypeResult t = Check(*n.children[0]);
    if (!t) return t;
    if (n.op == Op::kNot && *t != VT::kBool) {
      return Fail(n, "“!”只能用于布尔值，这里是" + Name(*t));
    }
    if (n.op == Op::kNeg && !IsNumeric(*t)) {
      return Fail(n, "“-”只能用于整数或金额，这里是" + Name(*t));
    }
    return t;
  }
  TypeResult CheckBinary(Node& n);
  TypeResult CheckComparison(const Node& n, VT a, VT b);
  TypeResult CheckArithmetic(const Node& n, VT a, VT b);
  TypeResult CheckCall(Node& n);
  TypeResult CheckNumericCall(Node& n, size_t arity);
  TypeResult CheckArgs(const Node& n, std::initializer_list<VT> want);

  const FieldCatalog& catalog_;
  std::set<std::string> fields_;
  std::set<std::string> params_;
  int cost_ = 0;
};

TypeResult Checker::CheckBinary(Node& n) {
  TypeResult a = Check(*n.children[0]);
  if (!a) return a;
  TypeResult b = Check(*n.children[1]);
  if (!b) return b;
  switch (n.op) {
    case Op::kAnd:
    case Op::kOr:
      if (*a != VT::kBool || *b != VT::kBool) {
        VT bad = *a != VT::kBool ? *a : *b;
        return Fail(n, "“" + std::string(n.op == Op::kAnd ? "&&" : "||") +
                           "”两边必须是布尔值，这里有" + Name(bad));
      }
      return VT::kBool;
    case Op::kIn:
      if (!IsTextual(*a)) return Fail(n, "“in”左边必须是代码或文本，这里是" + Name(*a));
      if (*b != VT::kCodeSet) return Fail(n, "“in”右边必须是集合，这里是" + Name(*b));
      return VT::kBool;
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
      return CheckArithmetic(n, *a, *b);
    default:
      return CheckComparison(n, *a, *b);
  }
}

TypeResult Checker::CheckComparison(const Node& n, VT a, VT b) {
  const Node& lhs = *n.children[0];
  const Node& rhs = *n.children[1];
  bool zero_money =
      (a == VT::kMoney && IsLiteralZero(rhs)) || (b == VT::kMoney && IsLiteralZero(lhs));
  bool ordered = n.op != Op::kEq && n.op != Op::kNe;
  if (a == VT::kCodeSet || b == VT::kCodeSet) {
    return Fail(n, "集合不能比较；判断成员请用“in”");
  }
  if (ordered && (a == VT::kBool || IsTextual(a))) {
    return Fail(n, Name(a) + "不能比较大小，只能用“==”或“!=”");
  }
  bool same = a == b || (IsTextual(a) && IsTextual(b)) || zero_money;
  if (!same) {
    std::string hint = (a == VT::kMoney && b == VT::kInt) || (a == VT::kInt && b == VT::kMoney)
                           ? "；金额请写成 ¥100000 这样的形式"
                           : "";
    return Fail(n, "类型不匹配：不能把" + Name(a) + "与" + Name(b) + "比较" + hint);
  }
  return VT::kBool;
}

TypeResult Checker::CheckArithmetic(const Node& n, VT a, VT b) {
  if (!IsNumeric(a) || !IsNumeric(b)) {
    VT bad = IsNumeric(a) ? b : a;
    return Fail(n, "算术运算只能用于整数和金额，这里有" + Name(bad));
  }
  if (n.op == Op::kDiv && IsLiteralZero(*n.children[1])) {
    return Fail(*n.children[1], "除数不能为零");
  }
  bool both_money = a == VT::kMoney && b == VT::kMoney;
  switch (n.op) {
    case Op::kAdd:
    case Op::kSub:
      if (a != b) return Mismatch(n, a, b);
      return a;
    case Op::kMul:
      if (both_money) return Mismatch(n, a, b);
      return a == VT::kMoney || b == VT::kMoney ? VT::kMoney : VT::kInt;
    default:  // kDiv: int/int, money/int
      if (b == VT::kMoney) return Mismatch(n, a, b);
      return a;
  }
}

TypeResult Checker::CheckArgs(const Node& n, std::initializer_list<VT> want) {
  if (n.children.size() != want.size()) {
    return Fail(n, "函数“" + n.text + "”需要 " + std::to_string(want.size()) + " 个参数，这里有 " +
                       std::to_string(n.children.size()) + " 个");
  }
  size_t i = 0;
  for (VT w : want) {
    TypeResult t = Check(*n.children[i]);
    if (!t) return t;
    if (*t != w) {
      return Fail(*n.children[i], "函数“" + n.text + "”的第 " + std::to_string(i + 1) +
                                      " 个参数必须是" + Name(w) + "，这里是" + Name(*t));
    }
    ++i;
  }
  return VT::kBool;
}

// min, max (two arguments of one numeric type) and abs (one): the result has that type.
TypeResult Checker::CheckNumericCall(Node& n, size_t arity) {
  const std::string& f = n.text;
  if (n.children.size() != arity) {
    return Fail(n, "函数“" + f + "”需要 " + std::to_string(arity) + " 个参数，这里有 " +
                       std::to_string(n.children.size()) + " 个");
  }
  std::vector<VT> types;
  for (auto& arg : n.children) {
    TypeResult t = Check(*arg);
    if (!t) return t;
    if (!IsNumeric(*t)) {
      return Fail(*arg, "函数“" + f + "”的参数必须是整数或金额，这里是" + Name(*t));
    }
    types.push_back(*t);
  }
  if (arity == 2 && types[0] != types[1]) {
    return Fail(n, "函数“" + f + "”的两个参数类型必须相同，这里是" + Name(types[0]) + "与" +
                       Name(types[1]));
  }
  return types[0];
}

TypeResult Checker::CheckCall(Node& n) {
  const std::string& f = n.text;
  auto typed = [](TypeResult r, VT result) -> TypeResult {
    if (!r) return r;
    return result;
  };
  if (f == "today") return typed(CheckArgs(n, {}), VT::kDate);
  if (f == "months_between" || f == "years_between" || f == "days_between") {
    return typed(CheckArgs(n, {VT::kDate, VT::kDate}), VT::kInt);
  }
  if (f == "min" || f == "max" || f == "abs") return CheckNumericCall(n, f == "abs" ? 1 : 2);
  if (f == "is_missing") {
    if (n.children.size() != 1 || n.children[0]->kind != NodeKind::kField) {
      return Fail(n, "函数“is_missing”需要一个字段名作参数，例如 is_missing(revenue)");
    }
    return typed(Check(*n.children[0]), VT::kBool);
  }
  return Fail(n, WithSuggestion("未知函数“" + f + "”", f, FunctionNames(), ""));
}

}  // namespace

std::string SuggestName(std::string_view name, const std::vector<std::string>& candidates) {
  constexpr size_t kMaxCompared = 64;  // bounds the cost on hostile names
  if (name.size() > kMaxCompared) return "";
  std::string best;
  int best_distance = static_cast<int>(std::max<size_t>(1, name.size() / 3)) + 1;
  for (const std::string& c : candidates) {
    if (c.size() > kMaxCompared) continue;
    int d = EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

RuleResult<CheckedRule> CheckRule(std::unique_ptr<Node> root, const FieldCatalog& catalog,
                                  const CheckOptions& options) {
  Checker checker(catalog);
  TypeResult type = checker.Check(*root);
  if (!type) return std::unexpected(std::move(type.error()));
  if (options.require_bool && *type != VT::kBool) {
    return Fail(*root, "规则的结果必须是布尔值（条件），这里是" + Name(*type));
  }
  CheckedRule rule;
  rule.root = std::move(root);
  rule.type = *type;
  rule.cost = checker.cost();
  rule.fields_used = checker.fields();
  rule.params_used = checker.params();
  return rule;
}

RuleResult<CheckedRule> CompileRule(std::string_view text, const FieldCatalog& catalog,
                                    const CheckOptions& options) {
  RuleResult<std::unique_ptr<Node>> root = ParseRule(text);
  if (!root) return std::unexpected(std::move(root.error()));
  return CheckRule(std::move(*root), catalog, options);
}

}  // namespace getihu::rules
