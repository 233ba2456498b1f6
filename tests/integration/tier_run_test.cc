// End to end, the yearly tiering as staff run it: a generated district imported, tiered with
// the shipped default rules as of 1 July (shares within the published bands), a household
// explained, a threshold change simulated, an objection accepted with an override, the
// re-run applying it and keeping history, and the two runs compared.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/builtin_rule_sets.h"
#include "rules/profile_fields.h"
#include "storage/audit_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/tier_repository.h"
#include "synth/generator.h"
#include "workflows/import.h"
#include "workflows/tier_run.h"

namespace getihu {
namespace {

namespace fs = std::filesystem;

class TierRunTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One directory per process: ctest runs each test of the suite in its own process, in
    // parallel.
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("getihu_tier_run_test_" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    synth::GenerateOptions gen;
    gen.households = 20'000;
    gen.as_of = *base::Date::Parse("2026-11-01");
    gen.seed = 3;
    gen.out_dir = (*dir_ / "feeds").string();
    ASSERT_TRUE(synth::Generate(gen).ok());
    auto db = storage::OpenSqlite((*dir_ / "pool.db").string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate().ok());
    workflows::ImportOptions options;
    options.as_of = gen.as_of;
    auto reports = workflows::ImportDirectory(**db, gen.out_dir, options);
    ASSERT_TRUE(reports.ok());
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    auto db = storage::OpenSqlite((*dir_ / "pool.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    text_ = std::string(rules::BuiltinRuleSetText(rules::kDefaultTiering));
    auto set = rules::ParseRuleSet(text_, "default-tiering.toml", rules::ProfileFields());
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    set_ = std::move(*set);
  }

  workflows::TierRunReport Run(std::optional<int64_t> review_of = std::nullopt) {
    workflows::TierRunOptions options;
    options.as_of = *base::Date::Parse("2026-07-01");
    options.created_by = "测试";
    options.review_of = review_of;
    auto report = workflows::RunTiering(*db_, set_, text_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : workflows::TierRunReport{};
  }

  // The USCC of a household with `outcome` in `run`, skipping `skip` of them.
  std::string UsccWith(int64_t run, int outcome, int skip = 0) {
    storage::TierRepository repo(*db_);
    int64_t id = 0;
    EXPECT_TRUE(repo.ScanResults(run,
                                 [&](const storage::TierResultRow& r) {
                                   if (r.outcome == outcome && skip-- == 0) id = r.household_id;
                                   return base::OkStatus();
                                 })
                    .ok());
    std::string uscc;
    storage::HouseholdRepository households(*db_);
    EXPECT_TRUE(households
                    .ScanHouseholdKeys([&](std::string_view u, int64_t i, base::Date) {
                      if (i == id) uscc = std::string(u);
                    })
                    .ok());
    return uscc;
  }

  static fs::path* dir_;
  std::unique_ptr<storage::Database> db_;
  std::string text_;
  rules::RuleSet set_;
};

fs::path* TierRunTest::dir_ = nullptr;

TEST_F(TierRunTest, DefaultRulesGiveThePublishedSharesAndStoreEveryHousehold) {
  workflows::TierRunReport report = Run();
  const storage::TierRunRecord& r = report.run;
  ASSERT_GT(r.id, 0);
  int64_t typed = r.development + r.growth + r.survival;
  double growth = 100.0 * static_cast<double>(r.growth) / static_cast<double>(typed);
  double development = 100.0 * static_cast<double>(r.development) / static_cast<double>(typed);
  EXPECT_NEAR(growth, 6.5, 1.2);  // ../shared/domain §2.6: ≈ 6–7 %
  EXPECT_GE(development, 0.05);   // ≈ 0.1–0.5 %
  EXPECT_LE(development, 0.6);
  EXPECT_EQ(r.households, typed + r.untyped);
  EXPECT_EQ(r.rule_set_sha256, set_.sha256);

  storage::TierRepository repo(*db_);
  auto stored = repo.GetRun(r.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->rule_set_text, text_);  // reproducible: the exact rules are stored
  int64_t results = 0;
  ASSERT_TRUE(repo.ScanResults(r.id,
                               [&](const storage::TierResultRow&) {
                                 ++results;
                                 return base::OkStatus();
                               })
                  .ok());
  EXPECT_EQ(results, r.households);
  // Every untyped household has a reason; the reasons add up.
  auto reasons = repo.ReasonCounts(r.id);
  ASSERT_TRUE(reasons.ok());
  int64_t sum = 0;
  bool no_report = false;
  for (const auto& c : *reasons) {
    sum += c.households;
    no_report |= c.reason == "NO_ANNUAL_REPORT" && c.households > 0;
  }
  EXPECT_EQ(sum, r.households);
  EXPECT_TRUE(no_report);
}

TEST_F(TierRunTest, PipelinedRunStoresWhatASequentialRunStores) {
  workflows::TierRunReport sequential = Run();
  workflows::TierRunOptions options;
  options.as_of = *base::Date::Parse("2026-07-01");
  options.created_by = "测试";
  options.chunk_households = 3000;  // several chunks, the last one short
  int opened = 0;
  options.open_reader = [&]() -> base::Result<std::unique_ptr<storage::Database>> {
    ++opened;
    return storage::OpenSqlite((*dir_ / "pool.db").string());
  };
  auto pipelined = workflows::RunTiering(*db_, set_, text_, options);
  ASSERT_TRUE(pipelined.ok()) << pipelined.status().ToString();
  EXPECT_EQ(opened, 1);
  const storage::TierRunRecord& a = sequential.run;
  const storage::TierRunRecord& b = pipelined->run;
  EXPECT_EQ(b.households, a.households);
  EXPECT_EQ(b.untyped, a.untyped);
  EXPECT_EQ(b.survival, a.survival);
  EXPECT_EQ(b.growth, a.growth);
  EXPECT_EQ(b.development, a.development);

  storage::TierRepository repo(*db_);
  auto stored = repo.GetRun(b.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->households, a.households);
  EXPECT_EQ((*stored)->growth, a.growth);
  auto results = [&](int64_t run) {
    std::vector<storage::TierResultRow> rows;
    EXPECT_TRUE(repo.ScanResults(run,
                                 [&](const storage::TierResultRow& r) {
                                   rows.push_back(r);
                                   return base::OkStatus();
                                 })
                    .ok());
    return rows;
  };
  std::vector<storage::TierResultRow> ra = results(a.id), rb = results(b.id);
  ASSERT_EQ(ra.size(), rb.size());
  ASSERT_EQ(static_cast<int64_t>(ra.size()), a.households);
  for (size_t i = 0; i < ra.size(); ++i) {
    ASSERT_EQ(rb[i].household_id, ra[i].household_id);
    ASSERT_EQ(rb[i].outcome, ra[i].outcome);
    ASSERT_EQ(rb[i].row, ra[i].row);
    ASSERT_EQ(rb[i].failed_mask, ra[i].failed_mask);
    ASSERT_EQ(rb[i].unknown_mask, ra[i].unknown_mask);
  }
  auto reasons_a = repo.ReasonCounts(a.id), reasons_b = repo.ReasonCounts(b.id);
  ASSERT_TRUE(reasons_a.ok() && reasons_b.ok());
  ASSERT_EQ(reasons_b->size(), reasons_a->size());
  for (size_t i = 0; i < reasons_a->size(); ++i) {
    EXPECT_EQ((*reasons_b)[i].reason, (*reasons_a)[i].reason);
    EXPECT_EQ((*reasons_b)[i].households, (*reasons_a)[i].households);
  }
}

TEST_F(TierRunTest, PipelinedRunStoppedMidwayStoresNothing) {
  auto count = [&](const char* table) {
    auto n = db_->QueryInt(std::string("SELECT count(*) FROM ") + table);
    EXPECT_TRUE(n.ok());
    return n.ok() ? n->value_or(0) : -1;
  };
  int64_t runs = count("tier_runs"), results = count("tier_results"), audit = count("audit_log");
  workflows::TierRunOptions options;
  options.as_of = *base::Date::Parse("2026-07-01");
  options.chunk_households = 2000;
  options.open_reader = [&]() -> base::Result<std::unique_ptr<storage::Database>> {
    return storage::OpenSqlite((*dir_ / "pool.db").string());
  };
  // Fails once a few chunks have been handed over, some of them stored already.
  options.on_chunk_read = [](int64_t households) {
    return households >= 8000 ? base::Unavailable("读取中断") : base::OkStatus();
  };
  auto report = workflows::RunTiering(*db_, set_, text_, options);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), base::StatusCode::kUnavailable);
  EXPECT_EQ(count("tier_runs"), runs);
  EXPECT_EQ(count("tier_results"), results);
  EXPECT_EQ(count("audit_log"), audit);
  EXPECT_FALSE(db_->in_transaction());
}

TEST_F(TierRunTest, ExplainSaysWhatASurvivalHouseholdLacks) {
  int64_t run = Run().run.id;
  std::string uscc = UsccWith(run, storage::kOutcomeSurvival, 10);
  ASSERT_FALSE(uscc.empty());
  auto h = workflows::ExplainHousehold(*db_, uscc, run);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_TRUE(h->agrees);
  EXPECT_EQ(h->explanation.outcome, rules::Outcome::kSurvival);
  EXPECT_NE(h->explanation.summary.find("未达到成长型"), std::string::npos)
      << h->explanation.summary;
  auto missing = workflows::ExplainHousehold(*db_, "91350100M000100Y43", run);
  EXPECT_EQ(missing.status().code(), base::StatusCode::kNotFound);
}

TEST_F(TierRunTest, SimulationCountsTheHouseholdsALowerThresholdMoves) {
  int64_t run = Run().run.id;
  engine::Params what_if;
  what_if["growth_revenue_min"] = *rules::ParseParamValue(rules::ValueType::kMoney, "¥80000");
  auto sim = workflows::Simulate(*db_, run, nullptr, what_if, true);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  EXPECT_GT(sim->transitions.moved, 0);
  // A lower threshold only moves households up, from survival to growth.
  const auto& m = sim->transitions.matrix;
  auto survival = static_cast<size_t>(rules::Outcome::kSurvival);
  auto growth = static_cast<size_t>(rules::Outcome::kGrowth);
  EXPECT_EQ(m[survival][growth], sim->transitions.moved);
  ASSERT_EQ(sim->movers.size(), static_cast<size_t>(sim->transitions.moved));
  EXPECT_EQ(sim->movers[0].uscc.size(), 18u);
  int64_t by_township = 0;
  for (const auto& [code, c] : sim->by_township) by_township += c.up + c.down;
  EXPECT_EQ(by_township, sim->transitions.moved);
  // The same thresholds change nothing.
  auto same = workflows::Simulate(*db_, run, nullptr, {}, false);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->transitions.moved, 0);
}

TEST_F(TierRunTest, AcceptedOverrideIsAppliedByTheReRunAndHistoryIsKept) {
  int64_t first = Run().run.id;
  std::string uscc = UsccWith(first, storage::kOutcomeSurvival, 3);
  storage::HouseholdRepository households(*db_);
  auto id = households.FindHouseholdId(uscc);
  ASSERT_TRUE(id.ok() && id->has_value());
  storage::TierRepository repo(*db_);
  storage::Objection o;
  o.run_id = first;
  o.household_id = **id;
  o.filed_by = "经营者";
  o.claim = "2025 年营业额漏报了第四季度";
  o.requested_outcome = storage::kOutcomeGrowth;
  auto oid = repo.FileObjection(o);
  ASSERT_TRUE(oid.ok()) << oid.status().ToString();
  ASSERT_TRUE(repo.DecideObjection(*oid, storage::DecisionKind::kOverride, storage::kOutcomeGrowth,
                                   "补充材料核实属实", "李复核", std::nullopt)
                  .ok());
  workflows::TierRunReport rerun = Run(first);
  EXPECT_EQ(rerun.overrides_applied, 1);
  EXPECT_EQ(rerun.run.based_on_run, first);
  auto result = repo.GetResult(rerun.run.id, **id);
  ASSERT_TRUE(result.ok() && result->has_value());
  EXPECT_EQ((*result)->outcome, storage::kOutcomeGrowth);
  EXPECT_TRUE((*result)->overridden);
  auto history = repo.History(**id);
  ASSERT_TRUE(history.ok());
  ASSERT_GE(history->size(), 2u);
  EXPECT_EQ(history->back().outcome, storage::kOutcomeGrowth);

  auto diff = workflows::DiffRuns(*db_, first, rerun.run.id);
  ASSERT_TRUE(diff.ok()) << diff.status().ToString();
  EXPECT_EQ(diff->matrix[storage::kOutcomeSurvival][storage::kOutcomeGrowth], 1);
  auto audit = storage::AuditRepository(*db_, base::SystemClock()).List({.target_prefix = "run:"});
  ASSERT_TRUE(audit.ok());
  EXPECT_GE(audit->events.size(), 2u);
  auto chain = storage::AuditRepository(*db_, base::SystemClock()).Verify();
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE(chain->intact());
}

}  // namespace
}  // namespace getihu
