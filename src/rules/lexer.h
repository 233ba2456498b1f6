// The lexer of the rule language: rule text (UTF-8) → tokens with positions. Grammar and
// literal syntax: docs/rules.md. Stateless functions; thread-safe.
#ifndef GETIHU_RULES_LEXER_H_
#define GETIHU_RULES_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule_error.h"

namespace getihu::rules {

enum class TokenKind {
  kEnd,
  kInt,     // value: the integer
  kMoney,   // value: fen; written ¥12 or ¥12.50 (also the full-width ￥)
  kString,  // text: the unescaped contents
  kIdent,   // text: the name
  kTrue,
  kFalse,
  kIn,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kNot,
  kAnd,
  kOr,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kStar,
  kSlash,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // identifier name, string contents, or the token as written
  int64_t value = 0;  // kInt and kMoney
  int line = 1;
  int column = 1;
};

// Returns the tokens of `text`, ending with one kEnd token, or the first lexical error:
// text over kMaxRuleBytes, invalid UTF-8, an unknown character (with a hint for full-width
// punctuation), an unterminated or over-long string, a number outside int64.
RuleResult<std::vector<Token>> Tokenize(std::string_view text);

// Returns how `kind` is written in rule text, e.g. "&&" (for messages).
std::string_view TokenSpelling(TokenKind kind);

}  // namespace getihu::rules

#endif  // GETIHU_RULES_LEXER_H_
