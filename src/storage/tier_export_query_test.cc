#include "storage/tier_export_query.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/event_repository.h"
#include "storage/fact_repository.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/testing/backend_test.h"
#include "storage/tier_repository.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

class TierExportQueryTest : public BackendTest {
 protected:
  // Stores a run as of 2024-07-01 with `results` and returns its id.
  int64_t AddRun(std::vector<TierResultRow> results) {
    TierRunRecord run;
    run.rule_set_name = "default-tiering";
    run.rule_set_version = "2024.1";
    run.rule_set_sha256 = std::string(64, 'f');
    run.rule_set_text = "name = \"default-tiering\"\n";
    run.params_json = "{}";
    run.as_of = Ymd(2024, 7, 1);
    run.created_by = "分型员";
    run.households = static_cast<int64_t>(results.size());
    run.survival = run.households;  // the counts must add up; this query does not read them
    TierRepository tiers(db(), clock());
    auto id = tiers.InsertRun(run, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    base::Status stored = tiers.InsertResults(run.id, results);
    EXPECT_TRUE(stored.ok()) << stored.ToString();
    return run.id;
  }

  // Every exported row of `run_id`; fails the test on an error.
  std::vector<TierExportRow> Export(int64_t run_id) {
    std::vector<TierExportRow> rows;
    base::Status s = ScanRunForExport(db(), run_id, [&rows](const TierExportRow& r) {
      rows.push_back(r);
      return base::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return rows;
  }
};

TEST_P(TierExportQueryTest, JoinsEachResultWithItsHouseholdAndTheYearBeforeInHouseholdOrder) {
  int64_t batch = NewBatchId();
  domain::Household suspended = SampleHousehold(1);
  suspended.status = domain::HouseholdStatus::kSuspended;
  suspended.status_since = Ymd(2024, 3, 1);
  suspended.organisation_form = domain::OrganisationForm::kFamily;
  suspended.legacy_registration_no = "500113600012345";
  suspended.township_code = "500113005";
  HouseholdRepository households(db());
  int64_t h1 = *households.UpsertHousehold(suspended, batch);
  int64_t h2 = AddHousehold(2, batch);
  int64_t h3 = AddHousehold(3, batch);
  int64_t not_in_run = AddHousehold(4, batch);

  FactRepository facts(db());
  std::vector<domain::AnnualReport> reports = {
      {.household_id = h1,
       .year = 2023,
       .revenue = base::Money::FromYuan(1'234'567),
       .tax = base::Money::FromYuan(500),
       .employees = 3,
       .filed_on = Ymd(2024, 5, 20)},
      {.household_id = h1, .year = 2022, .revenue = base::Money::FromYuan(9)},
      // Filed after the run's date: the tiering did not count it.
      {.household_id = h3,
       .year = 2023,
       .revenue = base::Money::FromYuan(50'000),
       .filed_on = Ymd(2024, 8, 1)},
  };
  ASSERT_TRUE(facts.InsertAnnualReports(reports, batch).ok());
  std::vector<domain::TaxRecord> taxes = {
      {.household_id = h1, .year = 2023, .tax_paid = base::Money::FromYuan(800)}};
  ASSERT_TRUE(facts.InsertTaxRecords(taxes, batch).ok());
  std::vector<domain::SocialInsuranceRecord> insured = {
      {.household_id = h2, .period = "2023-06", .insured_count = 4},
      {.household_id = h2, .period = "2023-09", .insured_count = 2},
      {.household_id = h2, .period = "2024-03", .insured_count = 9}};
  ASSERT_TRUE(facts.InsertSocialInsurance(insured, batch).ok());
  std::vector<domain::AbnormalMark> marks = {
      {.household_id = h1, .marked_on = Ymd(2023, 7, 10)},
      {.household_id = h1, .marked_on = Ymd(2024, 1, 10)},  // two open marks: still one row
      {.household_id = h2, .marked_on = Ymd(2023, 7, 10), .recovered_on = Ymd(2024, 2, 1)},
      {.household_id = h3, .marked_on = Ymd(2024, 7, 2)}};
  ASSERT_TRUE(EventRepository(db()).InsertAbnormalMarks(marks, batch).ok());

  int64_t run = AddRun({{h3, kOutcomeUntyped, 0, 0, 1, false},
                        {h1, kOutcomeGrowth, 2, 5, 2, true},
                        {h2, kOutcomeSurvival, 3, 1, 0, false}});
  AddRun({{not_in_run, kOutcomeSurvival, 3, 0, 0, false}});

  std::vector<TierExportRow> rows = Export(run);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].household_id, h1);
  EXPECT_EQ(rows[1].household_id, h2);
  EXPECT_EQ(rows[2].household_id, h3);

  const TierExportRow& a = rows[0];
  EXPECT_EQ(a.uscc, Uscc(1));
  EXPECT_EQ(a.legacy_registration_no, "500113600012345");
  EXPECT_EQ(a.name, "巴南区测试商店1");
  EXPECT_EQ(a.operator_name, "张三");
  EXPECT_EQ(a.organisation_form, domain::OrganisationForm::kFamily);
  EXPECT_EQ(a.region_code, "500113");
  EXPECT_EQ(a.township_code, "500113005");
  EXPECT_EQ(a.industry_code, "5211");
  EXPECT_EQ(a.registered_on, Ymd(2020, 3, 15));
  EXPECT_EQ(a.status, domain::HouseholdStatus::kSuspended);
  EXPECT_EQ(a.status_since, Ymd(2024, 3, 1));
  EXPECT_TRUE(a.annual_report_filed);
  EXPECT_EQ(a.outcome, kOutcomeGrowth);
  EXPECT_EQ(a.row_index, 2);
  EXPECT_EQ(a.failed_mask, 5u);
  EXPECT_EQ(a.unknown_mask, 2u);
  EXPECT_TRUE(a.overridden);
  EXPECT_EQ(a.revenue_fen, 123'456'700);
  EXPECT_EQ(a.tax_fen, 80'000);  // the tax record wins over the annual report
  EXPECT_EQ(a.employees, 2);     // 从业人数 less the operator
  EXPECT_TRUE(a.abnormal);

  const TierExportRow& b = rows[1];
  EXPECT_EQ(b.legacy_registration_no, std::nullopt);
  EXPECT_EQ(b.township_code, std::nullopt);
  EXPECT_EQ(b.organisation_form, domain::OrganisationForm::kIndividual);
  EXPECT_EQ(b.status, domain::HouseholdStatus::kActive);
  EXPECT_FALSE(b.annual_report_filed);
  EXPECT_EQ(b.revenue_fen, std::nullopt);
  EXPECT_EQ(b.tax_fen, std::nullopt);
  EXPECT_EQ(b.employees, 4);  // most insured in a period of 2023
  EXPECT_FALSE(b.abnormal);   // recovered before the run's date
  EXPECT_FALSE(b.overridden);

  const TierExportRow& c = rows[2];
  EXPECT_FALSE(c.annual_report_filed);
  EXPECT_EQ(c.revenue_fen, std::nullopt);
  EXPECT_EQ(c.employees, std::nullopt);
  EXPECT_FALSE(c.abnormal);  // marked after the run's date
  EXPECT_EQ(c.outcome, kOutcomeUntyped);
  EXPECT_EQ(c.unknown_mask, 1u);
}

TEST_P(TierExportQueryTest, StopsAtTheCallbacksFirstError) {
  int64_t batch = NewBatchId();
  int64_t run = AddRun({{AddHousehold(1, batch), kOutcomeSurvival, 3, 0, 0, false},
                        {AddHousehold(2, batch), kOutcomeSurvival, 3, 0, 0, false}});
  int calls = 0;
  base::Status s = ScanRunForExport(db(), run, [&calls](const TierExportRow&) {
    ++calls;
    return base::Unavailable("磁盘已满");
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(calls, 1);
}

TEST_P(TierExportQueryTest, RunWithoutResultsExportsNothingAndAnUnknownRunIsNotFound) {
  int64_t run = AddRun({});
  EXPECT_TRUE(Export(run).empty());
  base::Status s =
      ScanRunForExport(db(), run + 1, [](const TierExportRow&) { return base::OkStatus(); });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

class SqliteMemoryFactory final : public BackendFactory {
 public:
  std::string name() const override { return "SqliteMemory"; }
  base::Result<std::unique_ptr<Database>> Open() override { return OpenSqlite(":memory:"); }
};

// The server in GETIHU_TEST_PG (tests/postgres/with_postgres.sh), a schema per test.
class PostgresFactory final : public BackendFactory {
 public:
  std::string name() const override { return "Postgres"; }
  std::optional<std::string> SkipReason() const override {
    if (Conninfo()) return std::nullopt;
    return "GETIHU_TEST_PG is not set: run under tests/postgres/with_postgres.sh";
  }
  base::Result<std::unique_ptr<Database>> Open() override {
    if (admin_ == nullptr) {
      GETIHU_ASSIGN_OR_RETURN(admin_, OpenPostgres(*Conninfo()));
    }
    schema_ = "getihu_export_test_" + std::to_string(getpid()) + "_" + std::to_string(++count_);
    GETIHU_RETURN_IF_ERROR(admin_->ExecuteScript("DROP SCHEMA IF EXISTS " + schema_ +
                                                 " CASCADE; CREATE SCHEMA " + schema_));
    return OpenPostgres(*Conninfo(), {.schema = schema_});
  }
  void Cleanup() override {
    if (admin_ == nullptr || schema_.empty()) return;
    EXPECT_TRUE(admin_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE").ok());
    schema_.clear();
  }

 private:
  static std::optional<std::string> Conninfo() {
    const char* c = std::getenv("GETIHU_TEST_PG");
    if (c == nullptr || *c == '\0') return std::nullopt;
    return std::string(c);
  }
  std::unique_ptr<Database> admin_;
  std::string schema_;
  int count_ = 0;
};

SqliteMemoryFactory sqlite_factory;
PostgresFactory postgres_factory;

INSTANTIATE_TEST_SUITE_P(Backends, TierExportQueryTest,
                         ::testing::Values(&sqlite_factory, &postgres_factory), BackendName);

}  // namespace
}  // namespace getihu::storage::testing
