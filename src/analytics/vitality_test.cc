// Activity and three-year survival on a hand-built district, each figure worked out below.
#include "analytics/vitality.h"

#include <gtest/gtest.h>

#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/fact_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"

namespace getihu::analytics {
namespace {

using domain::HouseholdStatus;
using domain::StatusChangeKind;

base::Date D(const char* s) { return *base::Date::Parse(s); }
base::Money Yuan(int64_t y) { return base::Money::FromFen(y * 100); }

class VitalityTest : public ::testing::Test {
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

  int64_t Add(int n, const char* registered, const char* region = "500113",
              std::optional<std::pair<const char*, StatusChangeKind>> later = std::nullopt) {
    domain::Household h;
    h.uscc = domain::UsccGenerator(region).Generate(static_cast<uint64_t>(n));
    h.operator_name = "张三";
    h.region_code = region;
    h.industry_code = "5211";
    h.registered_on = D(registered);
    h.status_since = h.registered_on;
    storage::HouseholdRepository repo(*db_);
    auto id = repo.UpsertHousehold(h, batch_);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    std::vector<domain::StatusChange> changes = {
        {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished}};
    if (later) {
      auto [date, kind] = *later;
      HouseholdStatus s = kind == StatusChangeKind::kDeregistered ? HouseholdStatus::kDeregistered
                          : kind == StatusChangeKind::kRevoked    ? HouseholdStatus::kRevoked
                          : kind == StatusChangeKind::kSuspended  ? HouseholdStatus::kSuspended
                                                                  : HouseholdStatus::kConverted;
      changes.push_back({*id, s, D(date), kind});
    }
    EXPECT_TRUE(repo.InsertStatusChanges(changes, batch_).ok());
    return *id;
  }

  // The rate read from the pool, checked equal to the one counted from a population loaded as
  // of `population_as_of` (the report's way; it reads the pool itself when the population does
  // not cover the cohort).
  base::Result<SurvivalRate> Survival(int cohort, base::Date as_of, base::Date population_as_of) {
    auto pool = ComputeThreeYearSurvival(*db_, "500113", cohort, as_of);
    auto population = Population::Load(*db_, "500113", population_as_of);
    EXPECT_TRUE(population.ok());
    if (!pool.ok() || !population.ok()) return pool;
    auto counted = ComputeThreeYearSurvival(*db_, *population, cohort, as_of);
    EXPECT_TRUE(counted.ok());
    if (counted.ok()) {
      EXPECT_EQ(counted->cohort, pool->cohort);
      EXPECT_EQ(counted->observable, pool->observable);
      EXPECT_EQ(counted->survived, pool->survived);
      EXPECT_EQ(counted->pct, pool->pct);
    }
    return pool;
  }
  base::Result<SurvivalRate> Survival(int cohort, base::Date as_of) {
    return Survival(cohort, as_of, as_of);
  }

  std::unique_ptr<storage::Database> db_;
  int64_t batch_ = 0;
};

TEST_F(VitalityTest, ActivityCountsSignsOfOperatingAmongThoseInExistence) {
  int64_t report = Add(1, "2020-01-01");   // annual report 2025 with revenue: operating
  int64_t zero = Add(2, "2020-01-01");     // annual report 2025 with revenue 0: data, idle
  int64_t tax = Add(3, "2021-01-01");      // tax sales in 2025: operating
  int64_t insured = Add(4, "2022-01-01");  // insured employees in 2025-03: operating
  Add(5, "2023-01-01");                    // nothing for 2025: no data
  Add(6, "2019-01-01", "500113",
      std::pair{"2025-08-01", StatusChangeKind::kSuspended});  // 歇业, no data
  int64_t gone = Add(7, "2019-01-01", "500113",
                     std::pair{"2025-10-01", StatusChangeKind::kDeregistered});  // not in existence
  Add(8, "2026-02-01");                                // registered after the year
  int64_t elsewhere = Add(9, "2020-01-01", "500112");  // another district
  storage::FactRepository facts(*db_);
  std::vector<domain::AnnualReport> reports = {
      {report, 2025, Yuan(80'000), std::nullopt, 2, D("2026-03-01"), std::nullopt},
      {zero, 2025, Yuan(0), std::nullopt, 1, D("2026-03-01"), std::nullopt},
      {gone, 2025, Yuan(50'000), std::nullopt, 1, D("2026-03-01"), std::nullopt},
      {elsewhere, 2025, Yuan(50'000), std::nullopt, 1, D("2026-03-01"), std::nullopt},
      {tax, 2024, Yuan(90'000), std::nullopt, 1, D("2025-03-01"), std::nullopt}};  // other year
  ASSERT_TRUE(facts.InsertAnnualReports(reports, batch_).ok());
  std::vector<domain::TaxRecord> taxes = {{tax, 2025, Yuan(100), Yuan(30'000), std::nullopt}};
  ASSERT_TRUE(facts.InsertTaxRecords(taxes, batch_).ok());
  std::vector<domain::SocialInsuranceRecord> si = {{insured, "2025-03", 2}};
  ASSERT_TRUE(facts.InsertSocialInsurance(si, batch_).ok());

  auto r = ComputeActivityRate(*db_, "500113", 2025, D("2026-07-01"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status_date, D("2025-12-31"));
  EXPECT_EQ(r->in_existence, 6);  // 1–6
  EXPECT_EQ(r->operating, 3);     // 1, 3, 4
  EXPECT_EQ(r->no_data, 2);       // 5, 6
  EXPECT_FALSE(r->provisional);
  ASSERT_TRUE(r->pct.has_value());
  EXPECT_DOUBLE_EQ(*r->pct, 50.0);
  auto early = ComputeActivityRate(*db_, "500113", 2025, D("2026-03-01"));
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->provisional) << "annual reports for 2025 are due by 30 June 2026";
  auto none = ComputeActivityRate(*db_, "510000", 2025, D("2026-07-01"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->pct.has_value());
}

TEST_F(VitalityTest, SurvivalAtTheThirdAnniversary) {
  Add(1, "2022-03-01");  // survives
  Add(2, "2022-05-10", "500113", std::pair{"2024-01-01", StatusChangeKind::kDeregistered});
  Add(3, "2022-06-01", "500113", std::pair{"2025-06-01", StatusChangeKind::kRevoked});  // on it
  Add(4, "2022-07-01", "500113", std::pair{"2025-07-02", StatusChangeKind::kDeregistered});
  Add(5, "2022-08-01", "500113", std::pair{"2024-08-01", StatusChangeKind::kConverted});
  Add(6, "2022-12-31");  // anniversary 2025-12-31: not yet observable on 2025-12-30
  Add(7, "2021-12-31");  // another cohort
  auto r = Survival(2022, D("2025-12-30"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->cohort, 6);
  EXPECT_EQ(r->observable, 5);
  EXPECT_EQ(r->survived, 3);  // 1, 4 (exited the day after), 5 (converted)
  EXPECT_FALSE(r->complete());
  EXPECT_DOUBLE_EQ(*r->pct, 60.0);
  auto later = Survival(2022, D("2026-01-01"));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->complete());
  EXPECT_EQ(later->survived, 4);
  // A population of mid-2022 holds only part of the cohort: the pool is read.
  auto early = Survival(2022, D("2022-06-30"));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->cohort, 6);
  EXPECT_EQ(early->observable, 0);
  // A population of a later date than the rate's: exits after the anniversary change nothing.
  auto wider = Survival(2022, D("2025-12-30"), D("2026-07-01"));
  ASSERT_TRUE(wider.ok());
  EXPECT_EQ(wider->survived, 3);
}

TEST_F(VitalityTest, LeapDayAnniversaryAndDefaults) {
  Add(1, "2024-02-29", "500113", std::pair{"2027-02-28", StatusChangeKind::kDeregistered});
  auto r = Survival(2024, D("2027-03-01"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->observable, 1);
  EXPECT_EQ(r->survived, 0) << "the anniversary of 29 February 2024 is 28 February 2027";
  EXPECT_EQ(DefaultActivityYear(D("2026-07-01")), 2025);
  EXPECT_EQ(DefaultSurvivalCohort(D("2026-07-01")), 2022);
  EXPECT_EQ(DefaultSurvivalCohort(D("2026-12-31")), 2023);
}

}  // namespace
}  // namespace getihu::analytics
