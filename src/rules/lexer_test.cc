#include "rules/lexer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rules/limits.h"

namespace getihu::rules {
namespace {

std::vector<TokenKind> Kinds(std::string_view text) {
  auto tokens = Tokenize(text);
  EXPECT_TRUE(tokens.has_value()) << tokens.error().ToString();
  std::vector<TokenKind> kinds;
  if (tokens) {
    for (const Token& t : *tokens) kinds.push_back(t.kind);
  }
  return kinds;
}

RuleError ErrorOf(std::string_view text) {
  auto tokens = Tokenize(text);
  EXPECT_FALSE(tokens.has_value());
  return tokens ? RuleError{} : tokens.error();
}

TEST(LexerTest, SplitsOperatorsLongestFirst) {
  EXPECT_EQ(
      Kinds("a<=b&&!c||d!=e"),
      (std::vector<TokenKind>{TokenKind::kIdent, TokenKind::kLe, TokenKind::kIdent, TokenKind::kAnd,
                              TokenKind::kNot, TokenKind::kIdent, TokenKind::kOr, TokenKind::kIdent,
                              TokenKind::kNe, TokenKind::kIdent, TokenKind::kEnd}));
}

TEST(LexerTest, ReadsMoneyAsFen) {
  auto tokens = Tokenize("¥100000 ￥12.5 ¥0.07");
  ASSERT_TRUE(tokens.has_value());
  EXPECT_EQ((*tokens)[0].value, 10000000);
  EXPECT_EQ((*tokens)[1].value, 1250);
  EXPECT_EQ((*tokens)[2].value, 7);
}

TEST(LexerTest, CountsColumnsInCharacters) {
  auto tokens = Tokenize("\"个体户\" == x\n  y");
  ASSERT_TRUE(tokens.has_value());
  EXPECT_EQ((*tokens)[1].column, 7);
  EXPECT_EQ((*tokens)[3].line, 2);
  EXPECT_EQ((*tokens)[3].column, 3);
}

TEST(LexerTest, UnescapesStrings) {
  auto tokens = Tokenize(R"("a\"b\\c")");
  ASSERT_TRUE(tokens.has_value());
  EXPECT_EQ((*tokens)[0].text, "a\"b\\c");
}

TEST(LexerTest, SkipsComments) {
  EXPECT_EQ(Kinds("a # 注释\n"), (std::vector<TokenKind>{TokenKind::kIdent, TokenKind::kEnd}));
}

TEST(LexerTest, RejectsInt64Overflow) {
  EXPECT_EQ(Kinds("9223372036854775807").size(), 2u);
  EXPECT_NE(ErrorOf("9223372036854775808").message.find("数字超出范围"), std::string::npos);
  EXPECT_NE(ErrorOf("¥92233720368547759").message.find("金额超出范围"), std::string::npos);
}

TEST(LexerTest, RejectsInvalidUtf8) {
  EXPECT_EQ(ErrorOf("a == \"\xff\"").message, "规则文本不是有效的 UTF-8");
}

TEST(LexerTest, HintsAtFullWidthPunctuation) {
  RuleError e = ErrorOf("（a）");
  EXPECT_EQ(e.column, 1);
  EXPECT_NE(e.message.find("请改用半角“(”"), std::string::npos);
}

TEST(LexerTest, RefusesTenMegabyteRuleBeforeReadingIt) {
  std::string rule(10 * 1024 * 1024, '(');
  RuleError e = ErrorOf(rule);
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.column, 1);
  EXPECT_NE(e.message.find("规则文本过长"), std::string::npos);
}

TEST(LexerTest, RefusesOneMegabyteStringLiteral) {
  std::string rule = "name == \"" + std::string(1024 * 1024, 'x') + "\"";
  EXPECT_NE(ErrorOf(rule).message.find("规则文本过长"), std::string::npos);
}

TEST(LexerTest, RefusesStringOverLimitInsideSmallRule) {
  std::string rule = "name == \"" + std::string(kMaxStringBytes + 1, 'x') + "\"";
  RuleError e = ErrorOf(rule);
  EXPECT_EQ(e.column, 9);
  EXPECT_NE(e.message.find("字符串过长"), std::string::npos);
}

TEST(LexerTest, AcceptsStringAtLimit) {
  std::string rule = "\"" + std::string(kMaxStringBytes, 'x') + "\"";
  EXPECT_EQ(Kinds(rule).size(), 2u);
}

}  // namespace
}  // namespace getihu::rules
