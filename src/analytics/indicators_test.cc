// The indicators on a hand-built district whose figures are worked out by hand below: a leap
// day, a household registered and deregistered in the same period, a suspended and a
// converted household, one registered on the as-of date and one the day after.
#include "analytics/indicators.h"

#include <gtest/gtest.h>

#include <map>

#include "analytics/breakdown.h"
#include "analytics/population.h"

#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/stats_settings_repository.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {
namespace {

using domain::HouseholdStatus;
using domain::StatusChangeKind;

base::Date D(const char* s) { return *base::Date::Parse(s); }

class IndicatorsTest : public ::testing::Test {
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
    const char* A = "500113005";  // 花溪街道
    const char* B = "500113006";  // 李家沱街道
    Add(1, "2020-03-15", A, "5211", {});
    Add(2, "2024-02-29", B, "6210", {});  // a leap day
    Add(3, "2026-03-10", A, "5211", {});
    Add(4, "2026-01-01", A, "5211", {{"2026-05-20", StatusChangeKind::kDeregistered}});
    Add(5, "2019-06-01", B, "5211", {{"2026-06-30", StatusChangeKind::kDeregistered}});
    Add(6, "2018-01-01", A, "6210", {{"2025-11-11", StatusChangeKind::kSuspended}});
    Add(7, "2021-05-05", B, "5211", {{"2026-04-01", StatusChangeKind::kConverted}});
    Add(8, "2025-03-01", A, "5211", {{"2025-06-15", StatusChangeKind::kRevoked}});
    Add(9, "2025-08-01", B, "6210", {});
    Add(10, "2026-07-02", A, "5211", {});  // after the as-of date: not counted
    Add(11, "2026-07-01", A, "6210", {});  // on the as-of date: counted
  }

  void Add(int n, const char* registered, const char* township, const char* industry,
           std::vector<std::pair<const char*, StatusChangeKind>> later) {
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
    h.operator_name = "张三";
    h.region_code = "500113";
    h.township_code = township;
    h.industry_code = industry;
    h.registered_on = D(registered);
    h.status_since = h.registered_on;
    storage::HouseholdRepository repo(*db_);
    auto id = repo.UpsertHousehold(h, batch_);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids_[n] = *id;
    std::vector<domain::StatusChange> changes = {
        {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished}};
    for (const auto& [date, kind] : later) {
      HouseholdStatus s = kind == StatusChangeKind::kDeregistered ? HouseholdStatus::kDeregistered
                          : kind == StatusChangeKind::kRevoked    ? HouseholdStatus::kRevoked
                          : kind == StatusChangeKind::kSuspended  ? HouseholdStatus::kSuspended
                                                                  : HouseholdStatus::kConverted;
      changes.push_back({*id, s, D(date), kind});
    }
    ASSERT_TRUE(repo.InsertStatusChanges(changes, batch_).ok());
  }

  // Stores a tier run of `as_of` with the outcomes of the households numbered as in SetUp.
  int64_t Run(const char* as_of, const std::vector<std::pair<int, int>>& outcomes) {
    storage::TierRunRecord r;
    r.rule_set_name = "default-tiering";
    r.rule_set_version = "1";
    r.rule_set_sha256 = std::string(64, 'f');
    r.params_json = "{}";
    r.as_of = D(as_of);
    r.created_by = "tester";
    std::vector<storage::TierResultRow> rows;
    for (auto [n, outcome] : outcomes) {
      ++r.households;
      ++(outcome == storage::kOutcomeSurvival      ? r.survival
         : outcome == storage::kOutcomeGrowth      ? r.growth
         : outcome == storage::kOutcomeDevelopment ? r.development
                                                   : r.untyped);
      rows.push_back({.household_id = ids_.at(n), .outcome = outcome});
    }
    storage::TierRepository repo(*db_);
    auto id = repo.InsertRun(r, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(repo.InsertResults(*id, rows).ok());
    return *id;
  }

  std::unique_ptr<storage::Database> db_;
  int64_t batch_ = 0;
  std::map<int, int64_t> ids_;
};

TEST_F(IndicatorsTest, StockFlowsAndGrowthWithTheirBase) {
  auto stats = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kNone);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  const Figures& f = stats->total;
  // In stock on 2026-07-01: 1, 2, 3, 6 (歇业), 9, 11.
  EXPECT_EQ(f.stock, 6);
  EXPECT_EQ(f.suspended, 1);
  // On 2025-12-31: 1, 2, 5, 6, 7, 9 (8 was revoked in June 2025).
  EXPECT_EQ(f.stock_year_end, 6);
  // On 2025-07-01: 1, 2, 5, 6, 7.
  EXPECT_EQ(f.stock_last_year, 5);
  // Registered 2026-01-01 … 2026-07-01: 3, 4 (and deregistered), 11.
  EXPECT_EQ(f.new_registrations, 3);
  // Registered 2025-01-01 … 2025-07-01: 8.
  EXPECT_EQ(f.new_last_year, 1);
  // Exits decided in the period: 4 and 5; a year earlier: 8 (revoked).
  EXPECT_EQ(f.exits, 2);
  EXPECT_EQ(f.exits_last_year, 1);
  EXPECT_EQ(f.conversions, 1);
  EXPECT_EQ(f.net(), 1);
  EXPECT_DOUBLE_EQ(*GrowthPercent(f.stock, f.stock_year_end), 0.0);    // 比上年末
  EXPECT_DOUBLE_EQ(*GrowthPercent(f.stock, f.stock_last_year), 20.0);  // 同比
  EXPECT_DOUBLE_EQ(*GrowthPercent(f.new_registrations, f.new_last_year), 200.0);
  EXPECT_FALSE(GrowthPercent(5, 0).has_value());
  EXPECT_EQ(stats->region_name, "巴南区");
}

TEST_F(IndicatorsTest, ByTownshipWithShares) {
  auto stats = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kTownship);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->groups.size(), 2u);
  const GroupFigures& a = stats->groups[0];  // largest stock first
  EXPECT_EQ(a.code, "500113005");
  EXPECT_EQ(a.name, "花溪街道");
  EXPECT_EQ(a.figures.stock, 4);  // 1, 3, 6, 11
  EXPECT_EQ(a.figures.exits, 1);  // 4
  EXPECT_NEAR(a.stock_share, 66.67, 0.01);
  const GroupFigures& b = stats->groups[1];
  EXPECT_EQ(b.figures.stock, 2);        // 2, 9
  EXPECT_EQ(b.figures.exits, 1);        // 5
  EXPECT_EQ(b.figures.conversions, 1);  // 7
}

// Household 1 moves from 花溪街道 (A) to 李家沱街道 (B) by a 变更 record: the groups take the
// current township, so on 2026-07-01 A holds 3, 6, 11 and B 1, 2, 9; a move is neither a new
// registration nor an exit, so the region's figures stay as they were.
TEST_F(IndicatorsTest, AHouseholdThatMovesTownshipCountsWhereItIsNow) {
  auto before = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kTownship);
  ASSERT_TRUE(before.ok());
  storage::HouseholdRepository repo(*db_);
  auto moved = repo.UpdateRegisteredItems(ids_.at(1), {.township_code = "500113006"}, batch_);
  ASSERT_TRUE(moved.ok() && *moved);
  const std::vector<domain::StatusChange> change = {
      {ids_.at(1), HouseholdStatus::kActive, D("2026-05-05"), StatusChangeKind::kChanged}};
  ASSERT_TRUE(repo.InsertStatusChanges(change, batch_).ok());
  auto after = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kTownship);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->groups.size(), 2u);
  for (const GroupFigures& g : after->groups) {
    EXPECT_EQ(g.figures.stock, 3) << g.code;
    EXPECT_DOUBLE_EQ(g.stock_share, 50.0) << g.code;
  }
  EXPECT_EQ(after->total.stock, before->total.stock);
  EXPECT_EQ(after->total.new_registrations, before->total.new_registrations);
  EXPECT_EQ(after->total.exits, before->total.exits);
  EXPECT_EQ(after->total.stock_year_end, before->total.stock_year_end);
}

TEST_F(IndicatorsTest, BySectionAndAnEarlierDate) {
  auto stats = ComputeStats(*db_, "5001", D("2025-12-31"), Dimension::kSection);
  ASSERT_TRUE(stats.ok());
  // On 2025-12-31: F: 1, 5, 7; H: 2, 6, 9.
  ASSERT_EQ(stats->groups.size(), 2u);
  for (const GroupFigures& g : stats->groups) {
    EXPECT_EQ(g.figures.stock, 3) << g.code;
    EXPECT_DOUBLE_EQ(g.stock_share, 50.0);
  }
  EXPECT_EQ(stats->groups[0].name,
            stats->groups[0].code == "F" ? "批发和零售业" : "信息传输、软件和信息技术服务业");
  // 2025: registered 8 (revoked) and 9; exits 8.
  EXPECT_EQ(stats->total.new_registrations, 2);
  EXPECT_EQ(stats->total.exits, 1);
}

// Divisions split a section: F holds 51 批发业 and 52 零售业, and a code naming the section alone
// has no division. On 2026-07-01: 52: 1, 3 in stock, 3 and 4 new, 4 and 5 exited, 7 converted;
// 62 餐饮业: 2, 6 (歇业), 9, 11, of them 11 new; 51: 12, new; unknown: 13.
TEST_F(IndicatorsTest, ByDivisionWithinASection) {
  Add(12, "2026-02-01", "500113005", "5124", {});
  Add(13, "2023-05-05", "500113006", "F", {});
  auto stats = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kDivision);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->total.stock, 8);
  ASSERT_EQ(stats->groups.size(), 4u);
  EXPECT_EQ(stats->groups[0].code, "62");  // largest stock first
  EXPECT_EQ(stats->groups[0].name, "餐饮业");
  EXPECT_EQ(stats->groups[0].figures.stock, 4);
  EXPECT_EQ(stats->groups[0].figures.suspended, 1);
  EXPECT_EQ(stats->groups[0].figures.new_registrations, 1);
  EXPECT_DOUBLE_EQ(stats->groups[0].stock_share, 50.0);
  EXPECT_EQ(stats->groups[1].code, "52");
  EXPECT_EQ(stats->groups[1].name, "零售业");
  EXPECT_EQ(stats->groups[1].figures.stock, 2);
  EXPECT_EQ(stats->groups[1].figures.new_registrations, 2);
  EXPECT_EQ(stats->groups[1].figures.exits, 2);
  EXPECT_EQ(stats->groups[1].figures.conversions, 1);
  EXPECT_EQ(stats->groups[1].figures.exits_last_year, 1);  // 8, revoked 2025-06-15
  std::map<std::string, const GroupFigures*> by_code;
  for (const GroupFigures& g : stats->groups) by_code[g.code] = &g;
  ASSERT_TRUE(by_code.contains("51") && by_code.contains(""));
  EXPECT_EQ(by_code["51"]->name, "批发业");
  EXPECT_EQ(by_code["51"]->figures.stock, 1);
  EXPECT_EQ(by_code["51"]->figures.new_registrations, 1);
  EXPECT_EQ(by_code[""]->name, "（未知）");
  EXPECT_EQ(by_code[""]->figures.stock, 1);
  // The section holds all three.
  auto sections = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kSection);
  ASSERT_TRUE(sections.ok());
  for (const GroupFigures& g : sections->groups) {
    if (g.code == "F") {
      EXPECT_EQ(g.figures.stock, 4);
    }
  }
  EXPECT_EQ(DimensionFromKey("division"), Dimension::kDivision);
  EXPECT_EQ(DimensionName(Dimension::kDivision), "行业大类");
}

TEST_F(IndicatorsTest, TierNeedsARun) {
  auto stats = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kTier);
  EXPECT_EQ(stats.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DimensionFromKey("township"), Dimension::kTownship);
  EXPECT_FALSE(DimensionFromKey("nonsense").has_value());
}

// 花溪街道 (A) is in the group 城区; 李家沱街道 (B) in none. On 2026-07-01: 城区 1, 3, 6, 11
// (exits 4); （未分组） 2, 9 (exits 5).
TEST_F(IndicatorsTest, ByTownshipGroup) {
  storage::StatsSettingsRepository repo(*db_);
  ASSERT_TRUE(repo.SetTownshipGroup("500113005", "城区", "t", "t").ok());
  ASSERT_TRUE(repo.SetTownshipGroup("500112001", "城区", "t", "t").ok());  // another district
  auto stats = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kTownshipGroup);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  ASSERT_EQ(stats->groups.size(), 2u);
  EXPECT_EQ(stats->groups[0].code, "城区");
  EXPECT_EQ(stats->groups[0].name, "城区");
  EXPECT_EQ(stats->groups[0].figures.stock, 4);
  EXPECT_EQ(stats->groups[0].figures.exits, 1);
  EXPECT_NEAR(stats->groups[0].stock_share, 66.67, 0.01);
  EXPECT_EQ(stats->groups[1].code, "");
  EXPECT_EQ(stats->groups[1].name, "（未分组）");
  EXPECT_EQ(stats->groups[1].figures.stock, 2);
  EXPECT_EQ(DimensionFromKey("township_group"), Dimension::kTownshipGroup);
  EXPECT_EQ(DimensionName(Dimension::kTownshipGroup), "乡镇分组");
}

const GroupFigures* Find(const Stats& s, const std::string& code) {
  for (const GroupFigures& g : s.groups) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

// By tier, each figure is grouped by the run in force on its own date.
//   run A of 2025-07-01: 1, 5, 6 生存型; 2, 7 成长型.
//   run B of 2026-07-01: 3, 6 生存型; 1, 2 成长型; 9 发展型 (11 not covered: 未分型).
// On 2026-07-01 (run B): 成长型 1, 2; 生存型 3, 6; 发展型 9; 未分型 11.
// On 2025-12-31 (run A; stock 1, 2, 5, 6, 7, 9): 生存型 1, 5, 6; 成长型 2, 7; 未分型 9.
// On 2025-07-01 (run A; stock 1, 2, 5, 6, 7): 生存型 1, 5, 6; 成长型 2, 7. New (8) and exits (8) of
// last year's period: 未分型 (8 is not in run A).
// 生存型 thus fell from 3 to 2 (同比 −33.3%); by run B's tiers alone last year's 生存型 would
// have been 1 (only 6 was in stock) and the same group would have "grown" 100%.
TEST_F(IndicatorsTest, TierComparisonsUseTheRunInForceThen) {
  using storage::kOutcomeDevelopment, storage::kOutcomeGrowth, storage::kOutcomeSurvival;
  int64_t a = Run("2025-07-01", {{1, kOutcomeSurvival},
                                 {5, kOutcomeSurvival},
                                 {6, kOutcomeSurvival},
                                 {2, kOutcomeGrowth},
                                 {7, kOutcomeGrowth}});
  int64_t b = Run("2026-07-01", {{3, kOutcomeSurvival},
                                 {6, kOutcomeSurvival},
                                 {1, kOutcomeGrowth},
                                 {2, kOutcomeGrowth},
                                 {9, kOutcomeDevelopment}});
  auto stats = ComputeStats(*db_, "500113", D("2026-07-01"), Dimension::kTier);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->tier_run, b);
  EXPECT_EQ(stats->tier_run_year_end, a);
  EXPECT_EQ(stats->tier_run_last_year, a);
  const GroupFigures* survival = Find(*stats, "survival");
  ASSERT_NE(survival, nullptr);
  EXPECT_EQ(survival->figures.stock, 2);
  EXPECT_EQ(survival->figures.stock_year_end, 3);
  EXPECT_EQ(survival->figures.stock_last_year, 3);
  EXPECT_NEAR(*GrowthPercent(survival->figures.stock, survival->figures.stock_last_year), -33.33,
              0.01);
  const GroupFigures* growth = Find(*stats, "growth");
  EXPECT_EQ(growth->figures.stock, 2);
  EXPECT_EQ(growth->figures.stock_year_end, 2);
  EXPECT_EQ(growth->figures.stock_last_year, 2);
  const GroupFigures* development = Find(*stats, "development");
  EXPECT_EQ(development->figures.stock, 1);
  EXPECT_EQ(development->figures.stock_last_year, 0);
  const GroupFigures* untyped = Find(*stats, "untyped");
  EXPECT_EQ(untyped->figures.stock, 1);           // 11
  EXPECT_EQ(untyped->figures.stock_year_end, 1);  // 9
  EXPECT_EQ(untyped->figures.new_last_year, 1);   // 8
  EXPECT_EQ(untyped->figures.exits_last_year, 1);
  // The totals do not depend on the grouping.
  EXPECT_EQ(stats->total.stock, 6);
  EXPECT_EQ(stats->total.stock_last_year, 5);
  EXPECT_EQ(TierComparisonNote(*stats),
            "类型按分型批次 2 统计；比上年末按上年末有效的分型批次 1 分组；同比按去年同日有效的"
            "分型批次 1 分组。");

  // As of 2025-12-30 run A is the only one; nothing was in force a year earlier.
  auto early = ComputeStats(*db_, "500113", D("2025-12-30"), Dimension::kTier);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->tier_run, a);
  EXPECT_FALSE(early->tier_run_year_end.has_value());
  EXPECT_FALSE(early->tier_run_last_year.has_value());
  EXPECT_EQ(Find(*early, "survival")->figures.stock_last_year, 0);
  EXPECT_EQ(
      TierComparisonNote(*early),
      "类型按分型批次 1 统计；上年末尚无分型批次，不计算各类型比上年末的增速；去年同日尚无分型"
      "批次，不计算各类型的同比。");
}

// The population as of 2026-07-01 holds every household registered by then (not 10), and
// each one's status on any earlier date.
TEST_F(IndicatorsTest, PopulationHoldsStatusesOnEveryDate) {
  auto p = Population::Load(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->size(), 10u);
  EXPECT_EQ(p->RowOf(ids_[10]), -1);
  auto status = [&](int n, const char* date) {
    return p->StatusOn(static_cast<size_t>(p->RowOf(ids_[n])), D(date));
  };
  EXPECT_EQ(status(6, "2025-11-10"), StatusClass::kActive);
  EXPECT_EQ(status(6, "2025-11-11"), StatusClass::kSuspended);
  EXPECT_EQ(status(4, "2025-12-31"), StatusClass::kNone);  // not registered yet
  EXPECT_EQ(status(4, "2026-05-20"), StatusClass::kExit);
  EXPECT_EQ(status(7, "2026-07-01"), StatusClass::kConverted);
  // Rows run by township and section; rows_by_id() lists them in id order.
  for (size_t j = 0; j < p->size(); ++j) EXPECT_EQ(p->RowOf(p->ids()[j]), p->rows_by_id()[j]);
}

// On 2026-07-01 by run B of TierComparisonsUseTheRunInForceThen, cell by cell: 花溪街道 (A)
// F: 1 成长型; 3 生存型; 4 and 8 未分型 (new and exited this period; new and revoked last year).
// A H: 6 生存型 (歇业); 11 未分型. 李家沱街道 (B) F: 5 and 7 未分型 (exited; converted). B H: 2
// 成长型; 9 发展型. A holds 4 in stock, B 2.
TEST_F(IndicatorsTest, FullBreakdownOfThePopulation) {
  using storage::kOutcomeDevelopment, storage::kOutcomeGrowth, storage::kOutcomeSurvival;
  Run("2026-07-01", {{3, kOutcomeSurvival},
                     {6, kOutcomeSurvival},
                     {1, kOutcomeGrowth},
                     {2, kOutcomeGrowth},
                     {9, kOutcomeDevelopment}});
  auto p = Population::Load(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(p.ok());
  const Dimension tier[] = {Dimension::kTier};
  auto inputs = LoadStatsInputs(*db_, *p, tier);
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  Breakdown b = ComputeBreakdown(*p, inputs->tier, 2);
  EXPECT_EQ(b.stock, 6);
  ASSERT_EQ(b.cells.size(), 8u);
  auto find = [&](const char* township, const char* section, int t) -> const BreakdownCell& {
    for (const BreakdownCell& c : b.cells) {
      if (c.township == township && c.section == section && c.tier == t) return c;
    }
    ADD_FAILURE() << township << " " << section << " " << t;
    return b.cells.front();
  };
  const BreakdownCell& a_f_growth = find("500113005", "F", kOutcomeGrowth);
  EXPECT_EQ(a_f_growth.region, "500113");
  EXPECT_EQ(a_f_growth.households, 1);
  EXPECT_EQ(a_f_growth.figures.stock_last_year, 1);
  EXPECT_DOUBLE_EQ(a_f_growth.share_of_township, 25.0);
  EXPECT_DOUBLE_EQ(a_f_growth.share_of_region, 100.0 / 6);
  const BreakdownCell& a_f_untyped = find("500113005", "F", 0);
  EXPECT_EQ(a_f_untyped.figures.stock, 0);
  EXPECT_EQ(a_f_untyped.figures.new_registrations, 1);
  EXPECT_EQ(a_f_untyped.figures.exits, 1);
  EXPECT_EQ(a_f_untyped.figures.new_last_year, 1);
  EXPECT_EQ(a_f_untyped.figures.exits_last_year, 1);
  const BreakdownCell& b_f_untyped = find("500113006", "F", 0);
  EXPECT_EQ(b_f_untyped.figures.stock_year_end, 2);
  EXPECT_EQ(b_f_untyped.figures.conversions, 1);
  EXPECT_EQ(find("500113005", "H", kOutcomeSurvival).figures.suspended, 1);
  EXPECT_DOUBLE_EQ(find("500113006", "H", kOutcomeDevelopment).share_of_township, 50.0);
  // The cells add up to the totals of the stats.
  Stats s = ComputeStats(*p, Dimension::kNone, *inputs);
  Figures sum;
  for (const BreakdownCell& c : b.cells) {
    sum.stock += c.figures.stock;
    sum.stock_year_end += c.figures.stock_year_end;
    sum.new_registrations += c.figures.new_registrations;
    sum.exits += c.figures.exits;
  }
  EXPECT_EQ(sum.stock, s.total.stock);
  EXPECT_EQ(sum.stock_year_end, s.total.stock_year_end);
  EXPECT_EQ(sum.new_registrations, s.total.new_registrations);
  EXPECT_EQ(sum.exits, s.total.exits);
}

}  // namespace
}  // namespace getihu::analytics
