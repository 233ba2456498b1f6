#include "rules/rule_set.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <utility>

#include <toml++/toml.h>

#include "base/money.h"
#include "base/text.h"
#include "rules/lexer.h"
#include "rules/limits.h"
#include "rules/profile_fields.h"

namespace getihu::rules {
namespace {

using base::Result;
using base::Status;

constexpr size_t kMaxFileBytes = 1 << 20;
constexpr size_t kMaxRows = 64;
constexpr size_t kMaxClauses = 32;                   // clause masks are uint32
constexpr int64_t kMaxYuan = 1'000'000'000'000'000;  // as base::Money::ParseYuan
constexpr std::string_view kNoMatch = "NO_MATCH";

std::string Q(std::string_view s) { return "“" + std::string(s) + "”"; }

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !(IsAsciiLetter(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAsciiLetter(c) || IsDigit(c) || c == '_'; });
}

bool IsReasonCode(std::string_view s) {
  if (s.empty() || s[0] < 'A' || s[0] > 'Z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_'; });
}

bool IsRegionPrefix(std::string_view s) {
  return (s.size() == 2 || s.size() == 4 || s.size() == 6) &&
         std::all_of(s.begin(), s.end(), IsDigit);
}

// Names and versions end up in file names, URLs and database keys.
bool IsPlainName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return IsAsciiLetter(c) || IsDigit(c) || c == '-' || c == '_' || c == '.';
  });
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

// ---- Positions ----------------------------------------------------------------------------

struct Position {
  int line = 1;
  int column = 1;  // in code points
  friend auto operator<=>(const Position&, const Position&) = default;
};

size_t Utf8Length(char lead) {
  auto b = static_cast<unsigned char>(lead);
  return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

// The byte offset of `p` in `text`, or text.size() when it lies beyond the end.
size_t OffsetOf(std::string_view text, Position p) {
  size_t i = 0;
  for (int line = 1; line < p.line; ++line) {
    i = text.find('\n', i);
    if (i == std::string_view::npos) return text.size();
    ++i;
  }
  for (int col = 1; col < p.column && i < text.size() && text[i] != '\n'; ++col) {
    i += Utf8Length(text[i]);
  }
  return std::min(i, text.size());
}

// Walks the source of a TOML string one character of its value at a time.
class StringWalker {
 public:
  StringWalker(std::string_view file, size_t i, Position raw) : file_(file), i_(i), raw_(raw) {}

  bool AtEnd() const { return i_ >= file_.size(); }
  bool StartsWith(std::string_view s) const { return file_.substr(i_).starts_with(s); }
  char Peek(size_t ahead = 0) const { return i_ + ahead < file_.size() ? file_[i_ + ahead] : '\0'; }
  Position raw() const { return raw_; }
  // Skips `n` ASCII bytes on one line.
  void Skip(size_t n) {
    i_ += n;
    raw_.column += static_cast<int>(n);
  }
  // Skips a line break ("\n" or "\r\n") when there is one; returns whether there was.
  bool SkipNewline() {
    size_t n = StartsWith("\n") ? 1 : StartsWith("\r\n") ? 2 : 0;
    if (n == 0) return false;
    i_ += n;
    raw_ = {raw_.line + 1, 1};
    return true;
  }
  void SkipCodePoint() {
    i_ += Utf8Length(file_[i_]);
    ++raw_.column;
  }

 private:
  std::string_view file_;
  size_t i_;
  Position raw_;
};

// Maps `target`, a position in the value of the TOML string whose opening delimiter is at
// `open` in `file`, to a position in the file, by walking the string's source while decoding
// it (escapes of basic strings, the line break trimmed after an opening ''' or """). nullopt
// when no string starts at `open`.
std::optional<Position> MapIntoString(std::string_view file, Position open, Position target) {
  StringWalker w(file, OffsetOf(file, open), open);
  const bool basic = w.StartsWith("\"");
  if (!basic && !w.StartsWith("'")) return std::nullopt;
  const std::string_view triple = basic ? "\"\"\"" : "'''";
  const bool multi = w.StartsWith(triple);
  w.Skip(multi ? 3 : 1);
  if (multi) w.SkipNewline();
  Position decoded;
  while (!w.AtEnd()) {
    if (multi ? w.StartsWith(triple) : (w.Peek() == triple[0] || w.Peek() == '\n')) break;
    if (basic && w.Peek() == '\\' &&
        std::string_view(" \t\r\n").find(w.Peek(1)) != std::string_view::npos) {
      w.Skip(1);  // a line-ending backslash: it, the break and the blanks after it vanish
      while (w.SkipNewline() || w.Peek() == ' ' || w.Peek() == '\t') {
        if (w.Peek() == ' ' || w.Peek() == '\t') w.Skip(1);
      }
      continue;
    }
    if (!(decoded < target)) break;
    if (w.SkipNewline()) {
      decoded = {decoded.line + 1, 1};
    } else if (basic && w.Peek() == '\\') {
      const char e = w.Peek(1);
      w.Skip(e == 'u' ? 6 : e == 'U' ? 10 : 2);
      decoded =
          e == 'n' ? Position{decoded.line + 1, 1} : Position{decoded.line, decoded.column + 1};
    } else {
      w.SkipCodePoint();
      ++decoded.column;
    }
  }
  return w.raw();
}

// Builds the errors of one file: InvalidArgument "SOURCE 第 N 行[第 C 列]：message".
class Reporter {
 public:
  Reporter(std::string_view source, std::string_view text) : source_(source), text_(text) {}

  Status At(int line, std::string_view message) const {
    return base::InvalidArgument(source_ + " 第 " + std::to_string(line) + " 行：" +
                                 std::string(message));
  }
  Status At(Position p, std::string_view message) const {
    return base::InvalidArgument(source_ + " 第 " + std::to_string(p.line) + " 行第 " +
                                 std::to_string(p.column) + " 列：" + std::string(message));
  }
  Status At(const toml::source_region& where, std::string_view message) const {
    return At(static_cast<int>(where.begin.line), message);
  }
  Status Whole(std::string_view message) const {
    return base::InvalidArgument(source_ + "：" + std::string(message));
  }
  // An error of the rule held by the TOML string `node`, placed in the file where possible.
  Status InRule(const toml::node& node, const RuleError& error) const {
    const auto& begin = node.source().begin;
    Position open{static_cast<int>(begin.line), static_cast<int>(begin.column)};
    if (auto p = MapIntoString(text_, open, {error.line, error.column})) {
      return At(*p, error.message);
    }
    return At(open.line, "条件" + error.ToString());
  }

 private:
  std::string source_;
  std::string_view text_;
};

// ---- TOML access --------------------------------------------------------------------------

// Fails on the first key of `table` that is not in `allowed`, so that typos do not pass.
Status CheckKeys(const Reporter& r, const toml::table& table, std::string_view where,
                 const std::vector<std::string>& allowed) {
  for (auto&& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
    std::string message = std::string(where) + " 中有未知的键" + Q(key.str());
    std::string near = SuggestName(key.str(), allowed);
    message += near.empty() ? "（可用的键：" + Join(allowed, "、") + "）"
                            : "，您是否想写" + Q(near) + "？";
    return r.At(key.source(), message);
  }
  return base::OkStatus();
}

// The string at `key`; "" when absent and not `required`.
Result<std::string> StringAt(const Reporter& r, const toml::table& table, std::string_view key,
                             std::string_view where, bool required) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (!required) return std::string();
    return r.At(table.source(), std::string(where) + " 缺少" + Q(key));
  }
  const auto* s = node->as_string();
  if (s == nullptr) {
    return r.At(node->source(), std::string(where) + " 的" + Q(key) + "必须是字符串");
  }
  if (required && s->get().empty()) {
    return r.At(node->source(), std::string(where) + " 的" + Q(key) + "不能为空");
  }
  return s->get();
}

Result<base::Date> DateOf(const Reporter& r, const toml::node& node, std::string_view what) {
  const auto* d = node.as_date();
  if (d == nullptr) {
    return r.At(node.source(), std::string(what) + " 必须是日期，例如 2026-01-01（不加引号）");
  }
  auto date = base::Date::FromYmd(d->get().year, d->get().month, d->get().day);
  if (!date.ok()) return r.At(node.source(), std::string(what) + "：" + date.status().message());
  return *date;
}

// ---- Parameter values ---------------------------------------------------------------------

std::string_view TypeHint(ValueType type) {
  switch (type) {
    case ValueType::kBool:
      return "布尔值 true 或 false";
    case ValueType::kInt:
      return "整数";
    case ValueType::kMoney:
      return "金额：写成字符串 \"¥100000\"、\"¥12.50\"，或整数元";
    case ValueType::kDate:
      return "日期，例如 2026-01-01（不加引号）";
    case ValueType::kCode:
    case ValueType::kText:
      return "字符串";
    case ValueType::kCodeSet:
      return "字符串数组，例如 [\"F\", \"H\"]";
  }
  return "?";
}

// Money written as in rules: ¥12 or ¥12.50, optionally negated.
std::optional<int64_t> RuleMoney(std::string_view text) {
  auto tokens = Tokenize(text);
  if (!tokens.has_value()) return std::nullopt;
  const std::vector<Token>& t = *tokens;
  if (t.size() == 2 && t[0].kind == TokenKind::kMoney) return t[0].value;
  if (t.size() == 3 && t[0].kind == TokenKind::kMinus && t[1].kind == TokenKind::kMoney) {
    return -t[1].value;
  }
  return std::nullopt;
}

// The value of `node` as a `type`; nullopt when it does not fit the type.
std::optional<ParamValue> ValueFromNode(const toml::node& node, ValueType type) {
  ParamValue v;
  v.type = type;
  if (type == ValueType::kBool && node.is_boolean()) {
    v.int_value = node.as_boolean()->get() ? 1 : 0;
  } else if (type == ValueType::kInt && node.is_integer()) {
    v.int_value = node.as_integer()->get();
  } else if (type == ValueType::kMoney && node.is_integer()) {
    int64_t yuan = node.as_integer()->get();
    if (yuan > kMaxYuan || yuan < -kMaxYuan) return std::nullopt;
    v.int_value = yuan * 100;
  } else if (type == ValueType::kMoney && node.is_string()) {
    auto fen = RuleMoney(node.as_string()->get());
    // Bounded like money in files and `--set` (¥10^15), so every stored value can be typed back.
    if (!fen || *fen > kMaxYuan * 100 || *fen < -kMaxYuan * 100) return std::nullopt;
    v.int_value = *fen;
  } else if (type == ValueType::kDate && node.is_date()) {
    const toml::date& d = node.as_date()->get();
    auto date = base::Date::FromYmd(d.year, d.month, d.day);
    if (!date.ok()) return std::nullopt;
    v.int_value = date->days_since_epoch();
  } else if ((type == ValueType::kCode || type == ValueType::kText) && node.is_string()) {
    v.text = node.as_string()->get();
  } else if (type == ValueType::kCodeSet && node.is_array()) {
    const toml::array& items = *node.as_array();
    if (items.size() > kMaxSetItems) return std::nullopt;
    for (const toml::node& item : items) {
      if (!item.is_string()) return std::nullopt;
      v.items.push_back(item.as_string()->get());
    }
  } else {
    return std::nullopt;
  }
  return v;
}

Result<ParamValue> ValueOf(const Reporter& r, const toml::node& node, ValueType type,
                           std::string_view param) {
  if (auto v = ValueFromNode(node, type)) return *std::move(v);
  return r.At(node.source(), "参数" + Q(param) + "的值必须是" + std::string(TypeHint(type)));
}

// An override's value is a list of steps when it is an array of tables.
bool IsStepsArray(const toml::node& node) {
  const toml::array* a = node.as_array();
  return a != nullptr && !a->empty() && (*a)[0].is_table();
}

Result<std::vector<ParamStep>> StepsOf(const Reporter& r, const toml::node& node, ValueType type,
                                       std::string_view param) {
  const std::string shape =
      "参数" + Q(param) + "的 steps 必须是非空数组，每项写成 { from = 2026-01-01, value = … }";
  const toml::array* items = node.as_array();
  if (items == nullptr || items->empty()) return r.At(node.source(), shape);
  std::vector<ParamStep> steps;
  for (const toml::node& item : *items) {
    const toml::table* t = item.as_table();
    if (t == nullptr) return r.At(item.source(), shape);
    GETIHU_RETURN_IF_ERROR(CheckKeys(r, *t, "steps", {"from", "value"}));
    if (t->get("from") == nullptr || t->get("value") == nullptr) {
      return r.At(item.source(), "参数" + Q(param) + "的 steps 每一项都需要 from 和 value");
    }
    ParamStep step;
    GETIHU_ASSIGN_OR_RETURN(step.from, DateOf(r, *t->get("from"), "from"));
    GETIHU_ASSIGN_OR_RETURN(step.value, ValueOf(r, *t->get("value"), type, param));
    if (!steps.empty() && step.from <= steps.back().from) {
      return r.At(item.source(),
                  "参数" + Q(param) + "的 steps 必须按 from 从早到晚排列，日期不能重复");
    }
    steps.push_back(std::move(step));
  }
  return steps;
}

// ---- Sections -----------------------------------------------------------------------------

Status ParseHeader(const Reporter& r, const toml::table& root, RuleSet& set) {
  const toml::node* node = root.get("rule_set");
  if (node == nullptr) return r.Whole("缺少 [rule_set] 表（name、version、effective_on）");
  const toml::table* t = node->as_table();
  if (t == nullptr) return r.At(node->source(), "rule_set 必须是表：[rule_set]");
  constexpr std::string_view kWhere = "[rule_set]";
  GETIHU_RETURN_IF_ERROR(CheckKeys(r, *t, kWhere, {"name", "version", "title", "effective_on"}));
  GETIHU_ASSIGN_OR_RETURN(set.name, StringAt(r, *t, "name", kWhere, true));
  GETIHU_ASSIGN_OR_RETURN(set.version, StringAt(r, *t, "version", kWhere, true));
  GETIHU_ASSIGN_OR_RETURN(set.title, StringAt(r, *t, "title", kWhere, false));
  for (const auto* field : {&set.name, &set.version}) {
    if (!IsPlainName(*field)) {
      return r.At(t->source(),
                  "[rule_set] 的名称和版本只能用英文字母、数字、“-”、“_”和“.”：" + Q(*field));
    }
  }
  const toml::node* effective = t->get("effective_on");
  if (effective == nullptr) return r.At(t->source(), "[rule_set] 缺少“effective_on”（生效日期）");
  GETIHU_ASSIGN_OR_RETURN(set.effective_on, DateOf(r, *effective, "effective_on"));
  return base::OkStatus();
}

Result<ParamDef> ParseParam(const Reporter& r, std::string_view name, const toml::node& node,
                            base::Date effective_on) {
  const std::string where = "[params." + std::string(name) + "]";
  if (!IsIdentifier(name)) {
    return r.At(node.source(),
                "参数名" + Q(name) + "无效：只能用英文字母、数字和下划线，且不能以数字开头");
  }
  const toml::table* t = node.as_table();
  if (t == nullptr) return r.At(node.source(), "参数" + Q(name) + "必须是表：" + where);
  GETIHU_RETURN_IF_ERROR(CheckKeys(r, *t, where, {"type", "label", "unit", "value", "steps"}));
  ParamDef def;
  def.name = std::string(name);
  GETIHU_ASSIGN_OR_RETURN(std::string type, StringAt(r, *t, "type", where, true));
  std::optional<ValueType> value_type = ValueTypeFromKey(type);
  if (!value_type) {
    return r.At(t->get("type")->source(),
                "参数" + Q(name) + "的类型" + Q(type) +
                    "无效：只能是 int、money、date、bool、codeset、code 或 text");
  }
  def.type = *value_type;
  GETIHU_ASSIGN_OR_RETURN(def.label, StringAt(r, *t, "label", where, false));
  GETIHU_ASSIGN_OR_RETURN(def.unit, StringAt(r, *t, "unit", where, false));
  const toml::node* value = t->get("value");
  const toml::node* steps = t->get("steps");
  if (value != nullptr && steps != nullptr) {
    return r.At(t->source(), "参数" + Q(name) + "不能同时写 value 和 steps");
  }
  if (value == nullptr && steps == nullptr) {
    return r.At(t->source(), "参数" + Q(name) + "需要 value 或 steps");
  }
  if (value != nullptr) {
    GETIHU_ASSIGN_OR_RETURN(ParamValue v, ValueOf(r, *value, def.type, name));
    def.steps.push_back({effective_on, std::move(v)});
  } else {
    GETIHU_ASSIGN_OR_RETURN(def.steps, StepsOf(r, *steps, def.type, name));
  }
  return def;
}

// Fills set.params in file order; `lines` receives each one's line.
Status ParseParams(const Reporter& r, const toml::table& root, RuleSet& set,
                   std::vector<int>& lines) {
  const toml::node* node = root.get("params");
  if (node == nullptr) return base::OkStatus();
  const toml::table* t = node->as_table();
  if (t == nullptr) return r.At(node->source(), "params 必须是表，例如 [params.growth_months_min]");
  std::vector<std::pair<int, ParamDef>> defs;
  for (auto&& [key, value] : *t) {
    GETIHU_ASSIGN_OR_RETURN(ParamDef def, ParseParam(r, key.str(), value, set.effective_on));
    defs.emplace_back(static_cast<int>(value.source().begin.line), std::move(def));
  }
  std::stable_sort(defs.begin(), defs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line, def] : defs) {
    lines.push_back(line);
    set.params.push_back(std::move(def));
  }
  return base::OkStatus();
}

Result<RegionOverride> ParseOverride(const Reporter& r, const toml::table& t, const RuleSet& set) {
  constexpr std::string_view kWhere = "[[overrides]]";
  GETIHU_RETURN_IF_ERROR(CheckKeys(r, t, kWhere, {"region", "label", "params"}));
  RegionOverride o;
  GETIHU_ASSIGN_OR_RETURN(o.region_prefix, StringAt(r, t, "region", kWhere, true));
  if (!IsRegionPrefix(o.region_prefix)) {
    return r.At(t.get("region")->source(),
                "区划前缀" + Q(o.region_prefix) + "无效：必须是 2、4 或 6 位数字");
  }
  GETIHU_ASSIGN_OR_RETURN(o.label, StringAt(r, t, "label", kWhere, false));
  const toml::node* params = t.get("params");
  if (params == nullptr || !params->is_table()) {
    return r.At(params != nullptr ? params->source() : t.source(),
                "[[overrides]] 需要 params 表，例如 params = { growth_revenue_min = \"¥80000\" }");
  }
  std::vector<std::string> names;
  for (const ParamDef& p : set.params) names.push_back(p.name);
  for (auto&& [key, value] : *params->as_table()) {
    const ParamDef* def = set.FindParam(key.str());
    if (def == nullptr) {
      std::string near = SuggestName(key.str(), names);
      return r.At(key.source(), "覆盖的参数" + Q(key.str()) + "没有在 [params] 中定义" +
                                    (near.empty() ? "" : "，您是否想写" + Q(near) + "？"));
    }
    std::vector<ParamStep> steps;
    if (IsStepsArray(value)) {
      GETIHU_ASSIGN_OR_RETURN(steps, StepsOf(r, value, def->type, key.str()));
    } else {
      GETIHU_ASSIGN_OR_RETURN(ParamValue v, ValueOf(r, value, def->type, key.str()));
      steps.push_back({set.effective_on, std::move(v)});
    }
    o.params.emplace(key.str(), std::move(steps));
  }
  return o;
}

// An array of tables at `key`, as written with [[key]]; nullptr when absent.
Result<const toml::array*> TableArray(const Reporter& r, const toml::table& root,
                                      std::string_view key) {
  const toml::node* node = root.get(key);
  if (node == nullptr) return nullptr;
  const toml::array* a = node->as_array();
  if (a == nullptr || !a->is_array_of_tables()) {
    return r.At(node->source(), std::string(key) + " 必须写成 [[" + std::string(key) + "]] 表数组");
  }
  return a;
}

Status ParseOverrides(const Reporter& r, const toml::table& root, RuleSet& set) {
  GETIHU_ASSIGN_OR_RETURN(const toml::array* items, TableArray(r, root, "overrides"));
  if (items == nullptr) return base::OkStatus();
  std::map<std::string, int> lines;
  for (const toml::node& item : *items) {
    GETIHU_ASSIGN_OR_RETURN(RegionOverride o, ParseOverride(r, *item.as_table(), set));
    int line = static_cast<int>(item.source().begin.line);
    auto [it, added] = lines.emplace(o.region_prefix, line);
    if (!added) {
      return r.At(line, "区划前缀" + Q(o.region_prefix) + "重复：第 " + std::to_string(it->second) +
                            " 行已有它的覆盖");
    }
    set.overrides.push_back(std::move(o));
  }
  return base::OkStatus();
}

// ---- Rows and clauses ---------------------------------------------------------------------

// Where the token starting at byte `start` of `text` ends. Only whitespace, comments and
// "&&" can follow the last token of a clause.
size_t TokenEnd(std::string_view text, size_t start, TokenKind kind) {
  size_t i = start;
  if (kind == TokenKind::kString) {
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') ++i;
    }
    return std::min(i + 1, text.size());
  }
  while (i < text.size() && std::string_view(" \t\r\n#&").find(text[i]) == std::string_view::npos) {
    ++i;
  }
  return i;
}

int CountConjuncts(const Node& root) {
  int n = 1;
  for (const Node* node = &root; node->kind == NodeKind::kBinary && node->op == Op::kAnd;
       node = node->children[0].get()) {
    ++n;
  }
  return n;
}

// The source texts of the top-level conjuncts of `when`: split at the "&&" outside brackets,
// unless an "||" outside brackets makes the whole condition one disjunction.
std::vector<std::string> ClauseTexts(std::string_view when, const std::vector<Token>& tokens) {
  std::vector<size_t> cuts;  // indices of the top-level "&&", then of kEnd
  int depth = 0;
  bool top_level_or = false;
  for (size_t k = 0; k < tokens.size(); ++k) {
    TokenKind kind = tokens[k].kind;
    if (kind == TokenKind::kLParen || kind == TokenKind::kLBracket) ++depth;
    if (kind == TokenKind::kRParen || kind == TokenKind::kRBracket) --depth;
    if (depth == 0 && kind == TokenKind::kAnd) cuts.push_back(k);
    if (depth == 0 && kind == TokenKind::kOr) top_level_or = true;
  }
  if (top_level_or) cuts.clear();
  cuts.push_back(tokens.size() - 1);
  std::vector<std::string> texts;
  size_t first = 0;
  for (size_t cut : cuts) {
    const Token& last = tokens[cut - 1];
    size_t begin = OffsetOf(when, {tokens[first].line, tokens[first].column});
    size_t end = TokenEnd(when, OffsetOf(when, {last.line, last.column}), last.kind);
    texts.emplace_back(when.substr(begin, end - begin));
    first = cut + 1;
  }
  return texts;
}

Result<std::vector<Clause>> SplitClauses(const Reporter& r, const DecisionRow& row,
                                         const FieldCatalog& catalog) {
  auto tokens = Tokenize(row.when);
  std::vector<std::string> texts;
  if (tokens.has_value()) texts = ClauseTexts(row.when, *tokens);
  if (static_cast<int>(texts.size()) != CountConjuncts(*row.rule.root)) {
    texts = {std::string(base::TrimSpaces(row.when))};  // cannot happen for a checked rule
  }
  if (texts.size() > kMaxClauses) {
    return r.At(row.line, "条件有 " + std::to_string(texts.size()) + " 个顶层“&&”子句，上限 " +
                              std::to_string(kMaxClauses) + " 个");
  }
  std::vector<Clause> clauses;
  for (std::string& text : texts) {
    auto rule = CompileRule(text, catalog);
    if (!rule.has_value()) return r.At(row.line, "子句" + Q(text) + "：" + rule.error().message);
    clauses.push_back({std::move(text), std::move(*rule)});
  }
  return clauses;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

Status ParseReasonAndLabel(const Reporter& r, const toml::table& t, DecisionRow& row) {
  constexpr std::string_view kWhere = "[[rows]]";
  const bool untyped = row.outcome == Outcome::kUntyped;
  GETIHU_ASSIGN_OR_RETURN(row.reason, StringAt(r, t, "reason", kWhere, false));
  GETIHU_ASSIGN_OR_RETURN(row.label, StringAt(r, t, "label", kWhere, false));
  if (untyped && row.reason.empty()) {
    return r.At(row.line, "未分型行需要 reason（原因代码，例如 NO_ANNUAL_REPORT）");
  }
  if (untyped && row.label.empty()) return r.At(row.line, "未分型行需要 label（原因的中文说明）");
  if (row.reason.empty()) row.reason = Upper(OutcomeKey(row.outcome));
  if (row.label.empty()) row.label = OutcomeName(row.outcome);
  const toml::source_region& where = t.get("reason") ? t.get("reason")->source() : t.source();
  if (!IsReasonCode(row.reason)) {
    return r.At(
        where, "原因代码" + Q(row.reason) + "无效：只能用大写英文字母、数字和下划线，并以字母开头");
  }
  if (row.reason == kNoMatch) {
    return r.At(where, "原因代码“NO_MATCH”保留给不满足任何一行的户，请换一个");
  }
  return base::OkStatus();
}

Result<DecisionRow> ParseRow(const Reporter& r, const toml::table& t, const FieldCatalog& catalog) {
  constexpr std::string_view kWhere = "[[rows]]";
  GETIHU_RETURN_IF_ERROR(CheckKeys(r, t, kWhere, {"outcome", "reason", "label", "when"}));
  DecisionRow row;
  row.line = static_cast<int>(t.source().begin.line);
  GETIHU_ASSIGN_OR_RETURN(std::string key, StringAt(r, t, "outcome", kWhere, true));
  std::optional<Outcome> outcome = OutcomeFromKey(key);
  if (!outcome) {
    return r.At(t.get("outcome")->source(),
                "未知的分型结果" + Q(key) + "：只能是 development、growth、survival 或 untyped");
  }
  row.outcome = *outcome;
  GETIHU_RETURN_IF_ERROR(ParseReasonAndLabel(r, t, row));
  GETIHU_ASSIGN_OR_RETURN(row.when, StringAt(r, t, "when", kWhere, true));
  auto rule = CompileRule(row.when, catalog);
  if (!rule.has_value()) return r.InRule(*t.get("when"), rule.error());
  row.rule = std::move(*rule);
  GETIHU_ASSIGN_OR_RETURN(row.clauses, SplitClauses(r, row, catalog));
  return row;
}

Status ParseRows(const Reporter& r, const toml::table& root, const FieldCatalog& catalog,
                 RuleSet& set) {
  GETIHU_ASSIGN_OR_RETURN(const toml::array* items, TableArray(r, root, "rows"));
  if (items != nullptr && items->size() > kMaxRows) {
    return r.At((*items)[kMaxRows].source(), "分型行过多：共 " + std::to_string(items->size()) +
                                                 " 行，上限 " + std::to_string(kMaxRows) + " 行");
  }
  std::map<std::string, int, std::less<>> reasons;  // of untyped rows
  for (size_t k = 0; items != nullptr && k < items->size(); ++k) {
    GETIHU_ASSIGN_OR_RETURN(DecisionRow row, ParseRow(r, *(*items)[k].as_table(), catalog));
    if (row.outcome == Outcome::kUntyped) {
      auto [it, added] = reasons.emplace(row.reason, row.line);
      if (!added) {
        return r.At(row.line,
                    "原因代码" + Q(row.reason) + "与第 " + std::to_string(it->second) + " 行重复");
      }
    }
    set.rows.push_back(std::move(row));
  }
  if (std::none_of(set.rows.begin(), set.rows.end(),
                   [](const DecisionRow& row) { return row.outcome != Outcome::kUntyped; })) {
    return r.Whole(
        "没有分型行：至少需要一行 outcome 为 development、growth 或 survival 的 [[rows]]");
  }
  return base::OkStatus();
}

// ---- Static checks ------------------------------------------------------------------------

// The condition's tokens, spaced uniformly: equal for conditions that differ only in spacing
// and comments.
std::string NormalizedCondition(std::string_view when) {
  auto tokens = Tokenize(when);
  if (!tokens.has_value()) return std::string(when);
  std::string out;
  for (const Token& t : *tokens) {
    if (t.kind == TokenKind::kEnd) break;
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case TokenKind::kString:
        out += '"' + t.text + '"';
        break;
      case TokenKind::kInt:
        out += std::to_string(t.value);
        break;
      case TokenKind::kMoney:
        out += "¥" + std::to_string(t.value) + "f";
        break;
      case TokenKind::kIdent:
        out += t.text;
        break;
      default:
        out += TokenSpelling(t.kind);
    }
  }
  return out;
}

void CheckReachability(const RuleSet& set, std::vector<RuleSetWarning>& out) {
  std::optional<int> always;  // line of the first unconditional row
  std::map<std::string, int> seen;
  for (const DecisionRow& row : set.rows) {
    const std::string n = std::to_string(row.line);
    std::string condition = NormalizedCondition(row.when);
    auto it = seen.find(condition);
    if (always) {
      out.push_back({row.line, "第 " + n + " 行永远不会被命中：前面第 " + std::to_string(*always) +
                                   " 行的条件恒为真"});
    } else if (it != seen.end()) {
      out.push_back({row.line, "第 " + n + " 行永远不会被命中：条件与前面第 " +
                                   std::to_string(it->second) + " 行相同"});
    }
    seen.emplace(condition, row.line);
    if (condition == "true" && !always) always = row.line;
  }
  if (!set.rows.empty() && NormalizedCondition(set.rows.back().when) != "true") {
    out.push_back(
        {set.rows.back().line, "最后一行不是 true：不满足任何一行的户将记为未分型（NO_MATCH）"});
  }
}

int Rank(Outcome o) { return static_cast<int>(o); }  // development 0 … survival 2

// Typed rows should run from the highest type down: a lower type above a higher one shadows it.
void CheckOrder(const RuleSet& set, std::vector<RuleSetWarning>& out) {
  const DecisionRow* lowest = nullptr;  // the lowest type among the rows so far
  for (const DecisionRow& row : set.rows) {
    if (row.outcome == Outcome::kUntyped) continue;
    if (lowest != nullptr && Rank(row.outcome) < Rank(lowest->outcome)) {
      const std::string m = std::to_string(lowest->line);
      out.push_back({row.line, "第 " + std::to_string(row.line) + " 行（" +
                                   std::string(OutcomeName(row.outcome)) + "）排在第 " + m +
                                   " 行（" + std::string(OutcomeName(lowest->outcome)) +
                                   "）之后：只有不满足第 " + m + " 行条件的户才可能被判为" +
                                   std::string(OutcomeName(row.outcome))});
    }
    if (lowest == nullptr || Rank(row.outcome) > Rank(lowest->outcome)) lowest = &row;
  }
}

void CheckParamsUsed(const RuleSet& set, const std::vector<int>& lines,
                     std::vector<RuleSetWarning>& out) {
  std::set<std::string, std::less<>> used;
  for (const DecisionRow& row : set.rows)
    used.insert(row.rule.params_used.begin(), row.rule.params_used.end());
  for (size_t k = 0; k < set.params.size(); ++k) {
    if (!used.contains(set.params[k].name)) {
      out.push_back({lines[k], "参数" + Q(set.params[k].name) + "没有被任何一行使用"});
    }
  }
}

Status TooLarge(std::string_view source, uintmax_t size) {
  return base::InvalidArgument(std::string(source) + "：规则集文件过大：" + std::to_string(size) +
                               " 字节，上限 " + std::to_string(kMaxFileBytes) + " 字节");
}

const ParamValue* ValueOn(const std::vector<ParamStep>& steps, base::Date day) {
  const ParamValue* value = nullptr;
  for (const ParamStep& step : steps) {
    if (step.from > day) break;
    value = &step.value;
  }
  return value;
}

}  // namespace

// ---- Public API ---------------------------------------------------------------------------

std::string_view OutcomeKey(Outcome o) {
  switch (o) {
    case Outcome::kDevelopment:
      return "development";
    case Outcome::kGrowth:
      return "growth";
    case Outcome::kSurvival:
      return "survival";
    case Outcome::kUntyped:
      return "untyped";
  }
  return "?";
}

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kDevelopment:
      return "发展型";
    case Outcome::kGrowth:
      return "成长型";
    case Outcome::kSurvival:
      return "生存型";
    case Outcome::kUntyped:
      return "未分型";
  }
  return "?";
}

std::optional<Outcome> OutcomeFromKey(std::string_view key) {
  for (Outcome o :
       {Outcome::kDevelopment, Outcome::kGrowth, Outcome::kSurvival, Outcome::kUntyped}) {
    if (OutcomeKey(o) == key) return o;
  }
  return std::nullopt;
}

std::string FormatParamValue(const ParamValue& value) {
  switch (value.type) {
    case ValueType::kBool:
      return value.int_value != 0 ? "true" : "false";
    case ValueType::kInt:
      return std::to_string(value.int_value);
    case ValueType::kMoney: {
      std::string yuan = base::Money::FromFen(value.int_value).ToDisplayYuan();
      if (yuan.ends_with(".00")) yuan.resize(yuan.size() - 3);
      return yuan.starts_with('-') ? "-¥" + yuan.substr(1) : "¥" + yuan;
    }
    case ValueType::kDate:
      return base::Date::FromDays(static_cast<int32_t>(value.int_value)).ToString();
    case ValueType::kCode:
    case ValueType::kText:
      return value.text;
    case ValueType::kCodeSet: {
      std::vector<std::string> quoted;
      for (const std::string& item : value.items) quoted.push_back('"' + item + '"');
      return "[" + Join(quoted, ", ") + "]";
    }
  }
  return "";
}

base::Result<ParamValue> ParseParamValue(ValueType type, std::string_view text) {
  const std::string_view s = base::TrimSpaces(text);
  ParamValue v;
  v.type = type;
  auto bad = [&](std::string_view expected) {
    return base::InvalidArgument(Q(text) + "不是" + std::string(expected));
  };
  switch (type) {
    case ValueType::kBool:
      if (s != "true" && s != "false") return bad("布尔值（true 或 false）");
      v.int_value = s == "true" ? 1 : 0;
      return v;
    case ValueType::kInt: {
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v.int_value);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return bad("整数");
      return v;
    }
    case ValueType::kMoney: {
      GETIHU_ASSIGN_OR_RETURN(base::Money money, base::Money::ParseYuan(s));
      v.int_value = money.fen();
      return v;
    }
    case ValueType::kDate: {
      GETIHU_ASSIGN_OR_RETURN(base::Date date, base::Date::Parse(s));
      v.int_value = date.days_since_epoch();
      return v;
    }
    case ValueType::kCode:
    case ValueType::kText:
      v.text = std::string(s);
      return v;
    case ValueType::kCodeSet:
      break;
  }
  std::string_view body = s;
  if (body.starts_with('[') != body.ends_with(']')) return bad("集合，例如 [\"F\", \"H\"]");
  if (body.starts_with('[')) body = base::TrimSpaces(body.substr(1, body.size() - 2));
  while (!body.empty()) {
    size_t comma = body.find(',');
    std::string_view item = base::TrimSpaces(body.substr(0, comma));
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    if (item.empty() || item.find('"') != std::string_view::npos)
      return bad("集合，例如 [\"F\", \"H\"]");
    v.items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    body = body.substr(comma + 1);
  }
  return v;
}

const ParamDef* RuleSet::FindParam(std::string_view param) const {
  for (const ParamDef& p : params) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

base::Result<std::map<std::string, ParamValue, std::less<>>> RuleSet::ParamsFor(
    std::string_view region, base::Date as_of) const {
  std::map<std::string, ParamValue, std::less<>> values;
  for (const ParamDef& p : params) {
    const ParamValue* value = nullptr;
    size_t matched = 0;  // the longest prefix with a value in effect wins
    for (const RegionOverride& o : overrides) {
      auto it = o.params.find(p.name);
      if (it == o.params.end() || !region.starts_with(o.region_prefix) ||
          o.region_prefix.size() <= matched) {
        continue;
      }
      if (const ParamValue* v = ValueOn(it->second, as_of)) {
        value = v;
        matched = o.region_prefix.size();
      }
    }
    if (value == nullptr) value = ValueOn(p.steps, as_of);
    if (value == nullptr) {
      return base::FailedPrecondition("参数" + Q(p.name) + "在 " + as_of.ToString() +
                                      " 还没有生效的取值（最早自 " +
                                      p.steps.front().from.ToString() + " 起）");
    }
    values.emplace(p.name, *value);
  }
  return values;
}

base::Result<RuleSet> ParseRuleSet(std::string_view text, std::string_view source,
                                   const FieldCatalog& fields) {
  if (text.size() > kMaxFileBytes) return TooLarge(source, text.size());
  Reporter r(source, text);
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    Position p{static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column)};
    return r.At(p, "TOML 语法错误（" + std::string(e.description()) + "）");
  }
  RuleSet set;
  set.sha256 = Sha256Hex(text);
  GETIHU_RETURN_IF_ERROR(
      CheckKeys(r, root, "文件顶层", {"rule_set", "params", "overrides", "rows"}));
  GETIHU_RETURN_IF_ERROR(ParseHeader(r, root, set));
  std::vector<int> param_lines;
  GETIHU_RETURN_IF_ERROR(ParseParams(r, root, set, param_lines));
  ExtendedCatalog catalog(fields);
  for (const ParamDef& p : set.params) catalog.AddParam(p.name, p.type);
  GETIHU_RETURN_IF_ERROR(ParseOverrides(r, root, set));
  GETIHU_RETURN_IF_ERROR(ParseRows(r, root, catalog, set));
  CheckReachability(set, set.warnings);
  CheckOrder(set, set.warnings);
  CheckParamsUsed(set, param_lines, set.warnings);
  std::stable_sort(
      set.warnings.begin(), set.warnings.end(),
      [](const RuleSetWarning& a, const RuleSetWarning& b) { return a.line < b.line; });
  return set;
}

base::Result<RuleSet> LoadRuleSetFile(const std::string& path, const FieldCatalog& fields) {
  namespace fs = std::filesystem;
  const std::string source = fs::path(path).filename().string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    if (fs::exists(path, ec)) return base::InvalidArgument("不是普通文件：" + path);
    return base::NotFound("规则集文件不存在：" + path);
  }
  uintmax_t size = fs::file_size(path, ec);
  if (ec) return base::Unavailable("无法读取规则集文件：" + path);
  if (size > kMaxFileBytes) return TooLarge(source, size);
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return base::Unavailable("读取规则集文件出错：" + path);
  return ParseRuleSet(text, source, fields);
}

}  // namespace getihu::rules
