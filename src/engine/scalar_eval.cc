#include "engine/scalar_eval.h"

#include <algorithm>

#include "base/money.h"
#include "domain/household.h"

namespace getihu::engine {
namespace {

using rules::Node;
using rules::NodeKind;
using rules::Op;
using VT = rules::ValueType;

Value Bool(bool b) {
  Value v;
  v.type = VT::kBool;
  v.i = b ? 1 : 0;
  return v;
}

Value Int(VT type, int64_t i) {
  Value v;
  v.type = type;
  v.i = i;
  return v;
}

Value FromTruth(Truth t) {
  if (t == Truth::kUnknown) return Value::Unknown(VT::kBool);
  return Bool(t == Truth::kTrue);
}

bool HasPrefix(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// `x in set` for a known x and a known set.
bool Contains(const Value& x, const Value& set) {
  if (set.is_honours) {
    auto kind = domain::ParseHonourKindCode(x.text);
    return kind && ((set.honour_bits >> static_cast<unsigned>(*kind)) & 1);
  }
  for (const std::string& item : set.items) {
    if (x.type == VT::kCode ? HasPrefix(x.text, item) : x.text == item) return true;
  }
  return false;
}

bool Compare(Op op, int64_t a, int64_t b) {
  switch (op) {
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    default:
      return a >= b;
  }
}

Value EvalBinary(const Node& n, const ScalarContext& ctx) {
  if (n.op == Op::kAnd || n.op == Op::kOr) {
    Truth a = EvalScalar(*n.children[0], ctx).truth();
    bool is_and = n.op == Op::kAnd;
    Truth absorbing = is_and ? Truth::kFalse : Truth::kTrue;
    if (a == absorbing) return FromTruth(absorbing);
    Truth b = EvalScalar(*n.children[1], ctx).truth();
    if (b == absorbing) return FromTruth(absorbing);
    if (a == Truth::kUnknown || b == Truth::kUnknown) return Value::Unknown(VT::kBool);
    return Bool(is_and);  // and: both true; or: both false
  }
  Value a = EvalScalar(*n.children[0], ctx);
  Value b = EvalScalar(*n.children[1], ctx);
  if (!a.known || !b.known) return Value::Unknown(n.type);
  switch (n.op) {
    case Op::kIn:
      return Bool(Contains(a, b));
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv: {
      int64_t r = 0;
      bool overflow = false;
      if (n.op == Op::kAdd) overflow = __builtin_add_overflow(a.i, b.i, &r);
      if (n.op == Op::kSub) overflow = __builtin_sub_overflow(a.i, b.i, &r);
      if (n.op == Op::kMul) overflow = __builtin_mul_overflow(a.i, b.i, &r);
      if (n.op == Op::kDiv) {
        if (b.i == 0 || (a.i == INT64_MIN && b.i == -1)) return Value::Unknown(n.type);
        r = a.i / b.i;
      }
      if (overflow) return Value::Unknown(n.type);
      return Int(n.type, r);
    }
    default:
      break;
  }
  // Comparisons.
  bool textual = a.type == VT::kCode || a.type == VT::kText;
  if (textual) {
    bool eq = a.text == b.text;
    return Bool(n.op == Op::kEq ? eq : !eq);
  }
  return Bool(Compare(n.op, a.i, b.i));
}

Value EvalCall(const Node& n, const ScalarContext& ctx) {
  const std::string& f = n.text;
  if (f == "today") return Int(VT::kDate, ctx.as_of.days_since_epoch());
  if (f == "is_missing") return Bool(!FieldValue(ctx, n.children[0]->text).known);
  std::vector<Value> args;
  for (const auto& c : n.children) {
    args.push_back(EvalScalar(*c, ctx));
    if (!args.back().known) return Value::Unknown(n.type);
  }
  if (f == "abs") {
    if (args[0].i == INT64_MIN) return Value::Unknown(n.type);
    return Int(n.type, args[0].i < 0 ? -args[0].i : args[0].i);
  }
  if (f == "min") return Int(n.type, std::min(args[0].i, args[1].i));
  if (f == "max") return Int(n.type, std::max(args[0].i, args[1].i));
  auto a = base::Date::FromDays(static_cast<int32_t>(args[0].i));
  auto b = base::Date::FromDays(static_cast<int32_t>(args[1].i));
  if (f == "days_between") return Int(VT::kInt, args[1].i - args[0].i);
  if (f == "months_between") return Int(VT::kInt, base::Date::MonthsBetween(a, b));
  return Int(VT::kInt, base::Date::YearsBetween(a, b));  // years_between
}

}  // namespace

std::string_view TruthName(Truth t) {
  switch (t) {
    case Truth::kTrue:
      return "是";
    case Truth::kFalse:
      return "否";
    default:
      return "未知";
  }
}

std::string FormatValue(const Value& v) {
  if (!v.known) return "未知";
  switch (v.type) {
    case VT::kBool:
      return v.i ? "是" : "否";
    case VT::kInt:
      return std::to_string(v.i);
    case VT::kMoney:
      return "¥" + base::Money::FromFen(v.i).ToDisplayYuan();
    case VT::kDate:
      return base::Date::FromDays(static_cast<int32_t>(v.i)).ToString();
    case VT::kCode:
    case VT::kText:
      return v.text;
    case VT::kCodeSet: {
      std::string out = "[";
      if (v.is_honours) {
        for (const auto& e : domain::kHonourKinds) {
          if ((v.honour_bits >> static_cast<unsigned>(e.value)) & 1) {
            if (out.size() > 1) out += "、";
            out += e.name;
          }
        }
      } else {
        for (const std::string& s : v.items) {
          if (out.size() > 1) out += ", ";
          out += "\"" + s + "\"";
        }
      }
      return out + "]";
    }
  }
  return "?";
}

Value FieldValue(const ScalarContext& ctx, std::string_view name) {
  const Column* c = ctx.frame ? ctx.frame->Find(name) : nullptr;
  if (name == "household_id" && ctx.frame) {
    return Int(VT::kInt, ctx.frame->household_ids()[ctx.row]);
  }
  if (!c) return Value::Unknown(VT::kCode);
  size_t row = ctx.row;
  switch (c->field->type) {
    case domain::ProfileType::kBool:
      if (!c->IsKnown(row)) return Value::Unknown(VT::kBool);
      return Bool(TestBit(c->bits, row));
    case domain::ProfileType::kInt:
      if (!c->IsKnown(row)) return Value::Unknown(VT::kInt);
      return Int(VT::kInt, c->ints.Get(row));
    case domain::ProfileType::kMoney:
      if (!c->IsKnown(row)) return Value::Unknown(VT::kMoney);
      return Int(VT::kMoney, c->ints.Get(row));
    case domain::ProfileType::kCode: {
      if (!c->IsKnown(row)) return Value::Unknown(VT::kCode);
      Value v;
      v.type = VT::kCode;
      v.text = c->dictionary[static_cast<size_t>(c->ints.Get(row))];
      return v;
    }
    case domain::ProfileType::kCodeSet: {
      Value v;
      v.type = VT::kCodeSet;
      v.is_honours = true;
      v.honour_bits = static_cast<uint32_t>(c->ints.Get(row));
      return v;
    }
  }
  return Value::Unknown(VT::kCode);
}

Value ParamValueOf(const ScalarContext& ctx, std::string_view name) {
  if (!ctx.params) return Value::Unknown(VT::kInt);
  auto it = ctx.params->find(name);
  if (it == ctx.params->end()) return Value::Unknown(VT::kInt);
  const rules::ParamValue& p = it->second;
  Value v;
  v.type = p.type;
  v.i = p.int_value;
  v.text = p.text;
  v.items = p.items;
  return v;
}

Value EvalScalar(const Node& n, const ScalarContext& ctx) {
  switch (n.kind) {
    case NodeKind::kLiteral: {
      Value v = Int(n.type, n.int_value);
      v.text = n.text;
      return v;
    }
    case NodeKind::kSet: {
      Value v;
      v.type = VT::kCodeSet;
      for (const auto& c : n.children) v.items.push_back(c->text);
      return v;
    }
    case NodeKind::kField: {
      Value v = FieldValue(ctx, n.text);
      v.type = n.type;
      return v;
    }
    case NodeKind::kParam: {
      Value v = ParamValueOf(ctx, n.text);
      v.type = n.type;
      return v;
    }
    case NodeKind::kUnary: {
      Value a = EvalScalar(*n.children[0], ctx);
      if (!a.known) return a;
      if (n.op == Op::kNot) return Bool(a.i == 0);
      if (a.i == INT64_MIN) return Value::Unknown(n.type);
      return Int(n.type, -a.i);
    }
    case NodeKind::kBinary:
      return EvalBinary(n, ctx);
    case NodeKind::kCall:
      return EvalCall(n, ctx);
  }
  return Value::Unknown(n.type);
}

bool IsConstant(const Node& n) {
  if (n.kind == NodeKind::kField) return false;
  if (n.kind == NodeKind::kCall && n.text == "is_missing") return false;
  for (const auto& c : n.children) {
    if (!IsConstant(*c)) return false;
  }
  return true;
}

}  // namespace getihu::engine
