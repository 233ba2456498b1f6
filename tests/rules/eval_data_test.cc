// Runs the rule-evaluation cases in tests/rules/eval/*.test, one GoogleTest test per case. A
// case's rule is compiled against the profile catalogue plus the case's parameters, its rows
// are packed into one frame, and every row is evaluated twice — by the vector evaluator
// (engine/program.h) and by the scalar reference (engine/scalar_eval.h) — and both must give
// the expected output. The file format is described in docs/rules.md ("Test files").
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "base/date.h"
#include "base/money.h"
#include "base/status.h"
#include "domain/household.h"
#include "domain/profile.h"
#include "engine/frame.h"
#include "engine/program.h"
#include "engine/scalar_eval.h"
#include "rules/checker.h"
#include "rules/profile_fields.h"
#include "rules/rule_set.h"

namespace getihu::engine {
namespace {

namespace fs = std::filesystem;
using domain::HouseholdProfile;

const fs::path kDir = fs::path(GETIHU_SOURCE_DIR) / "tests" / "rules" / "eval";
constexpr std::string_view kDefaultAsOf = "2026-07-01";

// ---- profile fields written as text ----

// Where a writable profile field lives in HouseholdProfile. `household_id` (set by the runner)
// and `credit_clean` (derived) are not writable.
using Slot =
    std::variant<std::string HouseholdProfile::*, int HouseholdProfile::*, bool HouseholdProfile::*,
                 uint32_t HouseholdProfile::*, std::optional<base::Money> HouseholdProfile::*,
                 std::optional<int> HouseholdProfile::*, std::optional<bool> HouseholdProfile::*>;

const std::map<std::string_view, Slot>& Slots() {
  using P = HouseholdProfile;
  static const auto* const slots = new std::map<std::string_view, Slot>{
      {"status", &P::status},
      {"months_in_business", &P::months_in_business},
      {"years_in_business", &P::years_in_business},
      {"region", &P::region},
      {"township", &P::township},
      {"industry", &P::industry},
      {"section", &P::section},
      {"sector", &P::sector},
      {"online", &P::online},
      {"annual_report_filed", &P::annual_report_filed},
      {"revenue_prev", &P::revenue_prev},
      {"tax_paid_prev", &P::tax_paid_prev},
      {"employees", &P::employees},
      {"insured_employees", &P::insured_employees},
      {"housing_fund_payers", &P::housing_fund_payers},
      {"trademarks", &P::trademarks},
      {"patents", &P::patents},
      {"honours", &P::honours},
      {"abnormal_now", &P::abnormal_now},
      {"unrepaired_penalty_12m", &P::unrepaired_penalty_12m},
      {"dishonest_debtor", &P::dishonest_debtor},
      {"safety_accident_12m", &P::safety_accident_12m},
      {"first_loan", &P::first_loan},
      {"veteran", &P::veteran},
      {"graduation_year", &P::graduation_year},
      {"employment_difficulty", &P::employment_difficulty},
      {"poverty_alleviated", &P::poverty_alleviated},
      {"returning_migrant", &P::returning_migrant},
      {"disabled", &P::disabled},
      {"uscc", &P::uscc},
      {"registered_before_year", &P::registered_before_year},
  };
  return *slots;
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }

base::Status ParseValue(std::string_view s, std::string& out) {
  out = std::string(s);
  return {};
}

base::Status ParseValue(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return base::InvalidArgument(Quote(s) + "不是整数");
  }
  return {};
}

base::Status ParseValue(std::string_view s, bool& out) {
  if (s != "true" && s != "false") return base::InvalidArgument(Quote(s) + "不是 true 或 false");
  out = s == "true";
  return {};
}

// Money is written as rules write it, ¥123.45 or -¥5, so that yuan and fen cannot be mixed up.
base::Status ParseValue(std::string_view s, base::Money& out) {
  std::string_view digits = s;
  bool negative = digits.starts_with('-');
  if (negative) digits.remove_prefix(1);
  for (std::string_view sign : {"¥", "￥"}) {
    if (digits.starts_with(sign)) digits.remove_prefix(sign.size());
  }
  if (digits.size() == s.size() - (negative ? 1 : 0) || digits.starts_with('-')) {
    return base::InvalidArgument(Quote(s) + "不是金额；请写成 ¥123.45");
  }
  base::Result<base::Money> money = base::Money::ParseYuan(digits);
  if (!money.ok()) return base::InvalidArgument(Quote(s) + "不是金额：" + money.error().message());
  out = negative ? base::Money::FromFen(-money->fen()) : *money;
  return {};
}

// Honours: comma-separated HonourKind codes (domain/household.h).
base::Status ParseValue(std::string_view s, uint32_t& out) {
  out = 0;
  std::istringstream in{std::string(s)};
  std::string code;
  while (std::getline(in, code, ',')) {
    std::optional<domain::HonourKind> kind = domain::ParseHonourKindCode(code);
    if (!kind) return base::InvalidArgument(Quote(code) + "不是荣誉类别代码");
    out |= uint32_t{1} << static_cast<unsigned>(*kind);
  }
  return {};
}

template <typename T>
base::Status ParseValue(std::string_view s, std::optional<T>& out) {
  T value{};
  GETIHU_RETURN_IF_ERROR(ParseValue(s, value));
  out = value;
  return {};
}

// `name=?`: optional fields become missing, codes empty; `sector` 0 is its unknown value.
template <typename T>
base::Status SetMissing(std::string_view name, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    out.clear();
  } else if constexpr (requires { out.reset(); }) {
    out.reset();
  } else if (name == "sector") {
    out = 0;
  } else {
    return base::InvalidArgument("字段" + Quote(name) + "总有值，不能写成“?”");
  }
  return {};
}

base::Status WriteField(HouseholdProfile& p, std::string_view name, std::string_view text) {
  auto it = Slots().find(name);
  if (it == Slots().end()) {
    if (domain::FindProfileField(name)) {
      return base::InvalidArgument("字段" + Quote(name) +
                                   "不能在 row 中写（由测试程序设定或推出）");
    }
    std::string hint = rules::SuggestName(name, rules::ProfileFields().FieldNames());
    return base::InvalidArgument("未知字段" + Quote(name) +
                                 (hint.empty() ? "" : "，您是否想写" + Quote(hint) + "？"));
  }
  if (text.empty()) return base::InvalidArgument("字段" + Quote(name) + "没有值");
  return std::visit(
      [&](auto member) -> base::Status {
        auto& out = p.*member;
        base::Status s = text == "?" ? SetMissing(name, out) : ParseValue(text, out);
        return s.ok() ? s : s.WithContext(std::string(name));
      },
      it->second);
}

// Parses "field=value field=value …" into a profile with HouseholdProfile's defaults.
base::Result<HouseholdProfile> ParseRow(std::string_view text) {
  HouseholdProfile p;
  std::istringstream in{std::string(text)};
  std::string item;
  std::vector<std::string> seen;
  while (in >> item) {
    size_t eq = item.find('=');
    if (eq == std::string::npos) return base::InvalidArgument(Quote(item) + "不是“字段=值”");
    std::string name = item.substr(0, eq);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return base::InvalidArgument("字段" + Quote(name) + "写了两次");
    }
    seen.push_back(name);
    GETIHU_RETURN_IF_ERROR(WriteField(p, name, std::string_view(item).substr(eq + 1)));
  }
  return p;
}

// ---- cases ----

struct RowCheck {
  int line = 0;  // the row's line in its file
  HouseholdProfile profile;
  std::optional<Truth> expected;
};

struct EvalCase {
  std::string id;          // file stem + "_" + name: the GoogleTest name
  std::string file;        // e.g. "eval/logic.test"
  std::string where;       // file:line of the case, for failure messages
  std::string load_error;  // the first reason the case itself is malformed
  bool named = false;
  std::string rule;
  Params params;
  base::Date as_of;
  std::vector<RowCheck> rows;
};

std::string_view TruthKey(Truth t) {
  switch (t) {
    case Truth::kTrue:
      return "true";
    case Truth::kFalse:
      return "false";
    default:
      return "unknown";
  }
}

bool ValidName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

void Fail(EvalCase& c, int line, std::string_view message) {
  if (c.load_error.empty())
    c.load_error = "第 " + std::to_string(line) + " 行：" + std::string(message);
}

// "NAME TYPE VALUE", VALUE in rules::ParseParamValue's syntax.
void ApplyParam(EvalCase& c, int line, const std::string& value) {
  std::istringstream in(value);
  std::string name, type_key;
  in >> name >> type_key >> std::ws;
  std::string text;
  std::getline(in, text);
  std::optional<rules::ValueType> type = rules::ValueTypeFromKey(type_key);
  if (!ValidName(name) || !type) return Fail(c, line, "param 要写成“名称 类型 值”");
  if (c.params.contains(name)) return Fail(c, line, "参数" + Quote(name) + "写了两次");
  base::Result<rules::ParamValue> parsed = rules::ParseParamValue(*type, text);
  if (!parsed.ok()) return Fail(c, line, "参数" + Quote(name) + "：" + parsed.error().message());
  c.params.emplace(name, *parsed);
}

void ApplyOutput(EvalCase& c, int line, const std::string& value) {
  if (c.rows.empty() || c.rows.back().expected) return Fail(c, line, "output 前面需要一行 row");
  for (Truth t : {Truth::kTrue, Truth::kFalse, Truth::kUnknown}) {
    if (value == TruthKey(t)) c.rows.back().expected = t;
  }
  if (!c.rows.back().expected) Fail(c, line, "output 只能是 true、false 或 unknown");
}

// Applies one "key: value" line to `c`.
void ApplyLine(EvalCase& c, int line, const std::string& key, const std::string& value) {
  if (key == "name") {
    c.id += value;
    c.named = true;
    if (!ValidName(value)) Fail(c, line, "name 只能含字母、数字和下划线");
  } else if (key == "rule") {
    c.rule += (c.rule.empty() ? "" : "\n") + value;
  } else if (key == "param") {
    ApplyParam(c, line, value);
  } else if (key == "as_of") {
    base::Result<base::Date> date = base::Date::Parse(value);
    if (!date.ok()) return Fail(c, line, "as_of：" + date.error().message());
    c.as_of = *date;
  } else if (key == "row") {
    if (!c.rows.empty() && !c.rows.back().expected) Fail(c, line, "上一行 row 缺少 output");
    base::Result<HouseholdProfile> profile = ParseRow(value);
    if (!profile.ok()) return Fail(c, line, "row：" + profile.error().message());
    profile->household_id = static_cast<int64_t>(c.rows.size()) + 1;
    c.rows.push_back(RowCheck{line, std::move(*profile), std::nullopt});
  } else if (key == "output") {
    ApplyOutput(c, line, value);
  } else {
    Fail(c, line, "未知的键：" + key);
  }
}

// Checks what only the whole case can show.
void Finish(EvalCase& c, int line) {
  if (!c.named) Fail(c, line, "缺少 name");
  if (c.rule.empty()) Fail(c, line, "缺少 rule");
  if (c.rows.empty()) Fail(c, line, "至少需要一对 row 和 output");
  if (!c.rows.empty() && !c.rows.back().expected) Fail(c, line, "最后一行 row 缺少 output");
}

std::vector<EvalCase> LoadText(std::istream& in, const std::string& file) {
  std::vector<EvalCase> cases;
  std::string stem = fs::path(file).stem().string();
  std::string line;
  int line_no = 0;
  bool blank = true;  // the current case has no key yet (comments only)
  auto start_case = [&] {
    EvalCase c;
    c.id = stem + "_";
    c.file = file;
    c.where = file + ":" + std::to_string(line_no + 1);
    c.as_of = *base::Date::Parse(kDefaultAsOf);
    cases.push_back(std::move(c));
    blank = true;
  };
  auto end_case = [&] {
    if (blank) {
      cases.pop_back();
    } else {
      Finish(cases.back(), line_no);
    }
  };
  start_case();
  while (std::getline(in, line)) {
    ++line_no;
    if (line == "---") {
      end_case();
      start_case();
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    blank = false;
    // "key: value", or "key:" with an empty value (an all-default row).
    size_t colon = line.find(": ");
    if (colon == std::string::npos && line.ends_with(':')) colon = line.size() - 1;
    if (colon == std::string::npos) {
      Fail(cases.back(), line_no, "缺少“: ”");
      continue;
    }
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    ApplyLine(cases.back(), line_no, line.substr(0, colon), value);
  }
  end_case();
  return cases;
}

std::vector<EvalCase> LoadAll() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().extension() == ".test") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<EvalCase> all;
  for (const fs::path& f : files) {
    std::ifstream in(f);
    for (EvalCase& c : LoadText(in, "eval/" + f.filename().string())) all.push_back(std::move(c));
  }
  return all;
}

// Prints a case as its location (GoogleTest would otherwise dump its bytes).
void PrintTo(const EvalCase& c, std::ostream* os) { *os << c.where; }

class RulesEvalTest : public ::testing::TestWithParam<EvalCase> {};

TEST_P(RulesEvalTest, Case) {
  const EvalCase& c = GetParam();
  SCOPED_TRACE(c.where);
  ASSERT_TRUE(c.load_error.empty()) << c.file << " " << c.load_error;
  rules::ExtendedCatalog catalog(rules::ProfileFields());
  for (const auto& [name, value] : c.params) catalog.AddParam(name, value.type);
  auto checked = rules::CompileRule(c.rule, catalog);
  ASSERT_TRUE(checked.has_value()) << "规则没有通过检查：" << checked.error().ToString();

  FrameBuilder builder;
  for (const RowCheck& r : c.rows) builder.Append(r.profile);
  Frame frame = builder.Finish();
  base::Result<Program> program = Program::Compile(*checked->root, frame, c.params, c.as_of);
  ASSERT_TRUE(program.ok()) << program.error().message();
  std::vector<Truth> vector = program->EvalAll();
  ASSERT_EQ(vector.size(), c.rows.size());

  for (size_t i = 0; i < c.rows.size(); ++i) {
    const RowCheck& r = c.rows[i];
    ScalarContext ctx{&frame, i, &c.params, c.as_of};
    Truth scalar = EvalScalar(*checked->root, ctx).truth();
    std::string at =
        c.file + ":" + std::to_string(r.line) + "（第 " + std::to_string(i + 1) + " 个 row）";
    EXPECT_EQ(TruthKey(scalar), TruthKey(*r.expected)) << at << "：逐户求值 EvalScalar";
    EXPECT_EQ(TruthKey(vector[i]), TruthKey(*r.expected)) << at << "：向量求值 Program";
    EXPECT_EQ(TruthKey(vector[i]), TruthKey(scalar)) << at << "：两种求值不一致，是引擎的缺陷";
  }
}

INSTANTIATE_TEST_SUITE_P(Files, RulesEvalTest, ::testing::ValuesIn(LoadAll()),
                         [](const ::testing::TestParamInfo<EvalCase>& info) {
                           return ValidName(info.param.id) ? info.param.id
                                                           : "case" + std::to_string(info.index);
                         });

TEST(RulesEvalFilesTest, HaveAtLeastSixtyCasesWithDistinctNames) {
  std::vector<EvalCase> all = LoadAll();
  EXPECT_GE(all.size(), 60u);
  std::vector<std::string> ids;
  for (const EvalCase& c : all) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  auto dup = std::adjacent_find(ids.begin(), ids.end());
  EXPECT_EQ(dup, ids.end()) << "重复的 name：" << (dup == ids.end() ? "" : *dup);
}

TEST(RulesEvalFilesTest, EveryProfileFieldButTheKeyAndDerivedOnesCanBeWritten) {
  for (const domain::ProfileField& f : domain::ProfileCatalog()) {
    if (f.name == "household_id" || f.name == "credit_clean") continue;
    EXPECT_TRUE(Slots().contains(f.name)) << f.name;
  }
}

// The first load error of a one-case file.
std::string LoadError(const std::string& text) {
  std::istringstream in(text);
  std::vector<EvalCase> cases = LoadText(in, "x.test");
  return cases.size() == 1 ? cases[0].load_error : "cases: " + std::to_string(cases.size());
}

TEST(RulesEvalLoaderTest, ReportsMalformedCasesWithTheirLine) {
  const std::string head = "name: a\nrule: online\n";
  EXPECT_EQ(LoadError(head + "row: online=true\noutput: true\n"), "");
  EXPECT_EQ(LoadError(head + "row: revenue_prv=¥1\noutput: true\n"),
            "第 3 行：row：未知字段“revenue_prv”，您是否想写“revenue_prev”？");
  EXPECT_EQ(LoadError(head + "row: revenue_prev=100\noutput: true\n"),
            "第 3 行：row：revenue_prev：“100”不是金额；请写成 ¥123.45");
  EXPECT_EQ(LoadError(head + "row: online=yes\noutput: true\n"),
            "第 3 行：row：online：“yes”不是 true 或 false");
  EXPECT_EQ(LoadError(head + "row: online=?\noutput: true\n"),
            "第 3 行：row：online：字段“online”总有值，不能写成“?”");
  EXPECT_EQ(LoadError(head + "row: employees=2.5\noutput: true\n"),
            "第 3 行：row：employees：“2.5”不是整数");
  EXPECT_EQ(LoadError(head + "row: honours=gold\noutput: true\n"),
            "第 3 行：row：honours：“gold”不是荣誉类别代码");
  EXPECT_EQ(LoadError(head + "row: credit_clean=true\noutput: true\n"),
            "第 3 行：row：字段“credit_clean”不能在 row 中写（由测试程序设定或推出）");
  EXPECT_EQ(LoadError(head + "row: online=true\noutput: maybe\n"),
            "第 4 行：output 只能是 true、false 或 unknown");
  EXPECT_EQ(LoadError(head + "row: online=true\nrow: online=false\noutput: true\n"),
            "第 4 行：上一行 row 缺少 output");
  EXPECT_EQ(LoadError(head + "output: true\n"), "第 3 行：output 前面需要一行 row");
  EXPECT_EQ(LoadError(head + "param: n int ten\nrow: online=true\noutput: true\n"),
            "第 3 行：参数“n”：“ten”不是整数");
  EXPECT_EQ(LoadError(head), "第 2 行：至少需要一对 row 和 output");
}

TEST(RulesEvalLoaderTest, WritesMissingValuesAsHouseholdProfileDoes) {
  base::Result<HouseholdProfile> p =
      ParseRow("revenue_prev=? township=? sector=? veteran=? employees=3 honours=green_food");
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_FALSE(p->revenue_prev.has_value());
  EXPECT_EQ(p->township, "");
  EXPECT_EQ(p->sector, 0);
  EXPECT_FALSE(p->veteran.has_value());
  EXPECT_EQ(p->employees, 3);
  EXPECT_EQ(p->honours, uint32_t{1} << static_cast<unsigned>(domain::HonourKind::kGreenFood));
  base::Result<HouseholdProfile> money = ParseRow("revenue_prev=¥1,000.5 tax_paid_prev=-¥5");
  ASSERT_TRUE(money.ok()) << money.error().message();
  EXPECT_EQ(money->revenue_prev->fen(), 100050);
  EXPECT_EQ(money->tax_paid_prev->fen(), -500);
}

}  // namespace
}  // namespace getihu::engine
