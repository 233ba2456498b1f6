// libFuzzer harness that holds the vector evaluator (engine/program.h) to the scalar reference
// (engine/scalar_eval.h): any bytes that compile as a boolean rule over the profile fields and
// a fixed set of parameters are evaluated both ways over a fixed frame of 300 varied households
// (missing values, several regions, industries and statuses, honours, zeros and extreme
// numbers), and the two must agree household by household. Also: never a crash, a hang, a
// leak or undefined behaviour, and a rule that reads no field has one value for every
// household. A disagreement prints the row and both truths, then traps.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/money.h"
#include "domain/profile.h"
#include "engine/frame.h"
#include "engine/program.h"
#include "engine/scalar_eval.h"
#include "rules/checker.h"
#include "rules/profile_fields.h"
#include "rules/rule_set.h"

namespace {

namespace engine = getihu::engine;
namespace rules = getihu::rules;
using getihu::base::Date;
using getihu::base::Money;
using getihu::domain::HouseholdProfile;
using rules::ValueType;

constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr int kI32Max = std::numeric_limits<int>::max();
constexpr int64_t kMaxFen = 100'000'000'000'000'000;  // ¥10^15

int64_t Day(int y, int m, int d) { return Date::FromYmd(y, m, d)->days_since_epoch(); }

rules::ParamValue Num(ValueType type, int64_t v) { return {type, v, "", {}}; }
rules::ParamValue Text(ValueType type, std::string s) { return {type, 0, std::move(s), {}}; }
rules::ParamValue Set(std::vector<std::string> items) {
  return {ValueType::kCodeSet, 0, "", std::move(items)};
}

// The parameters of data/rules/default-tiering.toml and of tests/rules/eval/*.test (so that
// their rules, the seeds, compile), and one or more of every type with edge values that a
// rule-set file can give (money within ±INT64_MAX fen: a file cannot write −2^63 fen).
engine::Params MakeParams() {
  engine::Params p;
  p["development_months_min"] = Num(ValueType::kInt, 36);
  p["development_revenue_min"] = Num(ValueType::kMoney, 100'000'000);
  p["development_tax_min"] = Num(ValueType::kMoney, 3'000'000);
  p["development_employees_min"] = Num(ValueType::kInt, 5);
  p["growth_months_min"] = Num(ValueType::kInt, 12);
  p["growth_revenue_min"] = Num(ValueType::kMoney, 10'000'000);
  p["growth_employees_min"] = Num(ValueType::kInt, 1);
  p["n"] = Num(ValueType::kInt, 0);
  p["min"] = Num(ValueType::kMoney, 10'000'000);
  p["opened"] = Num(ValueType::kDate, Day(2023, 7, 1));
  p["registered"] = Num(ValueType::kDate, Day(2025, 7, 2));
  p["start"] = Num(ValueType::kDate, Day(2026, 1, 1));
  p["later"] = Num(ValueType::kDate, Day(2026, 8, 1));
  p["end"] = Num(ValueType::kDate, Day(2026, 12, 31));
  p["kind"] = Text(ValueType::kText, "intangible_heritage_item");
  p["wanted"] = Text(ValueType::kCode, "suspended");
  p["regions"] = Set({"54", "5001"});
  p["sections"] = Set({"F", "H"});
  p["p_true"] = Num(ValueType::kBool, 1);
  p["p_false"] = Num(ValueType::kBool, 0);
  p["p_int_max"] = Num(ValueType::kInt, kI64Max);
  p["p_int_min"] = Num(ValueType::kInt, kI64Min);
  p["p_int_neg"] = Num(ValueType::kInt, -1);
  p["p_money_max"] = Num(ValueType::kMoney, kI64Max);
  p["p_money_min"] = Num(ValueType::kMoney, -kI64Max);  // "-¥92233720368547758.07"
  p["p_money_neg"] = Num(ValueType::kMoney, -500);
  p["p_date_min"] = Num(ValueType::kDate, Day(1900, 1, 1));
  p["p_date_max"] = Num(ValueType::kDate, Day(2999, 12, 31));
  p["p_code"] = Text(ValueType::kCode, "5");
  p["p_code_empty"] = Text(ValueType::kCode, "");
  p["p_text"] = Text(ValueType::kText, "active");
  p["p_set_empty"] = Set({});
  p["p_set"] = Set({"52", "6210", "500113", "", "national_time_honoured_brand"});
  return p;
}

// 300 households from a fixed seed; every 23rd has extreme numbers: the largest amounts a feed
// can hold (base::Money::ParseYuan takes up to ¥10^15) and INT32_MAX counts.
engine::Frame MakeFrame() {
  std::mt19937_64 rng(20260701);
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(xs.begin()[rng() % xs.size()]);
  };
  auto coin = [&](int pct) { return static_cast<int>(rng() % 100) < pct; };
  auto money = [&]() -> Money {
    switch (rng() % 8) {
      case 0:
        return Money::FromFen(0);
      case 1:
        return Money::FromYuan(1'000'000);  // the development threshold
      case 2:
        return Money::FromFen(100'000 * 100 - 1);  // one fen under the growth threshold
      case 3:
        return Money::FromYuan(100'000);
      case 4:
        return Money::FromFen(static_cast<int64_t>(rng() % 1'000'000'000'000));  // < ¥10亿
      default:
        return Money::FromFen(static_cast<int64_t>(rng() % 30'000'000));
    }
  };
  engine::FrameBuilder b;
  for (int i = 0; i < 300; ++i) {
    HouseholdProfile p;
    p.household_id = 1000 + i;
    p.status = pick({"active", "active", "active", "active", "suspended", "deregistered", "revoked",
                     "converted", ""});
    constexpr int kBoundaryMonths[] = {0, 11, 12, 35, 36};
    p.months_in_business = coin(15) ? kBoundaryMonths[rng() % 5] : static_cast<int>(rng() % 300);
    p.years_in_business = p.months_in_business / 12;
    p.region = pick({"500113", "500112", "540102", "542621", "110101", "650102", ""});
    p.township = p.region.empty() || coin(20) ? "" : p.region + pick({"001", "002", "101"});
    p.industry = pick({"5211", "5212", "6210", "0511", "7711", "5", "", "A0111"});
    p.section = p.industry.empty() ? "" : pick({"F", "H", "A", "I", ""});
    p.sector = static_cast<int>(rng() % 4);  // 0: unknown
    p.online = coin(15);
    p.registered_before_year = coin(90);
    p.annual_report_filed = coin(75);
    if (coin(70)) p.revenue_prev = money();
    if (coin(60)) p.tax_paid_prev = coin(5) ? Money::FromFen(-100) : money();
    if (coin(60)) p.employees = static_cast<int>(rng() % 12);
    if (coin(40)) p.insured_employees = static_cast<int>(rng() % 8);
    if (coin(20)) p.housing_fund_payers = static_cast<int>(rng() % 4);
    p.trademarks = coin(80) ? 0 : static_cast<int>(rng() % 4);
    p.patents = coin(85) ? 0 : static_cast<int>(rng() % 3);
    p.honours = coin(70) ? 0 : static_cast<uint32_t>(rng() & 0x7FF);  // 11 honour kinds
    p.abnormal_now = coin(10);
    p.unrepaired_penalty_12m = coin(5);
    p.dishonest_debtor = coin(3);
    p.safety_accident_12m = coin(3);
    p.first_loan = coin(20);
    if (coin(30)) p.veteran = coin(50);
    if (coin(20)) p.employment_difficulty = coin(50);
    if (coin(20)) p.poverty_alleviated = coin(50);
    if (coin(20)) p.returning_migrant = coin(50);
    if (coin(10)) p.disabled = coin(50);
    if (coin(15)) p.graduation_year = 1990 + static_cast<int>(rng() % 37);
    if (i % 23 == 7) {                // extremes: overflow must be unknown both ways
      p.months_in_business = 13'188;  // 1900-01 to 2999-12, the widest dates
      p.years_in_business = p.months_in_business / 12;
      p.revenue_prev = Money::FromFen(i % 2 == 0 ? kMaxFen : kMaxFen - 1);
      p.tax_paid_prev = Money::FromFen(i % 3 == 0 ? -kMaxFen : 0);
      p.employees = kI32Max;
      p.insured_employees = 0;
      p.trademarks = kI32Max;
      p.patents = 0;
      p.graduation_year = 0;
      p.honours = 0x7FF;
    }
    b.Append(p);
  }
  return b.Finish();
}

struct Env {
  engine::Params params = MakeParams();
  engine::Frame frame = MakeFrame();
  rules::ExtendedCatalog catalog{rules::ProfileFields()};
  Date as_of = *Date::FromYmd(2026, 7, 1);

  Env() {
    for (const auto& [name, value] : params) catalog.AddParam(name, value.type);
  }
};

const Env& TheEnv() {
  static const Env* env = new Env();
  return *env;
}

[[noreturn]] void Disagree(const char* what, size_t row, engine::Truth scalar,
                           engine::Truth vector) {
  std::fprintf(stderr, "rule_eval_fuzz: %s at row %zu: scalar %d, vector %d\n", what, row,
               static_cast<int>(scalar), static_cast<int>(vector));
  __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Env& env = TheEnv();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rule = rules::CompileRule(text, env.catalog);
  if (!rule) {
    // Not boolean (or not a rule): a value of another type still evaluates without harm.
    auto any = rules::CompileRule(text, env.catalog, {.require_bool = false});
    if (!any) return 0;
    for (size_t i = 0; i < env.frame.size(); ++i) {
      engine::ScalarContext ctx{&env.frame, i, &env.params, env.as_of};
      engine::Value v = engine::EvalScalar(*any->root, ctx);
      if (v.type != any->type) __builtin_trap();
      (void)engine::FormatValue(v);
    }
    return 0;
  }
  // Every profile field but the keys is a column of the frame, so any checked rule compiles.
  auto program = engine::Program::Compile(*rule->root, env.frame, env.params, env.as_of);
  if (!program.ok()) {
    std::fprintf(stderr, "rule_eval_fuzz: Program::Compile failed: %s\n",
                 program.error().message().c_str());
    __builtin_trap();
  }
  std::vector<engine::Truth> vector = program->EvalAll();
  if (vector.size() != env.frame.size()) __builtin_trap();
  const bool constant = engine::IsConstant(*rule->root);
  engine::Truth first = engine::Truth::kUnknown;
  for (size_t i = 0; i < env.frame.size(); ++i) {
    engine::ScalarContext ctx{&env.frame, i, &env.params, env.as_of};
    engine::Truth scalar = engine::EvalScalar(*rule->root, ctx).truth();
    if (scalar != vector[i])
      Disagree("scalar and vector evaluation disagree", i, scalar, vector[i]);
    if (i == 0) first = scalar;
    if (constant && scalar != first) Disagree("a constant rule varies", i, first, scalar);
  }
  // A chunk that starts inside the frame and ends before it: the same truths.
  constexpr size_t kBegin = 64, kCount = 100;
  engine::TruthChunk chunk;
  engine::Workspace ws;
  program->Eval(kBegin, kCount, chunk, ws);
  for (size_t i = 0; i < kCount; ++i) {
    bool t = (chunk.t[i / 64] >> (i % 64)) & 1, f = (chunk.f[i / 64] >> (i % 64)) & 1;
    if (t && f) __builtin_trap();
    engine::Truth got = t   ? engine::Truth::kTrue
                        : f ? engine::Truth::kFalse
                            : engine::Truth::kUnknown;
    if (got != vector[kBegin + i])
      Disagree("Eval(64, 100) and EvalAll disagree", kBegin + i, vector[kBegin + i], got);
  }
  return 0;
}
