#include "rules/rule_set.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rules/profile_fields.h"

namespace getihu::rules {
namespace {

const std::string kDefaultPath =
    std::string(GETIHU_SOURCE_DIR) + "/data/rules/default-tiering.toml";

// Lines 1–4.
constexpr std::string_view kHeader =
    "[rule_set]\n"
    "name = \"t\"\n"
    "version = \"1\"\n"
    "effective_on = 2026-01-01\n";
// Lines 5–8 when it follows kHeader.
constexpr std::string_view kSurvivalRow =
    "[[rows]]\n"
    "outcome = \"survival\"\n"
    "when = \"true\"\n"
    "\n";

base::Result<RuleSet> Parse(std::string_view text) {
  return ParseRuleSet(text, "t.toml", ProfileFields());
}

// The error message of parsing `text`, or "" when it parses.
std::string ErrorOf(std::string_view text) {
  auto set = Parse(text);
  if (set.ok()) return "";
  EXPECT_EQ(set.error().code(), base::StatusCode::kInvalidArgument);
  return set.error().message();
}

std::vector<std::string> WarningsOf(std::string_view text) {
  auto set = Parse(text);
  EXPECT_TRUE(set.ok()) << set.error().message();
  std::vector<std::string> out;
  if (set.ok()) {
    for (const RuleSetWarning& w : set->warnings) out.push_back(w.message);
  }
  return out;
}

base::Date D(std::string_view ymd) { return *base::Date::Parse(ymd); }

int64_t FenOf(const RuleSet& set, std::string_view region, std::string_view day,
              std::string_view param) {
  auto values = set.ParamsFor(region, D(day));
  EXPECT_TRUE(values.ok()) << values.error().message();
  return values.ok() ? values->at(std::string(param)).int_value : -1;
}

TEST(RuleSetTest, LoadsTheDefaultRuleSetWithoutWarnings) {
  auto set = LoadRuleSetFile(kDefaultPath, ProfileFields());
  ASSERT_TRUE(set.ok()) << set.error().message();
  EXPECT_EQ(set->name, "default-tiering");
  EXPECT_EQ(set->version, "2026.1");
  EXPECT_EQ(set->title, "个体工商户分型默认规则");
  EXPECT_EQ(set->effective_on, D("2026-01-01"));
  EXPECT_EQ(set->sha256.size(), 64u);
  for (const RuleSetWarning& w : set->warnings) ADD_FAILURE() << w.line << ": " << w.message;
  ASSERT_EQ(set->params.size(), 7u);
  EXPECT_EQ(set->params[0].name, "development_months_min");
  EXPECT_EQ(set->params[0].unit, "月");
  ASSERT_EQ(set->overrides.size(), 1u);
  EXPECT_EQ(set->overrides[0].region_prefix, "54");

  std::vector<std::string> reasons;
  for (const DecisionRow& row : set->rows) reasons.push_back(row.reason);
  EXPECT_EQ(reasons,
            (std::vector<std::string>{"DEREGISTERED", "INSUFFICIENT_DATA", "SUSPENDED",
                                      "NOT_OPERATING", "REGISTERED_THIS_YEAR", "NO_ANNUAL_REPORT",
                                      "DEVELOPMENT", "GROWTH", "SURVIVAL"}));
  EXPECT_EQ(set->rows[6].outcome, Outcome::kDevelopment);
  EXPECT_EQ(set->rows[7].outcome, Outcome::kGrowth);
  EXPECT_EQ(set->rows[8].outcome, Outcome::kSurvival);
  EXPECT_EQ(set->rows[0].label, "已注销、吊销或已转为企业");
}

TEST(RuleSetTest, DefaultParamsDependOnRegionAndDate) {
  auto set = LoadRuleSetFile(kDefaultPath, ProfileFields());
  ASSERT_TRUE(set.ok()) << set.error().message();
  auto national = set->ParamsFor("", D("2026-07-01"));
  ASSERT_TRUE(national.ok());
  EXPECT_EQ(national->size(), 7u);
  EXPECT_EQ(national->at("development_months_min").int_value, 36);
  EXPECT_EQ(national->at("development_revenue_min").int_value, 100'000'000);
  EXPECT_EQ(national->at("development_tax_min").int_value, 3'000'000);
  EXPECT_EQ(national->at("development_employees_min").int_value, 5);
  EXPECT_EQ(national->at("growth_months_min").int_value, 12);
  EXPECT_EQ(national->at("growth_revenue_min").int_value, 10'000'000);
  EXPECT_EQ(national->at("growth_employees_min").int_value, 1);

  EXPECT_EQ(FenOf(*set, "540102", "2026-07-01", "growth_revenue_min"), 8'000'000);
  EXPECT_EQ(FenOf(*set, "540102", "2026-07-01", "development_revenue_min"), 100'000'000);
  EXPECT_EQ(FenOf(*set, "110101", "2026-07-01", "growth_revenue_min"), 10'000'000);

  auto early = set->ParamsFor("", D("2025-12-31"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.error().message(),
            "参数“development_months_min”在 2025-12-31 还没有生效的取值（最早自 2026-01-01 起）");
}

TEST(RuleSetTest, StepsAndTheLongestRegionPrefixDecide) {
  std::string text = std::string(kHeader) +
                     "[params.m]\ntype = \"money\"\n"
                     "steps = [ { from = 2024-01-01, value = 100 }, { from = 2026-01-01, value = "
                     "\"¥12.50\" } ]\n"
                     "[[overrides]]\nregion = \"54\"\nparams = { m = \"¥3\" }\n"
                     "[[overrides]]\nregion = \"5401\"\n"
                     "params = { m = [ { from = 2027-01-01, value = \"¥4\" } ] }\n" +
                     "[[rows]]\noutcome = \"survival\"\nwhen = \"revenue_prev >= params.m\"\n" +
                     std::string(kSurvivalRow);
  auto set = Parse(text);
  ASSERT_TRUE(set.ok()) << set.error().message();
  EXPECT_EQ(FenOf(*set, "", "2025-06-30", "m"), 10'000);
  EXPECT_EQ(FenOf(*set, "", "2026-01-01", "m"), 1'250);
  EXPECT_EQ(FenOf(*set, "540102", "2026-07-01", "m"), 300);  // 5401's step not yet in effect
  EXPECT_EQ(FenOf(*set, "540102", "2027-07-01", "m"), 400);
  EXPECT_EQ(FenOf(*set, "540202", "2027-07-01", "m"), 300);
  EXPECT_EQ(FenOf(*set, "110101", "2027-07-01", "m"), 1'250);
  EXPECT_FALSE(set->ParamsFor("", D("2023-12-31")).ok());
}

TEST(RuleSetTest, SplitsTheDevelopmentRowIntoFourClauses) {
  auto set = LoadRuleSetFile(kDefaultPath, ProfileFields());
  ASSERT_TRUE(set.ok()) << set.error().message();
  const DecisionRow& row = set->rows[6];
  ASSERT_EQ(row.clauses.size(), 4u);
  EXPECT_EQ(row.clauses[0].text, "months_in_business >= params.development_months_min");
  EXPECT_EQ(row.clauses[1].text, "revenue_prev >= params.development_revenue_min");
  EXPECT_EQ(row.clauses[2].text,
            "(tax_paid_prev >= params.development_tax_min\n"
            "      || employees >= params.development_employees_min)");
  EXPECT_EQ(row.clauses[3].text, "credit_clean");
  EXPECT_EQ(row.clauses[3].rule.fields_used, std::vector<std::string>{"credit_clean"});
  EXPECT_EQ(row.clauses[1].rule.params_used, std::vector<std::string>{"development_revenue_min"});
  EXPECT_EQ(set->rows[8].clauses.size(), 1u);
  EXPECT_EQ(set->rows[8].clauses[0].text, "true");
}

TEST(RuleSetTest, ClausesIgnoreCommentsAndNestedAnds) {
  std::string text =
      std::string(kHeader) +
      "[[rows]]\noutcome = \"growth\"\n"
      "when = '''online && (employees > 1 && trademarks > 0) # note\n"
      "  && status == \"a&&b\" # why\n'''\n" +
      "[[rows]]\noutcome = \"growth\"\nwhen = 'online || employees > 1 && patents > 0'\n" +
      std::string(kSurvivalRow);
  auto set = Parse(text);
  ASSERT_TRUE(set.ok()) << set.error().message();
  ASSERT_EQ(set->rows[0].clauses.size(), 3u);
  EXPECT_EQ(set->rows[0].clauses[0].text, "online");
  EXPECT_EQ(set->rows[0].clauses[1].text, "(employees > 1 && trademarks > 0)");
  EXPECT_EQ(set->rows[0].clauses[2].text, "status == \"a&&b\"");
  ASSERT_EQ(set->rows[1].clauses.size(), 1u);
  EXPECT_EQ(set->rows[1].clauses[0].text, "online || employees > 1 && patents > 0");
}

TEST(RuleSetTest, HashIsStableAndCoversEveryByte) {
  std::string text = std::string(kHeader) + std::string(kSurvivalRow);
  auto a = Parse(text);
  auto b = Parse(text);
  auto c = Parse(text + " ");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->sha256, b->sha256);
  EXPECT_NE(a->sha256, c->sha256);
}

TEST(RuleSetTest, HashIsSha256OfTheBytes) {
  // printf '[rule_set]\nname = "t"\nversion = "1"\neffective_on = 2026-01-01\n[[rows]]\n
  // outcome = "survival"\nwhen = "true"\n\n' | sha256sum
  auto set = Parse(std::string(kHeader) + std::string(kSurvivalRow));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->sha256, "075564d54f49ea9894ee822bad01224c09245b1803009ffae5016d83f3aa83de");
}

// ---- Errors -----------------------------------------------------------------------------

struct ErrorCase {
  std::string body;  // after kHeader (line 5 on), or the whole file when it has [rule_set]
  std::string message;
};

void ExpectErrors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    std::string text =
        c.body.find("[rule_set") != std::string::npos ? c.body : std::string(kHeader) + c.body;
    EXPECT_EQ(ErrorOf(text), c.message) << text;
  }
}

TEST(RuleSetTest, RejectsBadHeadersAndUnknownKeys) {
  ExpectErrors({
      {"[rule_sets]\nname = \"t\"\n",
       "t.toml 第 1 行：文件顶层 中有未知的键“rule_sets”，您是否想写“rule_set”？"},
      {"[rule_set]\nnam = \"t\"\n",
       "t.toml 第 2 行：[rule_set] 中有未知的键“nam”，您是否想写“name”？"},
      {"[rule_set]\nname = \"t\"\nversion = \"1\"\n",
       "t.toml 第 1 行：[rule_set] 缺少“effective_on”（生效日期）"},
      {"[rule_set]\nname = \"t\"\nversion = \"1\"\neffective_on = \"2026-01-01\"\n",
       "t.toml 第 4 行：effective_on 必须是日期，例如 2026-01-01（不加引号）"},
      {"[rule_set]\nname = \"a b\"\nversion = \"1\"\neffective_on = 2026-01-01\n",
       "t.toml 第 1 行：[rule_set] 的名称和版本只能用英文字母、数字、“-”、“_”和“.”：“a b”"},
      {"[params]\n",
       "t.toml：没有分型行：至少需要一行 outcome 为 development、growth 或 survival 的 [[rows]]"},
      {"rows = 1\n" + std::string(kHeader), "t.toml 第 1 行：rows 必须写成 [[rows]] 表数组"},
  });
}

TEST(RuleSetTest, ReportsTomlSyntaxErrorsWithPosition) {
  std::string message = ErrorOf(std::string(kHeader) + "[[rows]]\noutcome = survival\n");
  EXPECT_TRUE(message.starts_with("t.toml 第 6 行第 11 列：TOML 语法错误（")) << message;
}

TEST(RuleSetTest, RejectsBadParams) {
  ExpectErrors({
      {"[params.x]\nvalue = 1\n", "t.toml 第 5 行：[params.x] 缺少“type”"},
      {"[params.x]\ntype = \"float\"\nvalue = 1\n",
       "t.toml 第 6 行：参数“x”的类型“float”无效：只能是 int、money、date、bool、codeset、code 或 "
       "text"},
      {"[params.x]\ntype = \"int\"\nlabl = \"x\"\nvalue = 1\n",
       "t.toml 第 7 行：[params.x] 中有未知的键“labl”，您是否想写“label”？"},
      {"[params.x]\ntype = \"int\"\n", "t.toml 第 5 行：参数“x”需要 value 或 steps"},
      {"[params.x]\ntype = \"int\"\nvalue = 1\nsteps = []\n",
       "t.toml 第 5 行：参数“x”不能同时写 value 和 steps"},
      {"[params.x]\ntype = \"int\"\nvalue = \"1\"\n", "t.toml 第 7 行：参数“x”的值必须是整数"},
      {"[params.x]\ntype = \"money\"\nvalue = \"1000\"\n",
       "t.toml 第 7 行：参数“x”的值必须是金额：写成字符串 \"¥100000\"、\"¥12.50\"，或整数元"},
      {"[params.x]\ntype = \"money\"\nvalue = \"¥12.345\"\n",
       "t.toml 第 7 行：参数“x”的值必须是金额：写成字符串 \"¥100000\"、\"¥12.50\"，或整数元"},
      {"[params.x]\ntype = \"money\"\nvalue = \"¥1000000000000000.01\"\n",  // over ¥10^15
       "t.toml 第 7 行：参数“x”的值必须是金额：写成字符串 \"¥100000\"、\"¥12.50\"，或整数元"},
      {"[params.x]\ntype = \"date\"\nvalue = \"2026-01-01\"\n",
       "t.toml 第 7 行：参数“x”的值必须是日期，例如 2026-01-01（不加引号）"},
      {"[params.x]\ntype = \"bool\"\nvalue = 1\n",
       "t.toml 第 7 行：参数“x”的值必须是布尔值 true 或 false"},
      {"[params.x]\ntype = \"codeset\"\nvalue = [\"F\", 1]\n",
       "t.toml 第 7 行：参数“x”的值必须是字符串数组，例如 [\"F\", \"H\"]"},
      {"[params.x]\ntype = \"int\"\nsteps = []\n",
       "t.toml 第 7 行：参数“x”的 steps 必须是非空数组，每项写成 { from = 2026-01-01, value = … }"},
      {"[params.x]\ntype = \"int\"\nsteps = [ { from = 2026-01-01, value = 1 },\n"
       "  { from = 2025-01-01, value = 2 } ]\n",
       "t.toml 第 8 行：参数“x”的 steps 必须按 from 从早到晚排列，日期不能重复"},
      {"[params.x]\ntype = \"int\"\nsteps = [ { from = 2026-01-01, value = 1 },"
       " { from = 2026-01-01, value = 2 } ]\n",
       "t.toml 第 7 行：参数“x”的 steps 必须按 from 从早到晚排列，日期不能重复"},
      {"[params.x]\ntype = \"int\"\nsteps = [ { from = 2026-01-01, val = 1 } ]\n",
       "t.toml 第 7 行：steps 中有未知的键“val”（可用的键：from、value）"},
      {"[params.1x]\ntype = \"int\"\nvalue = 1\n",
       "t.toml 第 5 行：参数名“1x”无效：只能用英文字母、数字和下划线，且不能以数字开头"},
  });
}

TEST(RuleSetTest, RejectsBadOverrides) {
  const std::string param =
      "[params.growth_revenue_min]\ntype = \"money\"\nvalue = 100000\n";  // 5–7
  ExpectErrors({
      {param + "[[overrides]]\nregion = \"54\"\nparams = { growth_revenu_min = 1 }\n",
       "t.toml 第 10 行：覆盖的参数“growth_revenu_min”没有在 [params] 中定义，您是否想写"
       "“growth_revenue_min”？"},
      {param + "[[overrides]]\nregion = \"54\"\nparams = { growth_revenue_min = true }\n",
       "t.toml 第 10 行：参数“growth_revenue_min”的值必须是金额：写成字符串 \"¥100000\"、"
       "\"¥12.50\"，或整数元"},
      {param + "[[overrides]]\nregion = \"541\"\nparams = { growth_revenue_min = 1 }\n",
       "t.toml 第 9 行：区划前缀“541”无效：必须是 2、4 或 6 位数字"},
      {param + "[[overrides]]\nregion = \"54\"\n",
       "t.toml 第 8 行：[[overrides]] 需要 params 表，"
       "例如 params = { growth_revenue_min = \"¥80000\" }"},
      {param + "[[overrides]]\nregion = \"54\"\nparams = { growth_revenue_min = 1 }\n"
               "[[overrides]]\nregion = \"54\"\nparams = { growth_revenue_min = 2 }\n",
       "t.toml 第 11 行：区划前缀“54”重复：第 8 行已有它的覆盖"},
      {param + "[[overrides]]\nregion = \"54\"\nlabel = \"西藏\"\nnote = \"x\"\nparams = {}\n",
       "t.toml 第 11 行：[[overrides]] 中有未知的键“note”（可用的键：region、label、params）"},
  });
}

TEST(RuleSetTest, RejectsBadRows) {
  ExpectErrors({
      {"[[rows]]\noutcome = \"grow\"\nwhen = \"true\"\n",
       "t.toml 第 6 行：未知的分型结果“grow”：只能是 development、growth、survival 或 untyped"},
      {"[[rows]]\noutcome = \"survival\"\n", "t.toml 第 5 行：[[rows]] 缺少“when”"},
      {"[[rows]]\noutcome = \"survival\"\nwhen = \"true\"\nwhen_ = \"x\"\n",
       "t.toml 第 8 行：[[rows]] 中有未知的键“when_”，您是否想写“when”？"},
      {"[[rows]]\noutcome = \"untyped\"\nlabel = \"x\"\nwhen = \"true\"\n",
       "t.toml 第 5 行：未分型行需要 reason（原因代码，例如 NO_ANNUAL_REPORT）"},
      {"[[rows]]\noutcome = \"untyped\"\nreason = \"X\"\nwhen = \"true\"\n",
       "t.toml 第 5 行：未分型行需要 label（原因的中文说明）"},
      {"[[rows]]\noutcome = \"untyped\"\nreason = \"no_report\"\nlabel = \"x\"\nwhen = \"true\"\n",
       "t.toml 第 7 行：原因代码“no_report”无效：只能用大写英文字母、数字和下划线，并以字母开头"},
      {"[[rows]]\noutcome = \"untyped\"\nreason = \"NO_MATCH\"\nlabel = \"x\"\nwhen = \"true\"\n",
       "t.toml 第 7 行：原因代码“NO_MATCH”保留给不满足任何一行的户，请换一个"},
      {"[[rows]]\noutcome = \"untyped\"\nreason = \"A\"\nlabel = \"x\"\nwhen = \"online\"\n"
       "[[rows]]\noutcome = \"untyped\"\nreason = \"A\"\nlabel = \"y\"\nwhen = \"true\"\n",
       "t.toml 第 10 行：原因代码“A”与第 5 行重复"},
      {"[[rows]]\noutcome = \"untyped\"\nreason = \"A\"\nlabel = \"x\"\nwhen = \"true\"\n",
       "t.toml：没有分型行：至少需要一行 outcome 为 development、growth 或 survival 的 [[rows]]"},
  });
}

TEST(RuleSetTest, PlacesConditionErrorsInTheFile) {
  ExpectErrors({
      // Single-line string: the value starts at column 8 (the quote).
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"revenu_prev > 0\"\n",
       "t.toml 第 7 行第 9 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      // Escapes shift the columns of a basic string.
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"status == \\\"x\\\" && revenu_prev > 0\"\n",
       "t.toml 第 7 行第 28 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      // A literal string with CJK text before the error: columns count characters.
      {"[[rows]]\noutcome = \"growth\"\nwhen = 'status == \"存续\" && revenu_prev > 0'\n",
       "t.toml 第 7 行第 27 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      // A multi-line string starting with a line break: its first line is the next line.
      {"[[rows]]\noutcome = \"growth\"\nwhen = '''\nonline\n  && revenu_prev > 0'''\n",
       "t.toml 第 9 行第 6 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      // A multi-line string starting on the key's line.
      {"[[rows]]\noutcome = \"growth\"\nwhen = '''revenu_prev > 0\n  && online'''\n",
       "t.toml 第 7 行第 11 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      // A \n escape starts a new rule line without starting a file line.
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"online &&\\nrevenu_prev > 0\"\n",
       "t.toml 第 7 行第 20 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      // A line-ending backslash joins lines of a multi-line basic string.
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"\"\"\nonline && \\\n    revenu_prev > 0\"\"\"\n",
       "t.toml 第 9 行第 5 列：未知字段“revenu_prev”，您是否想写“revenue_prev”？"},
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"params.nope > 0\"\n",
       "t.toml 第 7 行第 9 列：未知参数“params.nope”"},
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"employees\"\n",
       "t.toml 第 7 行第 9 列：规则的结果必须是布尔值（条件），这里是整数"},
      {"[[rows]]\noutcome = \"growth\"\nwhen = \"\"\n",
       "t.toml 第 7 行：[[rows]] 的“when”不能为空"},
      {"[[rows]]\noutcome = \"growth\"\nwhen = \" # x\"\n", "t.toml 第 7 行第 13 列：规则为空"},
  });
}

TEST(RuleSetTest, LimitsRowsAndClauses) {
  std::string rows;
  for (int i = 0; i < 65; ++i) rows += kSurvivalRow;  // row i starts on line 5 + 4i
  EXPECT_EQ(ErrorOf(std::string(kHeader) + rows),
            "t.toml 第 261 行：分型行过多：共 65 行，上限 64 行");

  std::string when = "true";
  for (int i = 0; i < 32; ++i) when += " && true";
  EXPECT_EQ(
      ErrorOf(std::string(kHeader) + "[[rows]]\noutcome = \"growth\"\nwhen = \"" + when + "\"\n"),
      "t.toml 第 5 行：条件有 33 个顶层“&&”子句，上限 32 个");
}

TEST(RuleSetTest, RefusesFilesOverOneMebibyte) {
  std::string big(2 << 20, '#');
  EXPECT_EQ(ErrorOf(big), "t.toml：规则集文件过大：2097152 字节，上限 1048576 字节");

  std::string path = testing::TempDir() + "/rule_set_test_big.toml";
  std::ofstream(path, std::ios::binary) << big;
  auto set = LoadRuleSetFile(path, ProfileFields());
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().message(),
            "rule_set_test_big.toml：规则集文件过大：2097152 字节，上限 1048576 字节");
  std::remove(path.c_str());
}

TEST(RuleSetTest, MissingFileIsNotFound) {
  auto set = LoadRuleSetFile(testing::TempDir() + "/no-such-rules.toml", ProfileFields());
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().code(), base::StatusCode::kNotFound);
}

// ---- Warnings ---------------------------------------------------------------------------

TEST(RuleSetTest, WarnsAboutUnreachableRowsAndGaps) {
  EXPECT_EQ(
      WarningsOf(std::string(kHeader) + std::string(kSurvivalRow) +
                 "[[rows]]\noutcome = \"growth\"\nwhen = \"online\"\n"),
      (std::vector<std::string>{"第 9 行永远不会被命中：前面第 5 行的条件恒为真",
                                "最后一行不是 true：不满足任何一行的户将记为未分型（NO_MATCH）",
                                "第 9 行（成长型）排在第 5 行（生存型）之后：只有不满足第 5 "
                                "行条件的户才可能被判为成长型"}));
  EXPECT_EQ(WarningsOf(std::string(kHeader) +
                       "[[rows]]\noutcome = \"growth\"\nwhen = \"online  &&employees>1\"\n"
                       "[[rows]]\noutcome = \"survival\"\nwhen = '''online && # same\n"
                       "  employees > 1'''\n" +
                       std::string(kSurvivalRow)),
            (std::vector<std::string>{"第 8 行永远不会被命中：条件与前面第 5 行相同"}));
}

TEST(RuleSetTest, WarnsAboutOrderAndUnusedParams) {
  EXPECT_EQ(WarningsOf(std::string(kHeader) +
                       "[params.unused]\ntype = \"int\"\nvalue = 1\n"  // 5–7
                       "[[rows]]\noutcome = \"growth\"\nwhen = \"online\"\n"
                       "[[rows]]\noutcome = \"development\"\nwhen = \"employees > 5\"\n" +
                       std::string(kSurvivalRow)),
            (std::vector<std::string>{"参数“unused”没有被任何一行使用",
                                      "第 11 行（发展型）排在第 8 行（成长型）之后：只有不满足第 8 "
                                      "行条件的户才可能被判为发展型"}));
}

// ---- Values -----------------------------------------------------------------------------

ParamValue Value(ValueType type, int64_t v) {
  ParamValue out;
  out.type = type;
  out.int_value = v;
  return out;
}
ParamValue Set(std::vector<std::string> items) {
  ParamValue out;
  out.type = ValueType::kCodeSet;
  out.items = std::move(items);
  return out;
}
ParamValue Text(ValueType type, std::string text) {
  ParamValue out;
  out.type = type;
  out.text = std::move(text);
  return out;
}

TEST(ParamValueTest, FormatsAsUsersWriteValues) {
  EXPECT_EQ(FormatParamValue(Value(ValueType::kInt, 36)), "36");
  EXPECT_EQ(FormatParamValue(Value(ValueType::kMoney, 100'000'000)), "¥1,000,000");
  EXPECT_EQ(FormatParamValue(Value(ValueType::kMoney, 1'250)), "¥12.50");
  EXPECT_EQ(FormatParamValue(Value(ValueType::kMoney, -500)), "-¥5");
  EXPECT_EQ(FormatParamValue(Value(ValueType::kDate, D("2026-07-01").days_since_epoch())),
            "2026-07-01");
  EXPECT_EQ(FormatParamValue(Value(ValueType::kBool, 1)), "true");
  EXPECT_EQ(FormatParamValue(Set({"F", "H"})), "[\"F\", \"H\"]");
  EXPECT_EQ(FormatParamValue(Text(ValueType::kCode, "54")), "54");
}

TEST(ParamValueTest, ParsesWhatItFormats) {
  std::vector<ParamValue> values = {
      Value(ValueType::kInt, -7),
      Value(ValueType::kMoney, 100'000'000),
      Value(ValueType::kMoney, 1'250),
      Value(ValueType::kMoney, -500),
      Value(ValueType::kDate, D("2026-07-01").days_since_epoch()),
      Value(ValueType::kBool, 0),
      Set({"F", "H"}),
      Set({}),
      Text(ValueType::kText, "张三"),
  };
  for (const ParamValue& v : values) {
    auto parsed = ParseParamValue(v.type, FormatParamValue(v));
    ASSERT_TRUE(parsed.ok()) << FormatParamValue(v) << ": " << parsed.error().message();
    EXPECT_EQ(*parsed, v) << FormatParamValue(v);
  }
}

TEST(ParamValueTest, AcceptsCommandLineForms) {
  EXPECT_EQ(ParseParamValue(ValueType::kMoney, "1000000")->int_value, 100'000'000);
  EXPECT_EQ(ParseParamValue(ValueType::kMoney, "12.5")->int_value, 1'250);
  EXPECT_EQ(ParseParamValue(ValueType::kMoney, "￥80,000")->int_value, 8'000'000);
  EXPECT_EQ(ParseParamValue(ValueType::kCodeSet, "F, H")->items,
            (std::vector<std::string>{"F", "H"}));
  EXPECT_EQ(ParseParamValue(ValueType::kInt, " 24 ")->int_value, 24);
}

TEST(ParamValueTest, RejectsMalformedValues) {
  EXPECT_EQ(ParseParamValue(ValueType::kInt, "3.5").error().message(), "“3.5”不是整数");
  EXPECT_EQ(ParseParamValue(ValueType::kBool, "yes").error().message(),
            "“yes”不是布尔值（true 或 false）");
  EXPECT_FALSE(ParseParamValue(ValueType::kMoney, "12.345").ok());
  EXPECT_FALSE(ParseParamValue(ValueType::kDate, "2026-02-30").ok());
  EXPECT_FALSE(ParseParamValue(ValueType::kCodeSet, "[F, H").ok());
  EXPECT_FALSE(ParseParamValue(ValueType::kCodeSet, "F,,H").ok());
}

TEST(ProfileFieldsTest, CoversTheProfileCatalog) {
  const FieldCatalog& c = ProfileFields();
  EXPECT_EQ(c.FieldType("revenue_prev"), ValueType::kMoney);
  EXPECT_EQ(c.FieldType("status"), ValueType::kCode);
  EXPECT_EQ(c.FieldType("honours"), ValueType::kCodeSet);
  EXPECT_EQ(c.FieldType("credit_clean"), ValueType::kBool);
  EXPECT_EQ(c.FieldType("nope"), std::nullopt);
  EXPECT_TRUE(c.ParamNames().empty());
  EXPECT_EQ(c.FieldNames().front(), "status");

  ExtendedCatalog extended(c);
  extended.AddParam("m", ValueType::kMoney);
  EXPECT_EQ(extended.ParamType("m"), ValueType::kMoney);
  EXPECT_EQ(extended.FieldType("employees"), ValueType::kInt);
  EXPECT_EQ(extended.ParamNames(), std::vector<std::string>{"m"});
}

}  // namespace
}  // namespace getihu::rules
