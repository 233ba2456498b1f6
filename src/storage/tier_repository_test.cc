#include "storage/tier_repository.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

// A run of the 2024 rule set as of `as_of` over `households` households, all survival.
TierRunRecord SampleRun(base::Date as_of, int64_t households = 0) {
  TierRunRecord run;
  run.rule_set_name = "巴南区个体工商户分型";
  run.rule_set_version = "2024.1";
  run.rule_set_sha256 = std::string(64, 'f');
  run.rule_set_text = "name = \"巴南区个体工商户分型\"\nversion = \"2024.1\"\n";
  run.params_json = "{}";
  run.as_of = as_of;
  run.created_by = "分型员";
  run.households = households;
  run.survival = households;
  return run;
}

TierResultRow Result(int64_t household_id, int outcome, int row = 0) {
  return TierResultRow{.household_id = household_id,
                       .outcome = outcome,
                       .row = row,
                       .failed_mask = 0,
                       .unknown_mask = 0,
                       .overridden = false};
}

// Stores households 1..n and returns their ids, in that order.
std::vector<int64_t> AddHouseholds(Database& db, int n, int64_t batch_id, int first = 1) {
  std::vector<domain::Household> rows;
  for (int i = first; i < first + n; ++i) {
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(i));
    h.operator_name = "张三";
    h.region_code = "500113";
    h.industry_code = "5211";
    h.registered_on = *base::Date::FromYmd(2020, 3, 15);
    h.status_since = h.registered_on;
    rows.push_back(std::move(h));
  }
  auto ids = HouseholdRepository(db).InsertNewHouseholds(rows, batch_id);
  EXPECT_TRUE(ids.ok()) << ids.status().ToString();
  return ids.ok() ? *ids : std::vector<int64_t>();
}

TEST_P(TierRepositoryTest, RunRoundTripKeepsTextParametersAndReasonCounts) {
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 10);
  run.params_json = R"({"revenue_threshold_fen": 100000000})";
  run.region_prefix = "500113";
  run.note = "七月例行分型";
  run.survival = 6;
  run.growth = 3;
  run.development = 1;
  run.seconds = 12.5;
  std::vector<TierReasonCount> reasons = {{kOutcomeSurvival, "revenue_below", 4},
                                          {kOutcomeSurvival, "no_employees", 6},
                                          {kOutcomeGrowth, "growth_row_2", 3}};
  auto id = tiers.InsertRun(run, reasons);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(run.id, *id);
  EXPECT_EQ(run.created_at, CstTimestamp(kNow));

  auto stored = tiers.GetRun(*id);
  ASSERT_TRUE(stored.ok() && stored->has_value()) << stored.status().ToString();
  const TierRunRecord& r = **stored;
  EXPECT_EQ(r.rule_set_name, run.rule_set_name);
  EXPECT_EQ(r.rule_set_version, "2024.1");
  EXPECT_EQ(r.rule_set_sha256, run.rule_set_sha256);
  EXPECT_EQ(r.rule_set_text, run.rule_set_text);
  EXPECT_EQ(r.params_json, run.params_json);
  EXPECT_EQ(r.as_of, Ymd(2024, 6, 30));
  EXPECT_EQ(r.region_prefix, "500113");
  EXPECT_EQ(r.based_on_run, std::nullopt);
  EXPECT_EQ(r.created_by, "分型员");
  EXPECT_EQ(r.created_at, CstTimestamp(kNow));
  EXPECT_EQ(r.note, "七月例行分型");
  EXPECT_EQ(r.households, 10);
  EXPECT_EQ(r.untyped, 0);
  EXPECT_EQ(r.survival, 6);
  EXPECT_EQ(r.growth, 3);
  EXPECT_EQ(r.development, 1);
  EXPECT_DOUBLE_EQ(r.seconds, 12.5);

  auto counts = tiers.ReasonCounts(*id);
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 3u);
  EXPECT_EQ((*counts)[0].reason, "no_employees");  // most households first within an outcome
  EXPECT_EQ((*counts)[0].households, 6);
  EXPECT_EQ((*counts)[1].reason, "revenue_below");
  EXPECT_EQ((*counts)[2].outcome, kOutcomeGrowth);

  ASSERT_TRUE(tiers.SetRunSeconds(*id, 20.25).ok());
  EXPECT_DOUBLE_EQ((*tiers.GetRun(*id))->seconds, 20.25);
  EXPECT_EQ(tiers.SetRunSeconds(*id + 1, 1).code(), StatusCode::kNotFound);
  EXPECT_FALSE(tiers.GetRun(*id + 1)->has_value());
}

TEST_P(TierRepositoryTest, ListRunsIsNewestFirstWithoutText) {
  TierRepository tiers(db(), clock());
  TierRunRecord first = SampleRun(Ymd(2024, 6, 30));
  ASSERT_TRUE(tiers.InsertRun(first, {}).ok());
  TierRunRecord rerun = SampleRun(Ymd(2024, 6, 30));
  rerun.based_on_run = first.id;
  ASSERT_TRUE(tiers.InsertRun(rerun, {}).ok());

  auto runs = tiers.ListRuns();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].id, rerun.id);
  EXPECT_EQ((*runs)[0].based_on_run, first.id);
  EXPECT_EQ((*runs)[0].rule_set_text, "");
  EXPECT_EQ((*runs)[1].id, first.id);
}

TEST_P(TierRepositoryTest, RunInsertedAheadOfItsResultsIsFinishedWithItsCounts) {
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30));
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  run.households = 5;
  run.survival = 3;
  run.growth = 2;
  run.seconds = 1.5;
  std::vector<TierReasonCount> reasons = {{kOutcomeSurvival, "revenue_below", 3},
                                          {kOutcomeGrowth, "growth_row_2", 2}};
  ASSERT_TRUE(tiers.FinishRun(run, reasons).ok());
  auto stored = tiers.GetRun(run.id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->households, 5);
  EXPECT_EQ((*stored)->survival, 3);
  EXPECT_EQ((*stored)->growth, 2);
  EXPECT_DOUBLE_EQ((*stored)->seconds, 1.5);
  auto counts = tiers.ReasonCounts(run.id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->size(), 2u);

  run.growth = 1;  // no longer adds up
  EXPECT_EQ(tiers.FinishRun(run, {}).code(), StatusCode::kInvalidArgument);
  run.id += 1;
  EXPECT_EQ(tiers.FinishRun(run, {}).code(), StatusCode::kNotFound);
}

TEST_P(TierRepositoryTest, RunWithCountsThatDoNotAddUpIsRefused) {
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 5);
  run.survival = 4;
  EXPECT_EQ(TierRepository(db()).InsertRun(run, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tier_runs"), 0);
}

TEST_P(TierRepositoryTest, ResultsAcrossInsertChunksScanInHouseholdOrder) {
  constexpr int kHouseholds = 2345;  // four full chunks of 500 and a tail of 345
  std::vector<int64_t> ids = AddHouseholds(db(), kHouseholds, NewBatchId());
  ASSERT_EQ(ids.size(), static_cast<size_t>(kHouseholds));
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), kHouseholds);
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  std::vector<TierResultRow> rows;
  for (int i = kHouseholds - 1; i >= 0; --i) {  // reverse order: the scan must sort
    TierResultRow row = Result(ids[i], i % 4, i % 5 - 1);
    row.failed_mask = 0x80000000u | static_cast<uint32_t>(i);
    row.unknown_mask = static_cast<uint32_t>(i % 3);
    row.overridden = i % 7 == 0;
    rows.push_back(row);
  }
  ASSERT_TRUE(tiers.InsertResults(run.id, rows).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tier_results WHERE run_id = ?", {run.id}), kHouseholds);

  int i = 0;
  int64_t previous = 0;
  base::Status scanned = tiers.ScanResults(run.id, [&](const TierResultRow& row) {
    EXPECT_GT(row.household_id, previous);
    previous = row.household_id;
    const TierResultRow& expected = rows[kHouseholds - 1 - i];
    EXPECT_EQ(row.household_id, expected.household_id);
    EXPECT_EQ(row.outcome, expected.outcome);
    EXPECT_EQ(row.row, expected.row);
    EXPECT_EQ(row.failed_mask, expected.failed_mask);
    EXPECT_EQ(row.unknown_mask, expected.unknown_mask);
    EXPECT_EQ(row.overridden, expected.overridden);
    ++i;
    return base::OkStatus();
  });
  ASSERT_TRUE(scanned.ok()) << scanned.ToString();
  EXPECT_EQ(i, kHouseholds);
}

TEST_P(TierRepositoryTest, ScanStopsAtTheFirstError) {
  std::vector<int64_t> ids = AddHouseholds(db(), 3, NewBatchId());
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 3);
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  std::vector<TierResultRow> rows = {Result(ids[0], 1), Result(ids[1], 1), Result(ids[2], 1)};
  ASSERT_TRUE(tiers.InsertResults(run.id, rows).ok());
  int calls = 0;
  base::Status s = tiers.ScanResults(run.id, [&](const TierResultRow&) {
    ++calls;
    return base::Aborted("停止");
  });
  EXPECT_EQ(s.code(), StatusCode::kAborted);
  EXPECT_EQ(calls, 1);
}

TEST_P(TierRepositoryTest, FindOutcomesLooksUpTheHouseholdsAsked) {
  std::vector<int64_t> ids = AddHouseholds(db(), 6, NewBatchId());
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 4);
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  std::vector<TierResultRow> rows = {Result(ids[0], 1), Result(ids[1], 2), Result(ids[3], 3),
                                     Result(ids[4], 0)};
  ASSERT_TRUE(tiers.InsertResults(run.id, rows).ok());
  std::vector<int64_t> asked = {ids[1], ids[2], ids[4], ids[5]};  // 2 and 5 are not in the run
  std::vector<std::pair<int64_t, int>> found;
  base::Status s = tiers.FindOutcomes(run.id, asked, [&](int64_t household, int outcome) {
    found.emplace_back(household, outcome);
    return base::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(found, (std::vector<std::pair<int64_t, int>>{{ids[1], 2}, {ids[4], 0}}));
}

TEST_P(TierRepositoryTest, GetResultOfAHouseholdNotInTheRunIsEmpty) {
  std::vector<int64_t> ids = AddHouseholds(db(), 2, NewBatchId());
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 1);
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  TierResultRow row = Result(ids[0], kOutcomeSurvival, 2);
  row.unknown_mask = 0b101;
  ASSERT_TRUE(tiers.InsertResults(run.id, std::span(&row, 1)).ok());

  auto found = tiers.GetResult(run.id, ids[0]);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->row, 2);
  EXPECT_EQ((*found)->unknown_mask, 0b101u);
  auto missing = tiers.GetResult(run.id, ids[1]);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  EXPECT_FALSE(tiers.GetResult(run.id + 1, ids[0])->has_value());
}

TEST_P(TierRepositoryTest, HistoryFollowsAsOfThenRun) {
  std::vector<int64_t> ids = AddHouseholds(db(), 2, NewBatchId());
  TierRepository tiers(db(), clock());
  TierRunRecord july = SampleRun(Ymd(2024, 6, 30), 2);
  ASSERT_TRUE(tiers.InsertRun(july, {}).ok());
  TierRunRecord january = SampleRun(Ymd(2023, 12, 31), 2);  // stored later, dated earlier
  january.rule_set_version = "2023.2";
  ASSERT_TRUE(tiers.InsertRun(january, {}).ok());
  std::vector<TierResultRow> july_rows = {Result(ids[0], kOutcomeGrowth, 1),
                                          Result(ids[1], kOutcomeSurvival)};
  ASSERT_TRUE(tiers.InsertResults(july.id, july_rows).ok());
  std::vector<TierResultRow> january_rows = {Result(ids[0], kOutcomeSurvival, 3)};
  ASSERT_TRUE(tiers.InsertResults(january.id, january_rows).ok());

  auto history = tiers.History(ids[0]);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].run_id, january.id);
  EXPECT_EQ((*history)[0].as_of, Ymd(2023, 12, 31));
  EXPECT_EQ((*history)[0].rule_set_version, "2023.2");
  EXPECT_EQ((*history)[0].outcome, kOutcomeSurvival);
  EXPECT_EQ((*history)[0].row, 3);
  EXPECT_EQ((*history)[1].run_id, july.id);
  EXPECT_EQ((*history)[1].outcome, kOutcomeGrowth);
  EXPECT_EQ(tiers.History(ids[1])->size(), 1u);
}

TEST_P(TierRepositoryTest, FailedInsertInsideATransactionLeavesNothing) {
  std::vector<int64_t> ids = AddHouseholds(db(), 600, NewBatchId());
  TierRepository tiers(db(), clock());
  {
    auto transaction = Transaction::Begin(db());
    ASSERT_TRUE(transaction.ok());
    TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 601);
    ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
    std::vector<TierResultRow> rows;
    for (int64_t id : ids) rows.push_back(Result(id, kOutcomeSurvival));
    rows.push_back(Result(ids.front(), kOutcomeSurvival));  // the same household twice
    EXPECT_FALSE(tiers.InsertResults(run.id, rows).ok());
    // Rolled back on destruction.
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tier_results"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tier_runs"), 0);
}

TEST_P(TierRepositoryTest, FailedInsertOnItsOwnLeavesNothing) {
  std::vector<int64_t> ids = AddHouseholds(db(), 501, NewBatchId());
  TierRepository tiers(db(), clock());
  TierRunRecord run = SampleRun(Ymd(2024, 6, 30), 501);
  ASSERT_TRUE(tiers.InsertRun(run, {}).ok());
  std::vector<TierResultRow> rows;
  for (int64_t id : ids) rows.push_back(Result(id, kOutcomeSurvival));
  rows.back().outcome = 4;  // in the tail, after a full chunk was written
  EXPECT_EQ(tiers.InsertResults(run.id, rows).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tier_results"), 0);
}

// Stores a run with a survival result for each of `ids`; returns the run id.
int64_t RunWithResults(TierRepository& tiers, const std::vector<int64_t>& ids) {
  TierRunRecord run = SampleRun(*base::Date::FromYmd(2024, 6, 30), ids.size());
  EXPECT_TRUE(tiers.InsertRun(run, {}).ok());
  std::vector<TierResultRow> rows;
  for (int64_t id : ids) rows.push_back(Result(id, kOutcomeSurvival));
  EXPECT_TRUE(tiers.InsertResults(run.id, rows).ok());
  return run.id;
}

Objection Claim(int64_t run_id, int64_t household_id) {
  Objection o;
  o.run_id = run_id;
  o.household_id = household_id;
  o.filed_by = "李四";
  o.claim = "去年新招两名员工，营业额已过百万，应为成长型";
  o.requested_outcome = kOutcomeGrowth;
  return o;
}

TEST_P(TierRepositoryTest, ObjectionIsFiledThenDecidedOnce) {
  std::vector<int64_t> ids = AddHouseholds(db(), 2, NewBatchId());
  TierRepository tiers(db(), clock());
  int64_t run = RunWithResults(tiers, ids);
  Objection filed = Claim(run, ids[0]);
  auto id = tiers.FileObjection(filed);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(filed.id, *id);
  EXPECT_EQ(filed.filed_at, CstTimestamp(kNow));

  auto open = tiers.GetObjection(*id);
  ASSERT_TRUE(open.ok() && open->has_value());
  EXPECT_EQ((*open)->status, ObjectionStatus::kOpen);
  EXPECT_EQ((*open)->decision, DecisionKind::kNone);
  EXPECT_EQ((*open)->claim, filed.claim);
  EXPECT_EQ((*open)->requested_outcome, kOutcomeGrowth);
  EXPECT_EQ((*open)->decided_at, "");

  ASSERT_TRUE(tiers
                  .DecideObjection(*id, DecisionKind::kOverride, kOutcomeGrowth,
                                   "核实社保记录，员工人数符合成长型", "王科长", std::nullopt)
                  .ok());
  auto decided = tiers.GetObjection(*id);
  ASSERT_TRUE(decided.ok() && decided->has_value());
  EXPECT_EQ((*decided)->status, ObjectionStatus::kAccepted);
  EXPECT_EQ((*decided)->decision, DecisionKind::kOverride);
  EXPECT_EQ((*decided)->override_outcome, kOutcomeGrowth);
  EXPECT_EQ((*decided)->decision_reason, "核实社保记录，员工人数符合成长型");
  EXPECT_EQ((*decided)->reviewer, "王科长");
  EXPECT_EQ((*decided)->decided_at, CstTimestamp(kNow));

  base::Status again =
      tiers.DecideObjection(*id, DecisionKind::kReject, std::nullopt, "重复", "王科长", {});
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.message(), "异议已处理，不能重复裁定");
  EXPECT_EQ(tiers.DecideObjection(*id + 1, DecisionKind::kReject, {}, "无", "王科长", {}).code(),
            StatusCode::kNotFound);
}

TEST_P(TierRepositoryTest, RejectionAndDataCorrectionAreRecorded) {
  std::vector<int64_t> ids = AddHouseholds(db(), 2, NewBatchId());
  TierRepository tiers(db(), clock());
  int64_t run = RunWithResults(tiers, ids);
  Objection first = Claim(run, ids[0]);
  Objection second = Claim(run, ids[1]);
  ASSERT_TRUE(tiers.FileObjection(first).ok());
  ASSERT_TRUE(tiers.FileObjection(second).ok());

  ASSERT_TRUE(tiers
                  .DecideObjection(first.id, DecisionKind::kReject, std::nullopt,
                                   "年报营业额未达标准", "王科长", std::nullopt)
                  .ok());
  EXPECT_EQ((*tiers.GetObjection(first.id))->status, ObjectionStatus::kRejected);

  int64_t correction = NewBatchId(2, "annual_report");
  ASSERT_TRUE(tiers
                  .DecideObjection(second.id, DecisionKind::kDataCorrection, std::nullopt,
                                   "税务数据漏报，已补报", "王科长", correction)
                  .ok());
  auto corrected = tiers.GetObjection(second.id);
  EXPECT_EQ((*corrected)->status, ObjectionStatus::kAccepted);
  EXPECT_EQ((*corrected)->decision, DecisionKind::kDataCorrection);
  EXPECT_EQ((*corrected)->correction_batch_id, correction);
  EXPECT_EQ((*corrected)->override_outcome, std::nullopt);
}

TEST_P(TierRepositoryTest, IncompleteDecisionsAreRefused) {
  std::vector<int64_t> ids = AddHouseholds(db(), 1, NewBatchId());
  TierRepository tiers(db(), clock());
  int64_t run = RunWithResults(tiers, ids);
  Objection o = Claim(run, ids[0]);
  ASSERT_TRUE(tiers.FileObjection(o).ok());

  base::Status no_reason =
      tiers.DecideObjection(o.id, DecisionKind::kReject, std::nullopt, "  ", "王科长", {});
  EXPECT_EQ(no_reason.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(no_reason.message(), "裁定理由不能为空");
  EXPECT_EQ(tiers.DecideObjection(o.id, DecisionKind::kReject, {}, "理由", "", {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(tiers.DecideObjection(o.id, DecisionKind::kOverride, {}, "理由", "王科长", {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(tiers.DecideObjection(o.id, DecisionKind::kOverride, 5, "理由", "王科长", {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(tiers.DecideObjection(o.id, DecisionKind::kReject, 2, "理由", "王科长", {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(tiers.DecideObjection(o.id, DecisionKind::kNone, {}, "理由", "王科长", {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ((*tiers.GetObjection(o.id))->status, ObjectionStatus::kOpen);
}

TEST_P(TierRepositoryTest, ObjectionNeedsAResultAndOnlyOneIsOpenAtATime) {
  std::vector<int64_t> ids = AddHouseholds(db(), 2, NewBatchId());
  TierRepository tiers(db(), clock());
  int64_t run = RunWithResults(tiers, {ids[0]});
  Objection outside = Claim(run, ids[1]);
  EXPECT_EQ(tiers.FileObjection(outside).status().code(), StatusCode::kInvalidArgument);
  Objection empty = Claim(run, ids[0]);
  empty.claim = "";
  EXPECT_EQ(tiers.FileObjection(empty).status().code(), StatusCode::kInvalidArgument);

  Objection first = Claim(run, ids[0]);
  ASSERT_TRUE(tiers.FileObjection(first).ok());
  Objection second = Claim(run, ids[0]);
  EXPECT_EQ(tiers.FileObjection(second).status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      tiers.DecideObjection(first.id, DecisionKind::kReject, {}, "理由", "王科长", {}).ok());
  EXPECT_TRUE(tiers.FileObjection(second).ok());  // the first is decided
}

TEST_P(TierRepositoryTest, ListObjectionsFiltersByRunAndStatus) {
  std::vector<int64_t> ids = AddHouseholds(db(), 2, NewBatchId());
  TierRepository tiers(db(), clock());
  int64_t run1 = RunWithResults(tiers, ids);
  int64_t run2 = RunWithResults(tiers, ids);
  Objection a = Claim(run1, ids[0]);
  Objection b = Claim(run1, ids[1]);
  Objection c = Claim(run2, ids[0]);
  for (Objection* o : {&a, &b, &c}) ASSERT_TRUE(tiers.FileObjection(*o).ok());
  ASSERT_TRUE(tiers.DecideObjection(b.id, DecisionKind::kReject, {}, "理由", "王科长", {}).ok());

  auto ids_of = [](const base::Result<std::vector<Objection>>& list) {
    std::vector<int64_t> out;
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok()) {
      for (const Objection& o : *list) out.push_back(o.id);
    }
    return out;
  };
  EXPECT_EQ(ids_of(tiers.ListObjections(0, std::nullopt)),
            (std::vector<int64_t>{a.id, b.id, c.id}));
  EXPECT_EQ(ids_of(tiers.ListObjections(run1, std::nullopt)), (std::vector<int64_t>{a.id, b.id}));
  EXPECT_EQ(ids_of(tiers.ListObjections(run1, ObjectionStatus::kOpen)),
            (std::vector<int64_t>{a.id}));
  EXPECT_EQ(ids_of(tiers.ListObjections(0, ObjectionStatus::kOpen)),
            (std::vector<int64_t>{a.id, c.id}));
  EXPECT_EQ(ids_of(tiers.ListObjections(0, ObjectionStatus::kRejected)),
            (std::vector<int64_t>{b.id}));
  EXPECT_TRUE(ids_of(tiers.ListObjections(run2, ObjectionStatus::kAccepted)).empty());
}

}  // namespace
}  // namespace getihu::storage::testing
