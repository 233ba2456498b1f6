// The tiering's per-household results (outcome, row, reason masks) must agree with the
// one-household explanation, for the shipped default rule set, for a rule set with regional
// overrides (several parameter groups in one chunk) and for rows of more than 8 clauses.
#include "engine/tiering.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "engine/explain.h"
#include "rules/profile_fields.h"

namespace getihu::engine {
namespace {

const base::Date kAsOf = *base::Date::Parse("2026-07-01");

std::string DefaultText() {
  std::ifstream in(std::string(GETIHU_SOURCE_DIR) + "/data/rules/default-tiering.toml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Frame RandomFrame(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto coin = [&](int pct) { return static_cast<int>(rng() % 100) < pct; };
  FrameBuilder b;
  for (size_t i = 0; i < n; ++i) {
    domain::HouseholdProfile p;
    p.household_id = static_cast<int64_t>(i + 1);
    const char* statuses[] = {"active",    "active",       "active", "active",
                              "suspended", "deregistered", ""};
    p.status = statuses[rng() % 7];
    p.months_in_business = static_cast<int>(rng() % 120);
    p.registered_before_year = coin(90);
    p.annual_report_filed = coin(85);
    const char* regions[] = {"500113", "540102", "540103", "110105"};
    p.region = regions[rng() % 4];
    p.industry = "5211";
    p.section = "F";
    p.sector = 3;
    if (coin(80)) p.revenue_prev = base::Money::FromYuan(static_cast<int64_t>(rng() % 1'500'000));
    if (coin(70)) p.tax_paid_prev = base::Money::FromYuan(static_cast<int64_t>(rng() % 50'000));
    if (coin(70)) p.employees = static_cast<int>(rng() % 8);
    p.abnormal_now = coin(5);
    b.Append(p);
  }
  return b.Finish();
}

// Checks every household of `frame` against Explain.
void ExpectAgreesWithExplain(const rules::RuleSet& set, const Frame& frame) {
  auto tiering = Tiering::Compile(set, frame, kAsOf);
  ASSERT_TRUE(tiering.ok()) << tiering.status().ToString();
  TierResults results;
  tiering->Evaluate(results, 2);
  int64_t total = results.no_match;
  for (int64_t c : results.row_counts) total += c;
  ASSERT_EQ(total, static_cast<int64_t>(frame.size()));
  for (size_t i = 0; i < frame.size(); ++i) {
    Explanation e = Explain(*tiering, i);
    ASSERT_EQ(results.row[i], e.row) << "household " << i << ": " << e.summary;
    ASSERT_EQ(results.OutcomeAt(i), e.outcome) << i;
    ASSERT_EQ(ReasonCode(set, results.row[i], results.unknown[i]), e.reason) << i;
    // The masks name the clauses of the next higher row that failed / were unknown.
    uint32_t failed = 0, unknown = 0;
    if (e.row >= 0) {
      const rules::DecisionRow& hit = set.rows[static_cast<size_t>(e.row)];
      int src = hit.outcome == rules::Outcome::kUntyped ? e.row : tiering->HigherRow(e.row);
      if (src >= 0) {
        const RowTrace& rt = e.rows[static_cast<size_t>(src)];
        for (size_t j = 0; j < rt.clauses.size(); ++j) {
          if (rt.clauses[j].result == Truth::kFalse && src != e.row) failed |= 1u << j;
          if (rt.clauses[j].result == Truth::kUnknown) unknown |= 1u << j;
        }
        if (src == e.row && hit.outcome == rules::Outcome::kUntyped && rt.result == Truth::kTrue) {
          unknown = 0;
        }
      }
    }
    ASSERT_EQ(results.failed[i], failed) << i << ": " << e.summary;
    ASSERT_EQ(results.unknown[i], unknown) << i << ": " << e.summary;
  }
}

TEST(TieringTest, DefaultRuleSetAgreesWithExplanations) {
  auto set = rules::ParseRuleSet(DefaultText(), "default-tiering.toml", rules::ProfileFields());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Frame frame = RandomFrame(3 * kChunk + 77, 1);
  ExpectAgreesWithExplain(*set, frame);
}

TEST(TieringTest, RegionalOverridesApplyPerHousehold) {
  auto set = rules::ParseRuleSet(DefaultText(), "default-tiering.toml", rules::ProfileFields());
  ASSERT_TRUE(set.ok());
  Frame frame = RandomFrame(2 * kChunk + 5, 2);
  ExpectAgreesWithExplain(*set, frame);
  // Tibet (54) uses ¥80,000 for growth: a household there with ¥90,000 and one employee is
  // growth; the same in Chongqing is survival.
  FrameBuilder b;
  for (const char* region : {"540102", "500113"}) {
    domain::HouseholdProfile p;
    p.household_id = region[0] == '5' && region[1] == '4' ? 1 : 2;
    p.status = "active";
    p.region = region;
    p.months_in_business = 30;
    p.registered_before_year = true;
    p.annual_report_filed = true;
    p.revenue_prev = base::Money::FromYuan(90'000);
    p.employees = 1;
    b.Append(p);
  }
  Frame two = b.Finish();
  auto tiering = Tiering::Compile(*set, two, kAsOf);
  ASSERT_TRUE(tiering.ok());
  TierResults r;
  tiering->Evaluate(r);
  EXPECT_EQ(r.OutcomeAt(0), rules::Outcome::kGrowth);
  EXPECT_EQ(r.OutcomeAt(1), rules::Outcome::kSurvival);
  // A what-if applies to every region.
  Params what_if;
  what_if["growth_revenue_min"] = *rules::ParseParamValue(rules::ValueType::kMoney, "¥95000");
  auto sim = Tiering::Compile(*set, two, kAsOf, what_if);
  ASSERT_TRUE(sim.ok());
  sim->Evaluate(r);
  EXPECT_EQ(r.OutcomeAt(0), rules::Outcome::kSurvival);
  Params bad;
  bad["no_such_param"] = what_if["growth_revenue_min"];
  EXPECT_FALSE(Tiering::Compile(*set, two, kAsOf, bad).ok());
}

TEST(TieringTest, RowsWithMoreThanEightClauses) {
  std::string text = R"([rule_set]
name = "wide"
version = "1"
title = "宽行测试"
effective_on = 2026-01-01

[[rows]]
outcome = "untyped"
reason = "NOT_ACTIVE"
label = "非存续"
when = 'status != "active"'

[[rows]]
outcome = "growth"
when = 'months_in_business >= 1 && months_in_business >= 2 && months_in_business >= 3 && months_in_business >= 4 && months_in_business >= 5 && months_in_business >= 6 && months_in_business >= 7 && months_in_business >= 8 && revenue_prev >= ¥500000 && employees >= 3'

[[rows]]
outcome = "survival"
when = "true"
)";
  auto set = rules::ParseRuleSet(text, "wide.toml", rules::ProfileFields());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->rows[1].clauses.size(), 10u);
  Frame frame = RandomFrame(kChunk + 300, 3);
  ExpectAgreesWithExplain(*set, frame);
}

}  // namespace
}  // namespace getihu::engine
