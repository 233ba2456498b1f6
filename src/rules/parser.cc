#include "rules/parser.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/date.h"
#include "rules/lexer.h"
#include "rules/limits.h"

namespace getihu::rules {
namespace {

using NodePtr = std::unique_ptr<Node>;
using NodeResult = RuleResult<NodePtr>;

// Recursive descent, one function per precedence level (docs/rules.md). Each nested
// construct passes through DepthGuard before recursing.
class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  NodeResult ParseAll() {
    if (Peek().kind == TokenKind::kEnd) return Fail(Peek(), "规则为空");
    NodeResult root = ParseOr();
    if (!root) return root;
    const Token& t = Peek();
    if (t.kind == TokenKind::kRParen) return Fail(t, "多余的右括号“)”");
    if (t.kind != TokenKind::kEnd) return Fail(t, "多余的内容“" + Spell(t) + "”");
    return root;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  static std::string Spell(const Token& t) {
    return t.text.empty() ? std::string(TokenSpelling(t.kind)) : t.text;
  }
  static std::unexpected<RuleError> Fail(const Token& t, std::string message) {
    return std::unexpected(RuleError{t.line, t.column, std::move(message)});
  }

  // Returns a new node at `t`, or a limit error.
  NodeResult Make(NodeKind kind, const Token& t) {
    if (++node_count_ > kMaxNodes) {
      return Fail(t, "规则过大：超过 " + std::to_string(kMaxNodes) + " 个节点");
    }
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->line = t.line;
    node->column = t.column;
    return node;
  }
  // Adopts `child` into `parent`, keeping heights within kMaxTreeHeight.
  RuleResult<bool> Adopt(Node& parent, NodePtr child) {
    parent.height = std::max(parent.height, child->height + 1);
    parent.children.push_back(std::move(child));
    if (parent.height > kMaxTreeHeight) {
      return std::unexpected(
          RuleError{parent.line, parent.column,
                    "表达式层次过深：上限 " + std::to_string(kMaxTreeHeight) + " 层"});
    }
    return true;
  }

  class DepthGuard {
   public:
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    bool exceeded() const { return depth_ > kMaxNestingDepth; }

   private:
    int& depth_;
  };
  std::unexpected<RuleError> TooDeep(const Token& t) {
    return Fail(t,
                "嵌套过深：括号、函数和“!”“-”最多嵌套 " + std::to_string(kMaxNestingDepth) + " 层");
  }

  NodeResult Binary(Op op, const Token& at, NodePtr lhs, NodePtr rhs) {
    NodeResult node = Make(NodeKind::kBinary, at);
    if (!node) return node;
    (*node)->op = op;
    if (auto r = Adopt(**node, std::move(lhs)); !r) return std::unexpected(r.error());
    if (auto r = Adopt(**node, std::move(rhs)); !r) return std::unexpected(r.error());
    return node;
  }

  // Left-associative level: operand { op operand }.
  template <typename Operand>
  NodeResult LeftAssoc(Operand operand, std::initializer_list<std::pair<TokenKind, Op>> ops) {
    NodeResult lhs = (this->*operand)();
    while (lhs) {
      auto it = std::find_if(ops.begin(), ops.end(),
                             [&](const auto& p) { return p.first == Peek().kind; });
      if (it == ops.end()) break;
      const Token& op_tok = Next();
      NodeResult rhs = (this->*operand)();
      if (!rhs) return rhs;
      lhs = Binary(it->second, op_tok, std::move(*lhs), std::move(*rhs));
    }
    return lhs;
  }

  NodeResult ParseOr() { return LeftAssoc(&Parser::ParseAnd, {{TokenKind::kOr, Op::kOr}}); }
  NodeResult ParseAnd() {
    return LeftAssoc(&Parser::ParseComparison, {{TokenKind::kAnd, Op::kAnd}});
  }
  NodeResult ParseComparison();
  NodeResult ParseAdditive() {
    return LeftAssoc(&Parser::ParseMultiplicative,
                     {{TokenKind::kPlus, Op::kAdd}, {TokenKind::kMinus, Op::kSub}});
  }
  NodeResult ParseMultiplicative() {
    return LeftAssoc(&Parser::ParseUnary,
                     {{TokenKind::kStar, Op::kMul}, {TokenKind::kSlash, Op::kDiv}});
  }
  NodeResult ParseUnary();
  NodeResult ParsePrimary();
  NodeResult ParseParenthesized();
  NodeResult ParseLiteral(ValueType type, int64_t value);
  NodeResult ParseSet();
  NodeResult ParseName();
  NodeResult ParseCall(const Token& name);
  NodeResult ParseDate(const Token& name);

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int node_count_ = 0;
};

std::optional<Op> ComparisonOp(TokenKind k) {
  switch (k) {
    case TokenKind::kEq:
      return Op::kEq;
    case TokenKind::kNe:
      return Op::kNe;
    case TokenKind::kLt:
      return Op::kLt;
    case TokenKind::kLe:
      return Op::kLe;
    case TokenKind::kGt:
      return Op::kGt;
    case TokenKind::kGe:
      return Op::kGe;
    case TokenKind::kIn:
      return Op::kIn;
    default:
      return std::nullopt;
  }
}

NodeResult Parser::ParseComparison() {
  NodeResult lhs = ParseAdditive();
  if (!lhs) return lhs;
  std::optional<Op> op = ComparisonOp(Peek().kind);
  if (!op) return lhs;
  const Token& op_tok = Next();
  NodeResult rhs = ParseAdditive();
  if (!rhs) return rhs;
  if (ComparisonOp(Peek().kind)) {
    return Fail(Peek(), "比较不能连写（例如 a < b < c），请用“&&”连接两个比较");
  }
  return Binary(*op, op_tok, std::move(*lhs), std::move(*rhs));
}

NodeResult Parser::ParseUnary() {
  TokenKind k = Peek().kind;
  if (k != TokenKind::kNot && k != TokenKind::kMinus) return ParsePrimary();
  const Token& op_tok = Next();
  DepthGuard guard(depth_);
  if (guard.exceeded()) return TooDeep(op_tok);
  NodeResult operand = ParseUnary();
  if (!operand) return operand;
  NodeResult node = Make(NodeKind::kUnary, op_tok);
  if (!node) return node;
  (*node)->op = k == TokenKind::kNot ? Op::kNot : Op::kNeg;
  if (auto r = Adopt(**node, std::move(*operand)); !r) return std::unexpected(r.error());
  return node;
}

NodeResult Parser::ParsePrimary() {
  const Token& t = Peek();
  switch (t.kind) {
    case TokenKind::kInt:
      return ParseLiteral(ValueType::kInt, t.value);
    case TokenKind::kMoney:
      return ParseLiteral(ValueType::kMoney, t.value);
    case TokenKind::kTrue:
      return ParseLiteral(ValueType::kBool, 1);
    case TokenKind::kFalse:
      return ParseLiteral(ValueType::kBool, 0);
    case TokenKind::kString:
      return ParseLiteral(ValueType::kText, 0);
    case TokenKind::kLBracket:
      return ParseSet();
    case TokenKind::kLParen:
      return ParseParenthesized();
    case TokenKind::kIdent:
      return ParseName();
    case TokenKind::kEnd:
      return Fail(t, "规则不完整：结尾处缺少表达式");
    default:
      return Fail(t, "此处需要一个表达式，却遇到“" + Spell(t) + "”");
  }
}

NodeResult Parser::ParseParenthesized() {
  const Token& open = Next();
  DepthGuard guard(depth_);
  if (guard.exceeded()) return TooDeep(open);
  NodeResult inner = ParseOr();
  if (!inner) return inner;
  if (Peek().kind != TokenKind::kRParen) return Fail(open, "括号没有闭合");
  Next();
  return inner;
}

NodeResult Parser::ParseLiteral(ValueType type, int64_t value) {
  const Token& t = Next();
  NodeResult node = Make(NodeKind::kLiteral, t);
  if (!node) return node;
  (*node)->type = type;
  (*node)->int_value = value;
  if (type == ValueType::kText) (*node)->text = t.text;
  return node;
}

NodeResult Parser::ParseSet() {
  const Token& open = Next();
  DepthGuard guard(depth_);
  if (guard.exceeded()) return TooDeep(open);
  NodeResult set = Make(NodeKind::kSet, open);
  if (!set) return set;
  (*set)->type = ValueType::kCodeSet;
  while (Peek().kind != TokenKind::kRBracket) {
    if (!(*set)->children.empty()) {
      if (Peek().kind != TokenKind::kComma) return Fail(open, "方括号没有闭合（或缺少逗号）");
      Next();
    }
    if (Peek().kind != TokenKind::kString) {
      if (Peek().kind == TokenKind::kEnd) return Fail(open, "方括号没有闭合");
      return Fail(Peek(), "集合中只能写字符串，例如 [\"51\", \"52\"]");
    }
    if ((*set)->children.size() >= static_cast<size_t>(kMaxSetItems)) {
      return Fail(Peek(), "集合过大：最多 " + std::to_string(kMaxSetItems) + " 项");
    }
    NodeResult item = ParseLiteral(ValueType::kText, 0);
    if (!item) return item;
    if (auto r = Adopt(**set, std::move(*item)); !r) return std::unexpected(r.error());
  }
  Next();
  return set;
}

NodeResult Parser::ParseName() {
  const Token& name = Next();
  if (name.text == "params") {
    if (Peek().kind != TokenKind::kDot || Peek(1).kind != TokenKind::kIdent) {
      return Fail(name, "“params”后面需要“.参数名”，例如 params.growth_revenue_min");
    }
    Next();
    NodeResult node = Make(NodeKind::kParam, name);
    if (node) (*node)->text = Next().text;
    return node;
  }
  if (Peek().kind == TokenKind::kLParen) {
    return name.text == "date" ? ParseDate(name) : ParseCall(name);
  }
  if (Peek().kind == TokenKind::kDot) return Fail(Peek(), "字段名中不能有“.”");
  NodeResult node = Make(NodeKind::kField, name);
  if (node) (*node)->text = name.text;
  return node;
}

NodeResult Parser::ParseCall(const Token& name) {
  const Token& open = Next();
  DepthGuard guard(depth_);
  if (guard.exceeded()) return TooDeep(open);
  NodeResult call = Make(NodeKind::kCall, name);
  if (!call) return call;
  (*call)->text = name.text;
  while (Peek().kind != TokenKind::kRParen) {
    if (!(*call)->children.empty()) {
      if (Peek().kind != TokenKind::kComma) return Fail(open, "括号没有闭合（或缺少逗号）");
      Next();
    }
    NodeResult arg = ParseOr();
    if (!arg) return arg;
    if (auto r = Adopt(**call, std::move(*arg)); !r) return std::unexpected(r.error());
  }
  Next();
  return call;
}

// date("YYYY-MM-DD") is a literal, not a call.
NodeResult Parser::ParseDate(const Token& name) {
  Next();  // "("
  const Token& s = Peek();
  if (s.kind != TokenKind::kString || Peek(1).kind != TokenKind::kRParen) {
    return Fail(name, "date(…) 里只能写一个日期字符串，例如 date(\"2026-07-01\")");
  }
  std::string_view text = s.text;
  bool iso = text.size() == 10 && text[4] == '-' && text[7] == '-';
  base::Result<base::Date> date = base::Date::Parse(text);
  if (!iso || !date.ok()) return Fail(s, "无效的日期“" + s.text + "”，请写成 YYYY-MM-DD");
  NodeResult node = Make(NodeKind::kLiteral, name);
  if (!node) return node;
  (*node)->type = ValueType::kDate;
  (*node)->int_value = date->days_since_epoch();
  Next();
  Next();
  return node;
}

}  // namespace

RuleResult<std::unique_ptr<Node>> ParseRule(std::string_view text) {
  RuleResult<std::vector<Token>> tokens = Tokenize(text);
  if (!tokens) return std::unexpected(std::move(tokens.error()));
  Parser parser(std::move(*tokens));
  return parser.ParseAll();
}

}  // namespace getihu::rules
