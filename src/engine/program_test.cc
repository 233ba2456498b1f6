// The vector evaluator must mean exactly what the scalar reference means: random rules over a
// random frame (with missing values, tails not a multiple of 64 and several chunks) are
// evaluated both ways and compared household by household.
#include "engine/program.h"

#include <gtest/gtest.h>

#include <random>

#include "domain/profile.h"
#include "rules/checker.h"

namespace getihu::engine {
namespace {

using rules::ValueType;

rules::SimpleCatalog Catalog() {
  rules::SimpleCatalog c;
  for (const domain::ProfileField& f : domain::ProfileCatalog()) {
    ValueType t = ValueType::kInt;
    switch (f.type) {
      case domain::ProfileType::kBool:
        t = ValueType::kBool;
        break;
      case domain::ProfileType::kInt:
        t = ValueType::kInt;
        break;
      case domain::ProfileType::kMoney:
        t = ValueType::kMoney;
        break;
      case domain::ProfileType::kCode:
        t = ValueType::kCode;
        break;
      case domain::ProfileType::kCodeSet:
        t = ValueType::kCodeSet;
        break;
    }
    c.AddField(std::string(f.name), t);
  }
  c.AddParam("p_int", ValueType::kInt);
  c.AddParam("p_money", ValueType::kMoney);
  c.AddParam("p_set", ValueType::kCodeSet);
  c.AddParam("p_date", ValueType::kDate);
  return c;
}

Params TestParams() {
  Params p;
  p["p_int"] = rules::ParamValue{ValueType::kInt, 5, "", {}};
  p["p_money"] = rules::ParamValue{ValueType::kMoney, 10'000'000, "", {}};
  p["p_set"] = rules::ParamValue{ValueType::kCodeSet, 0, "", {"52", "6210", "5001"}};
  p["p_date"] = rules::ParamValue{ValueType::kDate, 19000, "", {}};
  return p;
}

Frame RandomFrame(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto coin = [&](int pct) { return static_cast<int>(rng() % 100) < pct; };
  FrameBuilder b;
  for (size_t i = 0; i < n; ++i) {
    domain::HouseholdProfile p;
    p.household_id = static_cast<int64_t>(i + 1);
    const char* statuses[] = {"active", "active", "suspended", "deregistered", ""};
    p.status = statuses[rng() % 5];
    p.months_in_business = static_cast<int>(rng() % 200);
    p.years_in_business = p.months_in_business / 12;
    const char* regions[] = {"500113", "500112", "540102"};
    p.region = regions[rng() % 3];
    p.township = coin(20) ? "" : p.region + std::to_string(100 + rng() % 5);
    const char* industries[] = {"5211", "5212", "6210", "0511", "7711"};
    p.industry = industries[rng() % 5];
    p.section = p.industry.substr(0, 1) == "5" ? "F" : "H";
    p.sector = coin(10) ? 0 : 3;
    p.online = coin(10);
    p.annual_report_filed = coin(80);
    p.registered_before_year = coin(90);
    if (coin(70)) p.revenue_prev = base::Money::FromFen(static_cast<int64_t>(rng() % 30'000'000));
    if (coin(60)) p.tax_paid_prev = base::Money::FromFen(static_cast<int64_t>(rng() % 500'000));
    if (coin(60)) p.employees = static_cast<int>(rng() % 12);
    p.trademarks = static_cast<int>(rng() % 3);
    p.honours = static_cast<uint32_t>(rng() % 16);
    p.abnormal_now = coin(10);
    if (coin(30)) p.veteran = coin(50);
    if (coin(10)) p.graduation_year = 2015 + static_cast<int>(rng() % 10);
    b.Append(p);
  }
  return b.Finish();
}

class RuleGen {
 public:
  explicit RuleGen(uint64_t seed) : rng_(seed) {}

  std::string Bool(int depth) {
    int pick = static_cast<int>(rng_() % (depth > 3 ? 6 : 11));
    switch (pick) {
      case 0:
        return Pick({"online", "annual_report_filed", "abnormal_now", "veteran", "credit_clean",
                     "registered_before_year"});
      case 1:
        return "is_missing(" + Pick({"revenue_prev", "employees", "status", "veteran", "sector"}) +
               ")";
      case 2:
        return Int(depth + 1) + Cmp() + Int(depth + 1);
      case 3:
        return Money(depth + 1) + Cmp() + Money(depth + 1);
      case 4:
        return Pick({"status", "industry", "region", "township", "section"}) +
               Pick({" == ", " != "}) +
               Pick({"\"active\"", "\"5211\"", "\"500113\"", "\"\"", "\"F\""});
      case 5:
        return Pick({"industry", "region", "township", "status"}) + " in " +
               Pick({"[\"52\", \"6\"]", "params.p_set", "[]", "[\"\"]", "[\"500113100\"]"});
      case 6:
        return Pick({"\"national_time_honoured_brand\"", "\"intangible_heritage_item\"",
                     "\"local_time_honoured_brand\"", "\"nonsense\""}) +
               " in honours";
      case 7:
        return "!(" + Bool(depth + 1) + ")";
      case 8:
        return "(" + Bool(depth + 1) + " && " + Bool(depth + 1) + ")";
      case 9:
        return "(" + Bool(depth + 1) + " || " + Bool(depth + 1) + ")";
      default:
        return Pick({"online == veteran", "industry == section", "region in honours", "true",
                     "false", "abnormal_now != credit_clean"});
    }
  }

 private:
  std::string Int(int depth) {
    int pick = static_cast<int>(rng_() % (depth > 3 ? 3 : 7));
    switch (pick) {
      case 0:
        return Pick({"months_in_business", "employees", "trademarks", "sector", "graduation_year",
                     "years_in_business"});
      case 1:
        return std::to_string(rng_() % 40);
      case 2:
        return "params.p_int";
      case 3:
        return "(" + Int(depth + 1) + Pick({" + ", " - ", " * ", " / "}) + Int(depth + 1) + ")";
      case 4:
        return Pick({"min", "max"}) + "(" + Int(depth + 1) + ", " + Int(depth + 1) + ")";
      case 5:
        return "abs(" + Int(depth + 1) + ")";
      default:
        return Pick({"years_between(params.p_date, today())",
                     "days_between(date(\"2026-01-01\"), today())", "-" + Int(depth + 1)});
    }
  }
  std::string Money(int depth) {
    int pick = static_cast<int>(rng_() % (depth > 3 ? 3 : 6));
    switch (pick) {
      case 0:
        return Pick({"revenue_prev", "tax_paid_prev"});
      case 1:
        return "¥" + std::to_string(rng_() % 200000);
      case 2:
        return "params.p_money";
      case 3:
        return "(" + Money(depth + 1) + Pick({" + ", " - "}) + Money(depth + 1) + ")";
      case 4:
        return "(" + Money(depth + 1) + Pick({" * ", " / "}) + Int(depth + 1) + ")";
      default:
        return Pick({"min", "max"}) + "(" + Money(depth + 1) + ", " + Money(depth + 1) + ")";
    }
  }
  std::string Cmp() { return Pick({" == ", " != ", " < ", " <= ", " > ", " >= "}); }
  std::string Pick(std::initializer_list<std::string> options) {
    auto it = options.begin();
    std::advance(it, static_cast<long>(rng_() % options.size()));
    return *it;
  }

  std::mt19937_64 rng_;
};

TEST(ProgramTest, VectorEvaluationAgreesWithTheScalarReference) {
  rules::SimpleCatalog catalog = Catalog();
  Params params = TestParams();
  base::Date as_of = *base::Date::Parse("2026-07-01");
  Frame frame = RandomFrame(2 * kChunk + 1000 + 37, 3);
  RuleGen gen(99);
  int compiled = 0, unknowns = 0;
  for (int i = 0; i < 400; ++i) {
    std::string text = gen.Bool(0);
    auto rule = rules::CompileRule(text, catalog);
    if (!rule) continue;  // e.g. a random division by a literal zero
    ++compiled;
    auto program = Program::Compile(*rule->root, frame, params, as_of);
    ASSERT_TRUE(program.ok()) << text << ": " << program.status().ToString();
    std::vector<Truth> got = program->EvalAll();
    ScalarContext ctx{&frame, 0, &params, as_of};
    for (size_t row = 0; row < frame.size(); ++row) {
      ctx.row = row;
      Truth want = EvalScalar(*rule->root, ctx).truth();
      unknowns += want == Truth::kUnknown;
      ASSERT_EQ(static_cast<int>(got[row]), static_cast<int>(want))
          << "rule: " << text << "\nrow " << row;
    }
  }
  EXPECT_GT(compiled, 300);
  EXPECT_GT(unknowns, 0);
}

TEST(ProgramTest, ThreeValuedLogicFollowsKleene) {
  rules::SimpleCatalog catalog = Catalog();
  Params params = TestParams();
  base::Date as_of = *base::Date::Parse("2026-07-01");
  FrameBuilder b;
  domain::HouseholdProfile missing;  // revenue unknown
  missing.household_id = 1;
  missing.status = "active";
  b.Append(missing);
  domain::HouseholdProfile known = missing;
  known.household_id = 2;
  known.revenue_prev = base::Money::FromYuan(50'000);
  b.Append(known);
  Frame frame = b.Finish();
  auto eval = [&](const std::string& text) {
    auto rule = rules::CompileRule(text, catalog);
    EXPECT_TRUE(rule.has_value()) << text;
    auto p = Program::Compile(*rule->root, frame, params, as_of);
    EXPECT_TRUE(p.ok());
    return p->EvalAll();
  };
  auto u = Truth::kUnknown, t = Truth::kTrue, f = Truth::kFalse;
  EXPECT_EQ(eval("revenue_prev >= ¥10000"), (std::vector<Truth>{u, t}));
  EXPECT_EQ(eval("revenue_prev >= ¥10000 && false"), (std::vector<Truth>{f, f}));
  EXPECT_EQ(eval("revenue_prev >= ¥10000 || true"), (std::vector<Truth>{t, t}));
  EXPECT_EQ(eval("!(revenue_prev < ¥10000)"), (std::vector<Truth>{u, t}));
  EXPECT_EQ(eval("is_missing(revenue_prev)"), (std::vector<Truth>{t, f}));
  EXPECT_EQ(eval("revenue_prev / months_in_business > ¥1"), (std::vector<Truth>{u, u}));  // ÷0
  EXPECT_EQ(eval("status == \"active\""), (std::vector<Truth>{t, t}));
  EXPECT_EQ(eval("is_missing(township)"), (std::vector<Truth>{t, t}));
}

TEST(ProgramTest, RefusesTheKeyFields) {
  rules::SimpleCatalog catalog = Catalog();
  Frame frame = RandomFrame(10, 1);
  auto rule = rules::CompileRule("uscc == \"92500113MA5U000000\"", catalog);
  ASSERT_TRUE(rule.has_value());
  auto p = Program::Compile(*rule->root, frame, {}, *base::Date::Parse("2026-07-01"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("uscc"), std::string::npos);
}

}  // namespace
}  // namespace getihu::engine
