#include "rules/parser.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "rules/limits.h"

namespace getihu::rules {
namespace {

RuleError ErrorOf(std::string_view text) {
  auto root = ParseRule(text);
  EXPECT_FALSE(root.has_value());
  return root ? RuleError{} : root.error();
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(ParserTest, BuildsPrecedenceTree) {
  auto root = ParseRule("a || b && c == 1 + 2 * 3");
  ASSERT_TRUE(root.has_value()) << root.error().ToString();
  const Node& n = **root;
  EXPECT_EQ(n.op, Op::kOr);
  const Node& and_node = *n.children[1];
  EXPECT_EQ(and_node.op, Op::kAnd);
  const Node& eq = *and_node.children[1];
  EXPECT_EQ(eq.op, Op::kEq);
  EXPECT_EQ(eq.children[1]->op, Op::kAdd);
  EXPECT_EQ(eq.children[1]->children[1]->op, Op::kMul);
}

TEST(ParserTest, ReadsParamsAndDates) {
  auto root = ParseRule("params.x > date(\"1970-01-02\")");
  ASSERT_TRUE(root.has_value()) << root.error().ToString();
  EXPECT_EQ((*root)->children[0]->kind, NodeKind::kParam);
  EXPECT_EQ((*root)->children[0]->text, "x");
  EXPECT_EQ((*root)->children[1]->type, ValueType::kDate);
  EXPECT_EQ((*root)->children[1]->int_value, 1);
}

TEST(ParserTest, RejectsUnclosedParenthesisAtItsPosition) {
  RuleError e = ErrorOf("a && (b || c");
  EXPECT_EQ(e.column, 6);
  EXPECT_EQ(e.message, "括号没有闭合");
}

TEST(ParserTest, RefusesHundredThousandNestedParenthesesQuickly) {
  auto start = std::chrono::steady_clock::now();
  std::string rule = Repeat("(", 100000) + "a" + Repeat(")", 100000);
  RuleError e = ErrorOf(rule);
  EXPECT_NE(e.message.find("规则文本过长"), std::string::npos);
  std::string small = Repeat("(", 30000) + "a" + Repeat(")", 30000);
  e = ErrorOf(small);
  EXPECT_EQ(e.column, kMaxNestingDepth + 1);
  EXPECT_NE(e.message.find("嵌套过深"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(ParserTest, AcceptsNestingAtTheLimit) {
  int n = kMaxNestingDepth;
  EXPECT_TRUE(ParseRule(Repeat("(", n) + "a" + Repeat(")", n)).has_value());
  EXPECT_FALSE(ParseRule(Repeat("(", n + 1) + "a" + Repeat(")", n + 1)).has_value());
}

TEST(ParserTest, RefusesDeepUnaryChains) {
  EXPECT_NE(ErrorOf(Repeat("!", 20000) + "a").message.find("嵌套过深"), std::string::npos);
  EXPECT_NE(ErrorOf(Repeat("-", 20000) + "1").message.find("嵌套过深"), std::string::npos);
}

TEST(ParserTest, RefusesTallOperatorChains) {
  std::string rule = "a" + Repeat(" || a", kMaxTreeHeight + 1);
  EXPECT_NE(ErrorOf(rule).message.find("表达式层次过深"), std::string::npos);
  EXPECT_TRUE(ParseRule("a" + Repeat(" || a", 100)).has_value());
}

TEST(ParserTest, RefusesTooManyNodes) {
  std::string rule = "x in [" + Repeat("\"1\",", 999) + "\"1\"]";
  EXPECT_TRUE(ParseRule(rule).has_value());
  std::string big = "x in [" + Repeat("\"1\",", 1000) + "\"1\"]";
  EXPECT_NE(ErrorOf(big).message.find("集合过大"), std::string::npos);
  std::string many = "f(" + Repeat("[" + Repeat("\"1\",", 50) + "\"1\"],", 250) + "1)";
  EXPECT_NE(ErrorOf(many).message.find("规则过大"), std::string::npos);
}

TEST(ParserTest, RefusesRandomGarbageWithoutCrashing) {
  for (std::string_view s : {")", "]", ",", "&&", "a &&", "f(", "f(a,", "[", "[\"a\"", "params",
                             "params.", "date(", "date(1)", "a.b", "1 2"}) {
    EXPECT_FALSE(ParseRule(s).has_value()) << s;
  }
}

}  // namespace
}  // namespace getihu::rules
