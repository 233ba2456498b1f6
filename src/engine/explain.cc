#include "engine/explain.h"

#include <set>

#include "base/money.h"
#include "domain/household.h"
#include "domain/profile.h"

namespace getihu::engine {
namespace {

using rules::Node;
using rules::NodeKind;
using rules::Op;
using rules::Outcome;
using VT = rules::ValueType;

std::string_view OpSymbol(Op op) {
  switch (op) {
    case Op::kAnd:
      return " 且 ";
    case Op::kOr:
      return " 或 ";
    case Op::kEq:
      return " = ";
    case Op::kNe:
      return " ≠ ";
    case Op::kLt:
      return " < ";
    case Op::kLe:
      return " ≤ ";
    case Op::kGt:
      return " > ";
    case Op::kGe:
      return " ≥ ";
    case Op::kIn:
      return " 属于 ";
    case Op::kAdd:
      return " + ";
    case Op::kSub:
      return " − ";
    case Op::kMul:
      return " × ";
    case Op::kDiv:
      return " ÷ ";
    default:
      return " ? ";
  }
}

bool IsComparison(Op op) {
  return op == Op::kEq || op == Op::kNe || op == Op::kLt || op == Op::kLe || op == Op::kGt ||
         op == Op::kGe || op == Op::kIn;
}

std::string FieldLabel(std::string_view name) {
  const domain::ProfileField* f = domain::FindProfileField(name);
  return f ? std::string(f->label) : std::string(name);
}

std::string Unit(const Node& n) {
  if (n.kind != NodeKind::kField) return "";
  const domain::ProfileField* f = domain::FindProfileField(n.text);
  return f && n.type == VT::kInt ? std::string(f->unit) : "";
}

void CollectFields(const Node& n, std::set<std::string>& out) {
  if (n.kind == NodeKind::kField) out.insert(n.text);
  for (const auto& c : n.children) CollectFields(*c, out);
}

class Explainer {
 public:
  Explainer(const Tiering& tiering, size_t row) : tiering_(tiering), set_(tiering.rule_set()) {
    ctx_.frame = &tiering.frame();
    ctx_.row = row;
    ctx_.as_of = tiering.as_of();
    Value region = FieldValue(ctx_, "region");
    ctx_.params = &tiering.ParamsForRegion(region.known ? region.text : "");
  }

  Explanation Run() {
    Explanation e;
    e.household_id = tiering_.frame().household_ids()[ctx_.row];
    std::set<std::string> missing;
    for (size_t r = 0; r < set_.rows.size(); ++r) {
      const rules::DecisionRow& d = set_.rows[r];
      RowTrace rt;
      rt.row = static_cast<int>(r);
      rt.outcome = d.outcome;
      rt.reason = d.reason;
      rt.label = d.label;
      bool any_false = false, any_unknown = false;
      for (const rules::Clause& c : d.clauses) {
        ClauseTrace ct;
        ct.text = c.text;
        ct.result = EvalScalar(*c.rule.root, ctx_).truth();
        any_false |= ct.result == Truth::kFalse;
        any_unknown |= ct.result == Truth::kUnknown;
        Trace(*c.rule.root, ct.comparisons);
        std::set<std::string> fields;
        CollectFields(*c.rule.root, fields);
        for (const std::string& f : fields) {
          if (!FieldValue(ctx_, f).known) missing.insert(FieldLabel(f));
        }
        rt.clauses.push_back(std::move(ct));
      }
      rt.result = any_false ? Truth::kFalse : any_unknown ? Truth::kUnknown : Truth::kTrue;
      bool exclusion = d.outcome == Outcome::kUntyped;
      rt.hit = exclusion ? rt.result != Truth::kFalse : rt.result == Truth::kTrue;
      e.rows.push_back(std::move(rt));
      if (e.rows.back().hit) {
        e.row = static_cast<int>(r);
        break;
      }
    }
    e.missing.assign(missing.begin(), missing.end());
    if (e.row < 0) {
      e.outcome = Outcome::kUntyped;
      e.reason = "NO_MATCH";
      e.label = "不满足决策表的任何一行";
      e.summary = "未分型：不满足决策表的任何一行（NO_MATCH）。";
      return e;
    }
    const RowTrace& hit = e.rows.back();
    e.outcome = hit.outcome;
    e.label = hit.label;
    if (hit.outcome == Outcome::kUntyped) {
      if (hit.result == Truth::kUnknown) {
        e.reason = "INSUFFICIENT_DATA";
        e.summary = "未分型：数据不足，无法判断“" + hit.label + "”";
        if (!e.missing.empty()) e.summary += "，缺少" + Join(e.missing);
        e.summary += "（INSUFFICIENT_DATA）。";
      } else {
        e.reason = hit.reason;
        e.summary = "未分型：" + hit.label + "（" + hit.reason + "）。";
      }
      return e;
    }
    e.reason = hit.reason;
    e.summary = "判定为" + std::string(rules::OutcomeName(hit.outcome)) + "（决策表第 " +
                std::to_string(hit.row + 1) + " 行）。";
    int h = tiering_.HigherRow(hit.row);
    if (h >= 0) {
      const RowTrace& higher = e.rows[static_cast<size_t>(h)];
      std::string target(rules::OutcomeName(higher.outcome));
      std::vector<std::string> parts;
      for (const ClauseTrace& c : higher.clauses) {
        if (c.result == Truth::kTrue) continue;
        parts.push_back(DescribeClause(c, target));
      }
      if (!parts.empty()) e.summary += "未达到" + target + "：" + Join(parts, "；") + "。";
    }
    return e;
  }

 private:
  static std::string Join(const std::vector<std::string>& v, std::string_view sep = "、") {
    std::string out;
    for (const std::string& s : v) {
      if (!out.empty()) out += sep;
      out += s;
    }
    return out;
  }

  std::string DescribeClause(const ClauseTrace& c, const std::string& target) const {
    std::vector<std::string> parts;
    for (const ComparisonTrace& t : c.comparisons) {
      if (t.result == Truth::kTrue) continue;
      std::string s = t.subject.empty() ? t.text : t.subject;
      if (t.result == Truth::kUnknown) {
        s += "缺少数据（按较低类型处理）";
      } else if (!t.gap.empty()) {
        s += " " + t.value + "，" + t.gap + " 达到" + target + "（" + t.target + " " + t.threshold +
             "）";
      } else {
        s += "为" + t.value + "，不满足“" + t.text + "”";
      }
      parts.push_back(s);
    }
    if (parts.empty()) {
      return c.text + (c.result == Truth::kUnknown ? "：缺少数据" : "：不满足");
    }
    // A clause that is an "or" of comparisons fails only when each part fails.
    return Join(parts, c.comparisons.size() > 1 ? "，且" : "；");
  }

  // Adds a trace for each comparison and boolean field inside `n` (not under another
  // comparison).
  void Trace(const Node& n, std::vector<ComparisonTrace>& out) const {
    if (n.kind == NodeKind::kBinary && (n.op == Op::kAnd || n.op == Op::kOr)) {
      Trace(*n.children[0], out);
      Trace(*n.children[1], out);
      return;
    }
    if (IsConstant(n)) return;  // e.g. the `true` of a catch-all row
    if (n.kind == NodeKind::kUnary && n.op == Op::kNot) {
      ComparisonTrace t;
      t.text = Render(n, set_);
      t.subject = Render(*n.children[0], set_);
      Value v = EvalScalar(*n.children[0], ctx_);
      t.value = FormatValue(v);
      t.result = EvalScalar(n, ctx_).truth();
      t.threshold = "否";
      out.push_back(std::move(t));
      return;
    }
    ComparisonTrace t;
    t.text = Render(n, set_);
    t.result = EvalScalar(n, ctx_).truth();
    if (n.kind == NodeKind::kBinary && IsComparison(n.op)) {
      const Node* value_side = n.children[0].get();
      const Node* other = n.children[1].get();
      Op op = n.op;
      if (IsConstant(*value_side) && !IsConstant(*other)) {  // threshold on the left
        std::swap(value_side, other);
        op = op == Op::kLt   ? Op::kGt
             : op == Op::kLe ? Op::kGe
             : op == Op::kGt ? Op::kLt
             : op == Op::kGe ? Op::kLe
                             : op;
      }
      Value v = EvalScalar(*value_side, ctx_);
      Value c = EvalScalar(*other, ctx_);
      t.subject = Render(*value_side, set_);
      t.target = Render(*other, set_);
      t.value = Display(*value_side, v);
      t.threshold = Display(*value_side, c);
      if (t.result == Truth::kFalse && v.known && c.known &&
          (v.type == VT::kInt || v.type == VT::kMoney)) {
        t.gap = Gap(op, v, c, Unit(*value_side));
      }
    } else {
      Value v = EvalScalar(n, ctx_);
      t.subject = Render(n, set_);
      t.value = FormatValue(v);
      if (n.type == VT::kBool) t.threshold = "是";
    }
    out.push_back(std::move(t));
  }

  // A value as people read it; registration status codes by their Chinese names.
  static std::string Display(const Node& side, const Value& v) {
    if (side.kind == NodeKind::kField && side.text == "status" && v.known) {
      auto name = [](const std::string& code) {
        auto s = domain::ParseHouseholdStatusCode(code);
        return s ? std::string(domain::HouseholdStatusName(*s)) : code;
      };
      if (v.type == VT::kCodeSet) {
        std::string out;
        for (const std::string& i : v.items) out += (out.empty() ? "" : "、") + name(i);
        return "[" + out + "]";
      }
      return name(v.text);
    }
    return FormatValue(v);
  }

  static std::string Gap(Op op, const Value& v, const Value& c, const std::string& unit) {
    auto amount = [&](int64_t d) {
      if (v.type == VT::kMoney) return "¥" + base::Money::FromFen(d).ToDisplayYuan();
      return std::to_string(d) + (unit.empty() ? "" : " " + unit);
    };
    switch (op) {
      case Op::kGe:
        return "差 " + amount(c.i - v.i);
      case Op::kGt:
        return v.type == VT::kMoney ? "需大于 " + amount(c.i) : "差 " + amount(c.i - v.i + 1);
      case Op::kLe:
        return "超出 " + amount(v.i - c.i);
      case Op::kLt:
        return v.type == VT::kMoney ? "需小于 " + amount(c.i) : "超出 " + amount(v.i - c.i + 1);
      default:
        return "";
    }
  }

  const Tiering& tiering_;
  const rules::RuleSet& set_;
  ScalarContext ctx_;
};

void RenderInto(const Node& n, const rules::RuleSet& set, std::string& out, Op parent) {
  switch (n.kind) {
    case NodeKind::kLiteral: {
      Value v;
      v.type = n.type;
      v.i = n.int_value;
      v.text = n.text;
      out += n.type == VT::kText ? "“" + n.text + "”" : FormatValue(v);
      return;
    }
    case NodeKind::kSet: {
      out += "[";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += "、";
        out += n.children[i]->text;
      }
      out += "]";
      return;
    }
    case NodeKind::kField:
      out += FieldLabel(n.text);
      return;
    case NodeKind::kParam: {
      const rules::ParamDef* p = set.FindParam(n.text);
      out += p && !p->label.empty() ? p->label : "params." + n.text;
      return;
    }
    case NodeKind::kUnary:
      out += n.op == Op::kNot ? "非" : "−";
      RenderInto(*n.children[0], set, out, n.op);
      return;
    case NodeKind::kCall:
      if (n.text == "is_missing") {
        out += FieldLabel(n.children[0]->text) + "缺失";
        return;
      }
      out += n.text + "(";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ", ";
        RenderInto(*n.children[i], set, out, Op::kNone);
      }
      out += ")";
      return;
    case NodeKind::kBinary: {
      bool paren = (n.op == Op::kAnd || n.op == Op::kOr) && parent != Op::kNone && parent != n.op;
      if (paren) out += "（";
      RenderInto(*n.children[0], set, out, n.op);
      out += OpSymbol(n.op);
      RenderInto(*n.children[1], set, out, n.op);
      if (paren) out += "）";
      return;
    }
  }
}

}  // namespace

Explanation Explain(const Tiering& tiering, size_t row) { return Explainer(tiering, row).Run(); }

std::string ReasonCode(const rules::RuleSet& set, int row, uint32_t unknown_mask) {
  if (row < 0 || static_cast<size_t>(row) >= set.rows.size()) return "NO_MATCH";
  const rules::DecisionRow& d = set.rows[static_cast<size_t>(row)];
  if (d.outcome == Outcome::kUntyped && unknown_mask != 0) return "INSUFFICIENT_DATA";
  return d.reason;
}

std::string Render(const Node& node, const rules::RuleSet& set) {
  std::string out;
  RenderInto(node, set, out, Op::kNone);
  return out;
}

}  // namespace getihu::engine
