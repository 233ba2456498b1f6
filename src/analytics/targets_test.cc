// Targets with progress: the comparison worked out by hand, and the measures read from a
// hand-built district (employment) or absent (first loans without a loan feed).
#include "analytics/targets.h"

#include <gtest/gtest.h>

#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/fact_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/stats_settings_repository.h"

namespace getihu::analytics {
namespace {

using domain::HouseholdStatus;
using domain::StatusChangeKind;

base::Date D(const char* s) { return *base::Date::Parse(s); }
const TargetIndicator& Ind(const char* key) { return *FindTargetIndicator(key); }

TEST(TargetsTest, CatalogueAndValues) {
  EXPECT_EQ(TargetIndicators().size(), 6u);
  EXPECT_EQ(FindTargetIndicator("三年存活率"), FindTargetIndicator("survival_3y"));
  EXPECT_EQ(FindTargetIndicator("happiness"), nullptr);
  EXPECT_TRUE(Ind("activity").rate);
  EXPECT_FALSE(Ind("first_loans").rate);
  EXPECT_TRUE(CheckTargetValue(Ind("activity"), 70).ok());
  EXPECT_TRUE(CheckTargetValue(Ind("activity"), 72.5).ok());
  EXPECT_FALSE(CheckTargetValue(Ind("activity"), 100.5).ok());
  EXPECT_FALSE(CheckTargetValue(Ind("activity"), -1).ok());
  EXPECT_TRUE(CheckTargetValue(Ind("households"), 1'000'000).ok());
  EXPECT_FALSE(CheckTargetValue(Ind("households"), 10.5).ok()) << "counts are whole";
  EXPECT_FALSE(CheckTargetValue(Ind("households"), 2e12).ok());
}

TEST(TargetsTest, EvaluateByHand) {
  // 750 of 1,000 households: 75.0% achieved, 250 to go.
  TargetProgress count = EvaluateTarget(Ind("households"), 2026, 1000, 750, "x");
  EXPECT_DOUBLE_EQ(*count.achieved_pct, 75.0);
  EXPECT_FALSE(*count.met);
  EXPECT_DOUBLE_EQ(*count.remaining, 250);
  EXPECT_EQ(count.StatusText(), "未达标");
  EXPECT_EQ(DescribeTargetProgress(count),
            "在册个体工商户目标1,000户，实际750户（x），完成目标的75.0%，未达标，差250户");
  // 65.5% against 70%: 93.6% achieved (65.5 / 70 = 0.93571…), 4.5 percentage points short.
  TargetProgress rate = EvaluateTarget(Ind("activity"), 2026, 70, 65.5, "2025年活跃度");
  EXPECT_NEAR(*rate.achieved_pct, 93.5714, 1e-3);
  EXPECT_NEAR(*rate.remaining, 4.5, 1e-9);
  EXPECT_EQ(DescribeTargetProgress(rate),
            "活跃度目标70.0%，实际65.5%（2025年活跃度），完成目标的93.6%，未达标，差4.5个百分点");
  // A rate is judged as shown: 69.96% shows as 70.0% and meets 70%.
  TargetProgress close = EvaluateTarget(Ind("activity"), 2026, 70, 69.96, "y");
  EXPECT_TRUE(*close.met);
  EXPECT_FALSE(close.remaining.has_value());
  EXPECT_EQ(close.StatusText(), "达标");
  // 1,200 conversions against 1,000: 120.0%, met.
  TargetProgress over = EvaluateTarget(Ind("conversions"), 2026, 1000, 1200, "z");
  EXPECT_DOUBLE_EQ(*over.achieved_pct, 120.0);
  EXPECT_EQ(DescribeTargetProgress(over),
            "新增个转企目标1,000户，实际1,200户（z），完成目标的120.0%，已达标");
  // No data is not zero.
  TargetProgress none = EvaluateTarget(Ind("first_loans"), 2026, 8000, std::nullopt, "尚未导入");
  EXPECT_FALSE(none.met.has_value());
  EXPECT_FALSE(none.achieved_pct.has_value());
  EXPECT_EQ(none.StatusText(), "暂无数据");
  EXPECT_EQ(DescribeTargetProgress(none), "新增首贷户目标8,000户，暂无数据（尚未导入）");
  // A zero target is met by anything and has no percentage.
  TargetProgress zero = EvaluateTarget(Ind("conversions"), 2026, 0, 0, "");
  EXPECT_TRUE(*zero.met);
  EXPECT_FALSE(zero.achieved_pct.has_value());
}

class TargetsPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::OpenSqlite(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate().ok());
    storage::NewBatch batch{.feed = "registration",
                            .file_name = "registration.csv",
                            .content_sha256 = std::string(64, 'a'),
                            .period = std::nullopt,
                            .as_of = std::nullopt,
                            .imported_by = "tester",
                            .imported_at_unix = 1'780'000'000};
    batch_ = *storage::BatchRepository(*db_).CreateBatch(batch);
  }

  int64_t Add(int n, const char* registered, const char* exited = nullptr) {
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
    h.operator_name = "张三";
    h.region_code = "500113";
    h.industry_code = "5211";
    h.registered_on = D(registered);
    h.status_since = h.registered_on;
    storage::HouseholdRepository repo(*db_);
    auto id = repo.UpsertHousehold(h, batch_);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    std::vector<domain::StatusChange> changes = {
        {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished}};
    if (exited) {
      changes.push_back(
          {*id, HouseholdStatus::kDeregistered, D(exited), StatusChangeKind::kDeregistered});
    }
    EXPECT_TRUE(repo.InsertStatusChanges(changes, batch_).ok());
    return *id;
  }

  std::unique_ptr<storage::Database> db_;
  int64_t batch_ = 0;
};

// Employment on 2026-07-01 (employee figures of 2025):
//   1: 2 insured employees (the larger of two months)        → 1 + 2 = 3
//   2: annual report 2025 with 从业人数 4 (the operator + 3)   → 1 + 3 = 4
//   3: no figure                                             → 1
//   4: deregistered in 2026-03: not in stock                 → —
// 3 households in stock, 2 with data, 8 people.
TEST_F(TargetsPoolTest, EmploymentCountsOperatorsAndEmployees) {
  int64_t insured = Add(1, "2020-01-01");
  int64_t reported = Add(2, "2021-01-01");
  Add(3, "2022-01-01");
  int64_t gone = Add(4, "2019-01-01", "2026-03-01");
  storage::FactRepository facts(*db_);
  std::vector<domain::SocialInsuranceRecord> si = {
      {insured, "2025-03", 1}, {insured, "2025-09", 2}, {gone, "2025-03", 5}};
  ASSERT_TRUE(facts.InsertSocialInsurance(si, batch_).ok());
  std::vector<domain::AnnualReport> reports = {
      {reported, 2025, base::Money::FromFen(100), std::nullopt, 4, D("2026-03-01"), std::nullopt}};
  ASSERT_TRUE(facts.InsertAnnualReports(reports, batch_).ok());
  auto e = ComputeEmployment(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->households, 3);
  EXPECT_EQ(e->with_data, 2);
  EXPECT_EQ(e->people, 8);
}

// The region's targets for the as-of year, each against its measure:
//   households 4     vs stock 3          → 75.0%, 未达标, 差1户
//   employment 10    vs 1 person (no employee data at all) → 暂无数据
//   conversions 1    vs 1                → 100.0%, 达标
//   survival_3y 60   vs no observable cohort member        → 暂无数据
//   activity 70      vs 50.0% (3 of 6)   → 71.4%, 未达标, 差20.0个百分点
//   first_loans 5    vs no loan feed     → 暂无数据
// Targets of another year or region are not shown.
TEST_F(TargetsPoolTest, ProgressOfTheRegionsTargetsForTheYear) {
  Add(1, "2020-01-01");
  storage::StatsSettingsRepository repo(*db_);
  for (auto [indicator, value] :
       std::initializer_list<std::pair<const char*, double>>{{"first_loans", 5},
                                                             {"activity", 70},
                                                             {"survival_3y", 60},
                                                             {"conversions", 1},
                                                             {"employment", 10},
                                                             {"households", 4}}) {
    ASSERT_TRUE(repo.SetTarget({"500113", 2026, indicator, value, "t", "t"}).ok());
  }
  ASSERT_TRUE(repo.SetTarget({"500113", 2025, "households", 1, "t", "t"}).ok());
  ASSERT_TRUE(repo.SetTarget({"5001", 2026, "households", 1, "t", "t"}).ok());
  Figures total;
  total.stock = 3;
  total.conversions = 1;
  ActivityRate activity;
  activity.year = 2025;
  activity.in_existence = 6;
  activity.operating = 3;
  activity.no_data = 2;
  activity.pct = 50.0;
  SurvivalRate survival;
  survival.cohort_year = 2022;
  auto p = ComputeTargetProgress(*db_, "500113", D("2026-07-01"), total, activity, survival);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->size(), 6u);
  const std::vector<TargetProgress>& v = *p;
  EXPECT_EQ(v[0].indicator->key, "households");  // catalogue order
  EXPECT_DOUBLE_EQ(*v[0].achieved_pct, 75.0);
  EXPECT_DOUBLE_EQ(*v[0].remaining, 1);
  EXPECT_EQ(v[1].indicator->key, "employment");
  EXPECT_EQ(v[1].StatusText(), "暂无数据");
  EXPECT_EQ(v[2].StatusText(), "达标");
  EXPECT_EQ(v[3].indicator->key, "survival_3y");
  EXPECT_EQ(v[3].StatusText(), "暂无数据");
  EXPECT_EQ(v[4].indicator->key, "activity");
  EXPECT_NEAR(*v[4].achieved_pct, 71.4286, 1e-3);
  EXPECT_NEAR(*v[4].remaining, 20.0, 1e-9);
  EXPECT_EQ(v[4].basis, "2025年活跃度");
  EXPECT_EQ(v[5].indicator->key, "first_loans");
  EXPECT_EQ(v[5].StatusText(), "暂无数据");
  EXPECT_EQ(v[5].basis, "尚未导入贷款数据");

  // Everyone without any record: the activity is no data, not 0%.
  activity.operating = 0;
  activity.no_data = 6;
  activity.pct = 0.0;
  auto blind = ComputeTargetProgress(*db_, "500113", D("2026-07-01"), total, activity, survival);
  ASSERT_TRUE(blind.ok());
  EXPECT_EQ((*blind)[4].StatusText(), "暂无数据");

  auto other = ComputeTargetProgress(*db_, "500112", D("2026-07-01"), total, activity, survival);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

}  // namespace
}  // namespace getihu::analytics
