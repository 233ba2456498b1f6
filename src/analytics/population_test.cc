// A population read in two halves on two connections is the one read on one: every row, its
// area, codes, figures and status changes, for the whole pool and for a part of it.
#include "analytics/population.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "analytics/breakdown.h"
#include "analytics/indicators.h"
#include "domain/household.h"
#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {
namespace {

namespace fs = std::filesystem;
using domain::HouseholdStatus;
using domain::StatusChangeKind;

base::Date D(const char* s) { return *base::Date::Parse(s); }

class PopulationSplitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        (fs::temp_directory_path() / ("getihu-population-" + std::to_string(::getpid()) + ".db"))
            .string();
    fs::remove(path_);
    db_ = Open(true);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate().ok());
    storage::NewBatch batch{.feed = "registration",
                            .file_name = "registration.csv",
                            .content_sha256 = std::string(64, 'a'),
                            .period = std::nullopt,
                            .as_of = std::nullopt,
                            .imported_by = "tester",
                            .imported_at_unix = 1'780'000'000};
    auto b = storage::BatchRepository(*db_).CreateBatch(batch);
    ASSERT_TRUE(b.ok());
    // 60 households over two districts, four townships (one unknown), three industries (one
    // malformed), registered over eight years; every third suspended, every fifth
    // deregistered, every seventh converted, some after the as-of date.
    const char* regions[] = {"500113", "500107"};
    const char* townships[] = {"500113005", "500113006", "500107001", ""};
    const char* industries[] = {"5211", "6210", "0141", "99x"};
    storage::HouseholdRepository repo(*db_);
    std::vector<domain::StatusChange> changes;
    for (int n = 1; n <= 60; ++n) {
      domain::Household h;
      const char* region = regions[n % 2];
      h.uscc = domain::UsccGenerator(region).Generate(static_cast<uint64_t>(n));
      h.operator_name = "张三";
      h.region_code = region;
      const char* township = townships[(n / 2) % 4];
      if (*township != '\0' && std::string(township).starts_with(region)) {
        h.township_code = township;
      }
      h.industry_code = industries[n % 4];
      h.registered_on = D("2019-01-10").AddMonths(n + (n % 3) * 7);
      h.status_since = h.registered_on;
      h.online = n % 4 == 1;
      auto id = repo.UpsertHousehold(h, *b);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      changes.push_back(
          {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished});
      if (n % 3 == 0) {
        changes.push_back({*id, HouseholdStatus::kSuspended, h.registered_on.AddMonths(5),
                           StatusChangeKind::kSuspended});
      }
      if (n % 5 == 0) {
        changes.push_back({*id, HouseholdStatus::kDeregistered, h.registered_on.AddMonths(9),
                           StatusChangeKind::kDeregistered});
      } else if (n % 7 == 0) {
        changes.push_back({*id, HouseholdStatus::kConverted, h.registered_on.AddMonths(11),
                           StatusChangeKind::kConverted});
      }
    }
    ASSERT_TRUE(repo.InsertStatusChanges(changes, *b).ok());
    for (int n = 1; n <= 60; ++n) {
      auto id = repo.FindHouseholdId(
          domain::UsccGenerator(regions[n % 2]).Generate(static_cast<uint64_t>(n)));
      ASSERT_TRUE(id.ok() && id->has_value());
      number_of_[**id] = n;
    }
    ASSERT_TRUE(storage::BatchRepository(*db_).MarkCommitted(*b, 60, 0).ok());
  }
  void TearDown() override {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }

  std::unique_ptr<storage::Database> Open(bool create) {
    storage::OpenOptions o;
    o.create_if_missing = create;
    auto db = storage::OpenSqlite(path_, o);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // Loads on one connection and in halves on two; EXPECTs the two agree in every accessor.
  void ExpectSameInHalves(const char* prefix, base::Date as_of, size_t expected_size) {
    auto one = Population::Load(*db_, prefix, as_of);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    Population::LoadOptions options;
    int opened = 0;
    options.open_reader = [&]() -> base::Result<std::unique_ptr<storage::Database>> {
      ++opened;
      return storage::OpenSqlite(path_);
    };
    options.split_households = 2;
    auto two = Population::Load(*db_, prefix, as_of, options);
    ASSERT_TRUE(two.ok()) << two.status().ToString();
    EXPECT_EQ(opened, 1) << "the second connection was used";
    const Population& a = *one;
    const Population& b = *two;
    ASSERT_EQ(a.size(), expected_size);
    ASSERT_EQ(b.size(), a.size());
    EXPECT_EQ(b.ids(), a.ids());
    EXPECT_EQ(b.rows_by_id(), a.rows_by_id());
    EXPECT_EQ(b.regions(), a.regions());
    EXPECT_EQ(b.townships(), a.townships());
    EXPECT_EQ(b.sections(), a.sections());
    EXPECT_EQ(b.run_begin(), a.run_begin());
    EXPECT_EQ(b.figure_bits(), a.figure_bits());
    ASSERT_EQ(b.areas(), a.areas());
    for (uint32_t area = 0; area < a.areas(); ++area) {
      EXPECT_EQ(b.area_region(area), a.area_region(area));
      EXPECT_EQ(b.area_township(area), a.area_township(area));
    }
    for (size_t row = 0; row < a.size(); ++row) {
      EXPECT_EQ(b.registered_on(row), a.registered_on(row)) << row;
      EXPECT_EQ(b.online(row), a.online(row)) << row;
      EXPECT_EQ(b.region(row), a.region(row)) << row;
      EXPECT_EQ(b.township(row), a.township(row)) << row;
      EXPECT_EQ(b.section(row), a.section(row)) << row;
      EXPECT_EQ(b.sector(row), a.sector(row)) << row;
      EXPECT_EQ(b.area(row), a.area(row)) << row;
      EXPECT_EQ(b.FirstExit(row), a.FirstExit(row)) << row;
      for (const char* day : {"2019-06-30", "2021-12-31", "2024-02-29", "2025-07-01"}) {
        if (D(day) > as_of) continue;
        EXPECT_EQ(b.StatusOn(row, D(day)), a.StatusOn(row, D(day))) << row << " " << day;
      }
    }
  }

  std::string path_;
  std::unique_ptr<storage::Database> db_;
  std::map<int64_t, int> number_of_;  // household id → n of SetUp
};

TEST_F(PopulationSplitTest, TheWholePoolInHalvesIsThePoolInOne) {
  ExpectSameInHalves("", D("2026-07-01"), 60);
}

TEST_F(PopulationSplitTest, ADistrictInHalvesIsTheDistrictInOne) {
  ExpectSameInHalves("500113", D("2026-07-01"), 30);
}

TEST_F(PopulationSplitTest, AnEarlierDateInHalvesIsTheSameInOne) {
  // Registered by 2022-06-30: the first households only, some of them not yet changed.
  auto one = Population::Load(*db_, "50", D("2022-06-30"));
  ASSERT_TRUE(one.ok());
  ASSERT_GT(one->size(), 10u);
  ASSERT_LT(one->size(), 60u);
  ExpectSameInHalves("50", D("2022-06-30"), one->size());
}

// The full breakdown counts every figure of every row into its cell, however long a run of one
// township and section (the counting goes in chunks of a few hundred rows): checked against a
// count row by row, on one thread and on two.
TEST_F(PopulationSplitTest, TheFullBreakdownCountsEveryRowOfLongRuns) {
  {
    // 1,300 more households of one township and industry, a fifth of them deregistered and a
    // seventh suspended: runs of several chunks, and rows in every figure.
    storage::HouseholdRepository repo(*db_);
    auto batch = storage::BatchRepository(*db_).CreateBatch({.feed = "registration",
                                                             .file_name = "long.csv",
                                                             .content_sha256 = std::string(64, 'c'),
                                                             .period = std::nullopt,
                                                             .as_of = std::nullopt,
                                                             .imported_by = "tester",
                                                             .imported_at_unix = 1'780'000'000});
    ASSERT_TRUE(batch.ok());
    std::vector<domain::StatusChange> changes;
    for (int n = 61; n <= 1360; ++n) {
      domain::Household h;
      h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
      h.operator_name = "李四";
      h.region_code = "500113";
      h.township_code = "500113005";
      h.industry_code = "5211";
      h.registered_on = D("2023-01-05").AddDays(n % 1000);
      h.status_since = h.registered_on;
      h.online = n % 3 == 0;
      auto id = repo.UpsertHousehold(h, *batch);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      changes.push_back(
          {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished});
      if (n % 5 == 0) {
        changes.push_back({*id, HouseholdStatus::kDeregistered, h.registered_on.AddMonths(7),
                           StatusChangeKind::kDeregistered});
      } else if (n % 7 == 0) {
        changes.push_back({*id, HouseholdStatus::kSuspended, h.registered_on.AddMonths(2),
                           StatusChangeKind::kSuspended});
      }
    }
    ASSERT_TRUE(repo.InsertStatusChanges(changes, *batch).ok());
  }
  auto p = Population::Load(*db_, "", D("2026-07-01"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_GT(p->size(), 1300u);
  std::vector<uint8_t> tiers(p->size());
  for (size_t row = 0; row < tiers.size(); ++row) tiers[row] = (row * 7 + row / 5) % 4;
  using Key = std::tuple<std::string, std::string, std::string, int>;
  std::map<Key, std::array<int64_t, kFigureBits>> want;
  for (size_t row = 0; row < p->size(); ++row) {
    const uint32_t area = p->area(row);
    Key key{p->regions()[p->area_region(area)], p->townships()[p->area_township(area)],
            p->sections()[p->section(row)], tiers[row]};
    const uint16_t bits = p->figure_bits()[row];
    if (bits == 0) continue;
    auto& figures = want.try_emplace(key).first->second;
    for (int k = 0; k < kFigureBits; ++k) figures[static_cast<size_t>(k)] += (bits >> k) & 1;
  }
  uint32_t longest = 0;
  for (size_t run = 0; run + 1 < p->run_begin().size(); ++run) {
    longest = std::max(longest, p->run_begin()[run + 1] - p->run_begin()[run]);
  }
  ASSERT_GT(longest, 4u * 63) << "a run longer than a chunk";
  // Each run's households that count in any figure come first; those exited years ago after.
  size_t uncounted = 0;
  for (size_t run = 0; run + 1 < p->run_begin().size(); ++run) {
    const uint32_t end = p->run_counted_end()[run];
    ASSERT_LE(p->run_begin()[run], end);
    ASSERT_LE(end, p->run_begin()[run + 1]);
    for (uint32_t row = p->run_begin()[run]; row < p->run_begin()[run + 1]; ++row) {
      EXPECT_EQ(p->figure_bits()[row] != 0, row < end) << row;
      uncounted += row >= end;
    }
  }
  EXPECT_GT(uncounted, 100u);
  for (int threads : {1, 2}) {
    Breakdown b = ComputeBreakdown(*p, tiers, threads);
    std::map<Key, std::array<int64_t, kFigureBits>> got;
    for (const BreakdownCell& c : b.cells) {
      const Figures& f = c.figures;
      got[Key{c.region, c.township, c.section, c.tier}] = {
          f.stock,           f.suspended,         f.online,        f.stock_year_end,
          f.stock_last_year, f.new_registrations, f.new_last_year, f.exits,
          f.exits_last_year, f.conversions};
    }
    EXPECT_EQ(got, want) << threads << " threads";
  }
}

// A run's outcomes by population row, whether read by scanning the run (a population as large
// as the run) or by looking each household up (one far smaller, as a district of a province).
TEST_F(PopulationSplitTest, TierOutcomesOfAnyPopulationByRow) {
  // 440 more households, registered in 2025: the run covers 500, the population of early 2020
  // six of them, few enough to be looked up one by one.
  {
    storage::HouseholdRepository repo(*db_);
    auto batch = storage::BatchRepository(*db_).CreateBatch({.feed = "registration",
                                                             .file_name = "more.csv",
                                                             .content_sha256 = std::string(64, 'b'),
                                                             .period = std::nullopt,
                                                             .as_of = std::nullopt,
                                                             .imported_by = "tester",
                                                             .imported_at_unix = 1'780'000'000});
    ASSERT_TRUE(batch.ok());
    for (int n = 61; n <= 500; ++n) {
      domain::Household h;
      h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
      h.operator_name = "李四";
      h.region_code = "500113";
      h.industry_code = "5211";
      h.registered_on = D("2025-03-01");
      h.status_since = h.registered_on;
      auto id = repo.UpsertHousehold(h, *batch);
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      number_of_[*id] = n;
    }
  }
  storage::TierRunRecord r;
  r.rule_set_name = "default-tiering";
  r.rule_set_version = "1";
  r.rule_set_sha256 = std::string(64, 'f');
  r.params_json = "{}";
  r.as_of = D("2026-07-01");
  r.created_by = "tester";
  std::vector<storage::TierResultRow> rows;
  for (const auto& [id, n] : number_of_) {
    if (n == 13) continue;  // not covered by the run
    rows.push_back({.household_id = id, .outcome = n % 4});
    ++r.households;
    ++(n % 4 == storage::kOutcomeSurvival      ? r.survival
       : n % 4 == storage::kOutcomeGrowth      ? r.growth
       : n % 4 == storage::kOutcomeDevelopment ? r.development
                                               : r.untyped);
  }
  storage::TierRepository tiers(*db_);
  auto run = tiers.InsertRun(r, {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_TRUE(tiers.InsertResults(*run, rows).ok());
  for (base::Date as_of : {D("2026-07-01"), D("2020-03-01")}) {
    auto p = Population::Load(*db_, "", as_of);
    ASSERT_TRUE(p.ok());
    auto outcomes = LoadTierOutcomes(*db_, *run, *p);
    ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
    ASSERT_EQ(outcomes->size(), p->size());
    for (size_t j = 0; j < p->size(); ++j) {
      const int n = number_of_.at(p->ids()[j]);
      const uint8_t want = n == 13 ? storage::kOutcomeUntyped : static_cast<uint8_t>(n % 4);
      EXPECT_EQ((*outcomes)[p->rows_by_id()[j]], want) << "household " << n;
    }
  }
  EXPECT_LT(Population::Load(*db_, "", D("2020-03-01"))->size() * 64, 499u)
      << "the early population is small enough to be looked up";
}

}  // namespace
}  // namespace getihu::analytics
