#include "rules/checker.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace getihu::rules {
namespace {

SimpleCatalog Catalog() {
  SimpleCatalog c;
  c.AddField("revenue", ValueType::kMoney);
  c.AddField("employees", ValueType::kInt);
  c.AddField("industry", ValueType::kCode);
  c.AddParam("growth_revenue_min", ValueType::kMoney);
  return c;
}

TEST(CheckerTest, TypesEveryNodeAndListsNamesUsed) {
  auto rule = CompileRule("revenue >= params.growth_revenue_min && employees >= 1 && revenue > ¥0",
                          Catalog());
  ASSERT_TRUE(rule.has_value()) << rule.error().ToString();
  EXPECT_EQ(rule->type, ValueType::kBool);
  EXPECT_EQ(rule->fields_used, (std::vector<std::string>{"employees", "revenue"}));
  EXPECT_EQ(rule->params_used, (std::vector<std::string>{"growth_revenue_min"}));
  EXPECT_EQ(rule->root->children[0]->children[0]->type, ValueType::kBool);
  EXPECT_EQ(rule->root->children[1]->children[0]->type, ValueType::kMoney);
}

TEST(CheckerTest, CostWeighsCallsAndMembership) {
  SimpleCatalog c = Catalog();
  EXPECT_EQ(CompileRule("employees > 1", c)->cost, 3);
  EXPECT_EQ(CompileRule("industry in [\"52\"]", c)->cost, 5);
  EXPECT_EQ(CompileRule("is_missing(revenue)", c)->cost, 4);
}

TEST(CheckerTest, NonBooleanRulesNeedTheOption) {
  EXPECT_FALSE(CompileRule("revenue * 2", Catalog()).has_value());
  auto rule = CompileRule("revenue * 2", Catalog(), CheckOptions{.require_bool = false});
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule->type, ValueType::kMoney);
}

TEST(CheckerTest, SuggestsOnlyCloseNames) {
  std::vector<std::string> names = {"revenue", "employees", "tax_paid"};
  EXPECT_EQ(SuggestName("revenu", names), "revenue");
  EXPECT_EQ(SuggestName("employes", names), "employees");
  EXPECT_EQ(SuggestName("zzz", names), "");
  EXPECT_EQ(SuggestName(std::string(1000, 'r'), names), "");
}

TEST(CheckerTest, ErrorToStringCarriesPosition) {
  auto rule = CompileRule("employees > 1 &&\n  revenu > ¥1", Catalog());
  ASSERT_FALSE(rule.has_value());
  EXPECT_EQ(rule.error().ToString(), "第 2 行第 3 列：未知字段“revenu”，您是否想写“revenue”？");
}

}  // namespace
}  // namespace getihu::rules
