#include "rules/lexer.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "base/text.h"
#include "rules/limits.h"

namespace getihu::rules {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// Walks the text one code point at a time, tracking line and column.
// REQUIRES: the text is valid UTF-8.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  // Returns the code point at the cursor and its length in bytes.
  std::pair<char32_t, size_t> PeekCodePoint() const {
    unsigned char b = static_cast<unsigned char>(text_[pos_]);
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    for (size_t i = 1; i < len; ++i) {
      cp = (cp << 6) | (static_cast<unsigned char>(text_[pos_ + i]) & 0x3F);
    }
    return {cp, len};
  }
  std::string_view PeekBytes(size_t n) const { return text_.substr(pos_, n); }
  void Advance() {
    auto [cp, len] = PeekCodePoint();
    pos_ += len;
    if (cp == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
  }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

RuleError ErrorAt(const Cursor& c, std::string message) {
  return RuleError{c.line(), c.column(), std::move(message)};
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

// Reads decimal digits into `value`; false on int64 overflow.
bool ReadDigits(Cursor& c, int64_t& value, std::string& spelled) {
  value = 0;
  bool ok = true;
  while (IsDigit(c.Peek())) {
    int d = c.Peek() - '0';
    if (value > (kInt64Max - d) / 10) ok = false;
    if (ok) value = value * 10 + d;
    spelled += c.Peek();
    c.Advance();
  }
  return ok;
}

RuleResult<Token> LexNumber(Cursor& c, Token tok) {
  tok.kind = TokenKind::kInt;
  if (!ReadDigits(c, tok.value, tok.text)) {
    return std::unexpected(RuleError{tok.line, tok.column, "数字超出范围：" + tok.text});
  }
  if (c.Peek() == '.' && IsDigit(c.Peek(1))) {
    return std::unexpected(
        RuleError{tok.line, tok.column, "不支持小数“" + tok.text + ".”；金额请写成 ¥12.50"});
  }
  if (IsIdentChar(c.Peek())) return std::unexpected(ErrorAt(c, "数字后面不能紧跟字母"));
  return tok;
}

// After the ¥ sign: yuan digits, then optionally "." and one or two digits of fen.
RuleResult<Token> LexMoney(Cursor& c, Token tok) {
  tok.kind = TokenKind::kMoney;
  if (!IsDigit(c.Peek())) return std::unexpected(ErrorAt(c, "“¥”后面需要数字，例如 ¥100000"));
  int64_t yuan = 0;
  bool ok = ReadDigits(c, yuan, tok.text);
  int64_t fen = 0;
  if (c.Peek() == '.') {
    c.Advance();
    int digits = 0;
    while (IsDigit(c.Peek())) {
      if (++digits <= 2) fen = fen * 10 + (c.Peek() - '0');
      c.Advance();
    }
    if (digits == 0 || digits > 2) {
      return std::unexpected(RuleError{tok.line, tok.column, "金额的小数部分必须是一到两位"});
    }
    if (digits == 1) fen *= 10;
  }
  if (!ok || yuan > (kInt64Max - fen) / 100) {
    return std::unexpected(RuleError{tok.line, tok.column, "金额超出范围"});
  }
  tok.value = yuan * 100 + fen;
  return tok;
}

RuleResult<Token> LexString(Cursor& c, Token tok) {
  tok.kind = TokenKind::kString;
  c.Advance();  // the opening quote
  while (true) {
    if (c.AtEnd() || c.Peek() == '\n') {
      return std::unexpected(RuleError{tok.line, tok.column, "字符串没有结束（缺少右引号“\"”）"});
    }
    char ch = c.Peek();
    if (ch == '"') break;
    if (ch == '\\') {
      RuleError bad = ErrorAt(c, "字符串中只允许 \\\" 和 \\\\ 两种转义");
      c.Advance();
      if (c.Peek() != '"' && c.Peek() != '\\') return std::unexpected(std::move(bad));
    }
    auto [cp, len] = c.PeekCodePoint();
    tok.text += c.PeekBytes(len);
    c.Advance();
    if (tok.text.size() > kMaxStringBytes) {
      return std::unexpected(RuleError{
          tok.line, tok.column, "字符串过长：上限 " + std::to_string(kMaxStringBytes) + " 字节"});
    }
  }
  c.Advance();  // the closing quote
  return tok;
}

struct Punct {
  std::string_view spelling;
  TokenKind kind;
};
// Longest spellings first.
constexpr std::array<Punct, 18> kPuncts = {{
    {"&&", TokenKind::kAnd},
    {"||", TokenKind::kOr},
    {"==", TokenKind::kEq},
    {"!=", TokenKind::kNe},
    {"<=", TokenKind::kLe},
    {">=", TokenKind::kGe},
    {"<", TokenKind::kLt},
    {">", TokenKind::kGt},
    {"!", TokenKind::kNot},
    {"(", TokenKind::kLParen},
    {")", TokenKind::kRParen},
    {"[", TokenKind::kLBracket},
    {"]", TokenKind::kRBracket},
    {",", TokenKind::kComma},
    {".", TokenKind::kDot},
    {"+", TokenKind::kPlus},
    {"-", TokenKind::kMinus},
    {"*", TokenKind::kStar},
}};

std::string UnknownCharMessage(char32_t cp, std::string_view bytes) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) {  // full-width ASCII, common with Chinese input methods
    char ascii = static_cast<char>(cp - 0xFEE0);
    return "全角字符“" + std::string(bytes) + "”，请改用半角“" + std::string(1, ascii) + "”";
  }
  if (cp == '=') return "单个“=”不是运算符；比较相等请写“==”";
  if (cp == '&' || cp == '|') return "请写“&&”或“||”";
  return "无法识别的字符“" + std::string(bytes) + "”";
}

RuleResult<Token> LexOne(Cursor& c) {
  Token tok{TokenKind::kEnd, "", 0, c.line(), c.column()};
  char ch = c.Peek();
  if (IsDigit(ch)) return LexNumber(c, std::move(tok));
  if (ch == '"') return LexString(c, std::move(tok));
  if (IsIdentStart(ch)) {
    while (IsIdentChar(c.Peek())) {
      tok.text += c.Peek();
      c.Advance();
    }
    tok.kind = tok.text == "true"    ? TokenKind::kTrue
               : tok.text == "false" ? TokenKind::kFalse
               : tok.text == "in"    ? TokenKind::kIn
                                     : TokenKind::kIdent;
    return tok;
  }
  auto [cp, len] = c.PeekCodePoint();
  if (cp == 0xA5 || cp == 0xFFE5) {  // ¥ and ￥
    c.Advance();
    return LexMoney(c, std::move(tok));
  }
  if (ch == '/') {
    tok.kind = TokenKind::kSlash;
    c.Advance();
    return tok;
  }
  for (const Punct& p : kPuncts) {
    if (c.PeekBytes(p.spelling.size()) == p.spelling) {
      tok.kind = p.kind;
      tok.text = p.spelling;
      for (size_t i = 0; i < p.spelling.size(); ++i) c.Advance();
      return tok;
    }
  }
  return std::unexpected(ErrorAt(c, UnknownCharMessage(cp, c.PeekBytes(len))));
}

void SkipSpaceAndComments(Cursor& c) {
  while (!c.AtEnd()) {
    char ch = c.Peek();
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      c.Advance();
    } else if (ch == '#') {
      while (!c.AtEnd() && c.Peek() != '\n') c.Advance();
    } else {
      return;
    }
  }
}

}  // namespace

RuleResult<std::vector<Token>> Tokenize(std::string_view text) {
  if (text.size() > kMaxRuleBytes) {
    return std::unexpected(RuleError{1, 1,
                                     "规则文本过长：" + std::to_string(text.size()) +
                                         " 字节，上限 " + std::to_string(kMaxRuleBytes) + " 字节"});
  }
  if (!base::IsValidUtf8(text)) {
    return std::unexpected(RuleError{1, 1, "规则文本不是有效的 UTF-8"});
  }
  std::vector<Token> tokens;
  Cursor c(text);
  for (SkipSpaceAndComments(c); !c.AtEnd(); SkipSpaceAndComments(c)) {
    auto tok = LexOne(c);
    if (!tok) return std::unexpected(std::move(tok.error()));
    tokens.push_back(std::move(*tok));
  }
  tokens.push_back(Token{TokenKind::kEnd, "", 0, c.line(), c.column()});
  return tokens;
}

std::string_view TokenSpelling(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd:
      return "规则结尾";
    case TokenKind::kInt:
      return "整数";
    case TokenKind::kMoney:
      return "金额";
    case TokenKind::kString:
      return "字符串";
    case TokenKind::kIdent:
      return "名称";
    case TokenKind::kTrue:
      return "true";
    case TokenKind::kFalse:
      return "false";
    case TokenKind::kIn:
      return "in";
    case TokenKind::kSlash:
      return "/";
    default:
      break;
  }
  for (const Punct& p : kPuncts) {
    if (p.kind == kind) return p.spelling;
  }
  return "?";
}

}  // namespace getihu::rules
