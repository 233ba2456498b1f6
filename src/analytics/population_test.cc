// A population read in two halves on two connections, or selected from the pool's image, is
// the one read on one: every row, its area, codes, figures and status changes, for the whole
// pool and for a part of it.
#include "analytics/population.h"
#include "analytics/report.h"
#include "analytics/targets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "analytics/breakdown.h"
#include "analytics/indicators.h"
#include "analytics/pool_image.h"
#include "analytics/vitality.h"
#include "domain/household.h"
#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/fact_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {
namespace {

namespace fs = std::filesystem;
using domain::HouseholdStatus;
using domain::StatusChangeKind;

base::Date D(const char* s) { return *base::Date::Parse(s); }

// EXPECTs `b` to be `a` in every accessor, with the statuses of dates up to `as_of`.
void ExpectSamePopulation(const Population& a, const Population& b, base::Date as_of) {
  ASSERT_EQ(b.size(), a.size());
  EXPECT_EQ(b.as_of(), a.as_of());
  EXPECT_EQ(b.region_prefix(), a.region_prefix());
  EXPECT_EQ(b.ids(), a.ids());
  EXPECT_EQ(b.rows_by_id(), a.rows_by_id());
  EXPECT_EQ(b.regions(), a.regions());
  EXPECT_EQ(b.townships(), a.townships());
  EXPECT_EQ(b.sections(), a.sections());
  EXPECT_EQ(b.run_begin(), a.run_begin());
  EXPECT_EQ(b.run_counted_end(), a.run_counted_end());
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
    EXPECT_EQ(b.division(row), a.division(row)) << row;
    EXPECT_EQ(b.sector(row), a.sector(row)) << row;
    EXPECT_EQ(b.area(row), a.area(row)) << row;
    EXPECT_EQ(b.FirstExit(row), a.FirstExit(row)) << row;
    EXPECT_TRUE(std::ranges::equal(b.change_days(row), a.change_days(row))) << row;
    EXPECT_TRUE(std::ranges::equal(b.change_classes(row), a.change_classes(row))) << row;
    for (const char* day : {"2019-06-30", "2021-12-31", "2024-02-29", "2025-07-01"}) {
      if (D(day) > as_of) continue;
      EXPECT_EQ(b.StatusOn(row, D(day)), a.StatusOn(row, D(day))) << row << " " << day;
    }
  }
}

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
    ASSERT_EQ(one->size(), expected_size);
    ExpectSamePopulation(*one, *two, as_of);
  }

  // Stores a tier run of 2026-07-01 in which household n has the outcome n % 4, those `skip`
  // names left out. Returns its id, 0 when it could not be stored.
  int64_t StoreRun(const std::function<bool(int n)>& skip) {
    storage::TierRunRecord r;
    r.rule_set_name = "default-tiering";
    r.rule_set_version = "1";
    r.rule_set_sha256 = std::string(64, 'f');
    r.params_json = "{}";
    r.as_of = D("2026-07-01");
    r.created_by = "tester";
    std::vector<storage::TierResultRow> rows;
    for (const auto& [id, n] : number_of_) {
      if (skip(n)) continue;
      rows.push_back({.household_id = id, .outcome = n % 4});
      ++r.households;
      ++(n % 4 == storage::kOutcomeSurvival      ? r.survival
         : n % 4 == storage::kOutcomeGrowth      ? r.growth
         : n % 4 == storage::kOutcomeDevelopment ? r.development
                                                 : r.untyped);
    }
    storage::TierRepository tiers(*db_);
    auto run = tiers.InsertRun(r, {});
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    if (!run.ok()) return 0;
    EXPECT_TRUE(tiers.InsertResults(*run, rows).ok());
    return *run;
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
  const int64_t run = StoreRun([](int n) { return n == 13; });  // 13 not covered by the run
  ASSERT_GT(run, 0);
  for (base::Date as_of : {D("2026-07-01"), D("2020-03-01")}) {
    auto p = Population::Load(*db_, "", as_of);
    ASSERT_TRUE(p.ok());
    auto outcomes = LoadTierOutcomes(*db_, run, *p);
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

// Images of the pool (pool_image.h): a population, the signs of operating and a run's outcomes
// read back from the image are those read from the pool, for any region and date, until a
// committed batch changes the pool.
class PoolImageTest : public PopulationSplitTest {
 protected:
  void SetUp() override {
    PopulationSplitTest::SetUp();
    image_.dir = path_ + ".images";
    image_.min_households = 1;
    fs::remove_all(image_.dir);
  }
  void TearDown() override {
    fs::remove_all(image_.dir);
    PopulationSplitTest::TearDown();
  }

  base::Result<Population> LoadImaged(const char* prefix, base::Date as_of) {
    Population::LoadOptions options;
    options.image = image_;
    return Population::Load(*db_, prefix, as_of, options);
  }
  // The population files of the image directory.
  std::vector<fs::path> Images() const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(image_.dir, ec)) {
      if (fs::exists(e.path() / "population.cols")) out.push_back(e.path() / "population.cols");
    }
    return out;
  }
  // A committed batch holding one more household of district 500113.
  void ImportOneMore(int n) {
    auto batch = storage::BatchRepository(*db_).CreateBatch(
        {.feed = "registration",
         .file_name = "more.csv",
         .content_sha256 = std::string(63, 'd') + static_cast<char>('0' + n % 10),
         .period = std::nullopt,
         .as_of = std::nullopt,
         .imported_by = "tester",
         .imported_at_unix = 1'780'000'100});
    ASSERT_TRUE(batch.ok());
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
    h.operator_name = "王五";
    h.region_code = "500113";
    h.township_code = "500113006";
    h.industry_code = "6210";
    h.registered_on = D("2026-03-03");
    h.status_since = h.registered_on;
    storage::HouseholdRepository repo(*db_);
    auto id = repo.UpsertHousehold(h, *batch);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    const std::vector<domain::StatusChange> changes = {
        {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished}};
    ASSERT_TRUE(repo.InsertStatusChanges(changes, *batch).ok());
    ASSERT_TRUE(storage::BatchRepository(*db_).MarkCommitted(*batch, 1, 0).ok());
  }

  // Annual reports for 2025 of every other household, with revenue for every fourth, and a
  // tier run of 2026-07-01 covering all but every ninth household. Returns the run's id.
  int64_t AddReportsAndRun() {
    auto batch = storage::BatchRepository(*db_).CreateBatch({.feed = "annual_report",
                                                             .file_name = "reports.csv",
                                                             .content_sha256 = std::string(64, 'e'),
                                                             .period = std::nullopt,
                                                             .as_of = std::nullopt,
                                                             .imported_by = "tester",
                                                             .imported_at_unix = 1'780'000'200});
    EXPECT_TRUE(batch.ok());
    if (!batch.ok()) return 0;
    std::vector<domain::AnnualReport> reports;
    for (const auto& [id, n] : number_of_) {
      if (n % 2 == 0) {
        reports.push_back({id, 2025, base::Money::FromFen(n % 4 == 0 ? 5'000'000 : 0), std::nullopt,
                           1, D("2026-03-01"), std::nullopt});
      }
    }
    EXPECT_TRUE(storage::FactRepository(*db_).InsertAnnualReports(reports, *batch).ok());
    EXPECT_TRUE(storage::BatchRepository(*db_).MarkCommitted(*batch, 30, 0).ok());
    return StoreRun([](int n) { return n % 9 == 0; });
  }
  fs::path RunImage(int64_t run) const {
    return fs::path(image_.dir) / "runs" / ("run-" + std::to_string(run) + ".cols");
  }

  PoolImageOptions image_;
};

TEST_F(PoolImageTest, AnyRegionAndDateFromTheImageIsWhatThePoolReads) {
  // The first load of the whole pool reads it and leaves the image.
  auto first = LoadImaged("", D("2026-07-01"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(Images().size(), 1u);
  ExpectSamePopulation(*Population::Load(*db_, "", D("2026-07-01")), *first, D("2026-07-01"));
  struct Case {
    const char* prefix;
    const char* as_of;
  };
  for (Case c : {Case{"", "2026-07-01"}, Case{"500113", "2026-07-01"}, Case{"500107", "2024-02-29"},
                 Case{"50", "2022-06-30"}, Case{"5001", "2019-12-31"}, Case{"11", "2026-07-01"},
                 Case{"", "2010-01-01"}}) {
    SCOPED_TRACE(std::string(c.prefix) + " " + c.as_of);
    auto pool = Population::Load(*db_, c.prefix, D(c.as_of));
    auto imaged = LoadImaged(c.prefix, D(c.as_of));
    ASSERT_TRUE(pool.ok() && imaged.ok());
    ExpectSamePopulation(*pool, *imaged, D(c.as_of));
  }
  EXPECT_EQ(Images().size(), 1u);
}

TEST_F(PoolImageTest, TheImageIsReadNotThePool) {
  ASSERT_TRUE(LoadImaged("", D("2026-07-01")).ok());
  // A change that bypasses the batches (which the platform never makes) is not seen through
  // the image: proof that the image was read. The pool read sees it.
  ASSERT_TRUE(db_->ExecuteScript("UPDATE households SET registered_on = '2026-06-30'").ok());
  auto pool = Population::Load(*db_, "", D("2026-07-01"));
  auto imaged = LoadImaged("", D("2026-07-01"));
  ASSERT_TRUE(pool.ok() && imaged.ok());
  EXPECT_EQ(pool->registered_on(0), D("2026-06-30"));
  EXPECT_NE(imaged->registered_on(0), D("2026-06-30"));
}

TEST_F(PoolImageTest, ACommittedBatchMakesTheNextLoadReadThePool) {
  ASSERT_TRUE(LoadImaged("", D("2026-07-01")).ok());
  ImportOneMore(61);
  auto imaged = LoadImaged("500113", D("2026-07-01"));
  auto pool = Population::Load(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(pool.ok() && imaged.ok());
  EXPECT_EQ(pool->size(), 31u);
  ExpectSamePopulation(*pool, *imaged, D("2026-07-01"));
  EXPECT_EQ(Images().size(), 2u) << "a new image for the new state of the pool";
  // Only the newest few states are kept; other files in the directory are left alone.
  fs::create_directories(fs::path(image_.dir) / "notes");
  for (int n = 62; n <= 66; ++n) {
    ImportOneMore(n);
    ASSERT_TRUE(LoadImaged("", D("2026-07-01")).ok());
  }
  EXPECT_EQ(Images().size(), 3u);
  EXPECT_TRUE(fs::exists(fs::path(image_.dir) / "notes"));
}

TEST_F(PoolImageTest, ADamagedImageIsReadAgainFromThePool) {
  ASSERT_TRUE(LoadImaged("", D("2026-07-01")).ok());
  ASSERT_EQ(Images().size(), 1u);
  const fs::path file = Images()[0];
  const auto size = fs::file_size(file);
  for (int damage = 0; damage < 2; ++damage) {
    if (damage == 0) {
      fs::resize_file(file, size / 2);  // cut short
    } else {
      // Every byte after the header and table of contents set to 0xff: area and dictionary ids
      // out of range.
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(1024);
      f << std::string(size - 1024, '\xff');
    }
    auto imaged = LoadImaged("500107", D("2026-07-01"));
    ASSERT_TRUE(imaged.ok()) << imaged.status().ToString();
    ExpectSamePopulation(*Population::Load(*db_, "500107", D("2026-07-01")), *imaged,
                         D("2026-07-01"));
    EXPECT_EQ(fs::file_size(file), size) << "written again";
  }
}

TEST_F(PoolImageTest, ASmallPoolOrRegionLeavesNoImage) {
  image_.min_households = 1000;
  ASSERT_TRUE(LoadImaged("", D("2026-07-01")).ok());
  EXPECT_TRUE(Images().empty()) << "60 households read faster than an image is written";
  image_.min_households = 1;
  ASSERT_TRUE(LoadImaged("11", D("2026-07-01")).ok());
  EXPECT_TRUE(Images().empty()) << "a region holding little of the pool";
  ASSERT_TRUE(LoadImaged("500107", D("2026-07-01")).ok());
  EXPECT_EQ(Images().size(), 1u) << "a district holding half of it";
}

TEST_F(PoolImageTest, SignsOfOperatingAndRunOutcomesFromTheImageAreThePools) {
  const int64_t run = AddReportsAndRun();
  for (const char* prefix : {"", "500113"}) {
    SCOPED_TRACE(prefix);
    auto pool = Population::Load(*db_, prefix, D("2026-07-01"));
    ASSERT_TRUE(pool.ok());
    // Twice: the first reads the pool and writes the images, the second reads them.
    for (int pass = 0; pass < 2; ++pass) {
      auto imaged = LoadImaged(prefix, D("2026-07-01"));
      ASSERT_TRUE(imaged.ok());
      ASSERT_FALSE(imaged->image().dir.empty());
      auto signs = LoadActivitySigns(*db_, *imaged, 2025);
      auto want_signs = LoadActivitySigns(*db_, *pool, 2025);
      ASSERT_TRUE(signs.ok() && want_signs.ok());
      EXPECT_EQ(*signs, *want_signs);
      EXPECT_NE(std::count(signs->begin(), signs->end(), 0), std::ssize(*signs));
      auto employment = ComputeEmployment(*db_, *imaged);
      auto want_employment = ComputeEmployment(*db_, *pool);
      ASSERT_TRUE(employment.ok() && want_employment.ok());
      EXPECT_EQ(employment->people, want_employment->people);
      EXPECT_EQ(employment->with_data, want_employment->with_data);
      EXPECT_GT(employment->with_data, 0);
      auto outcomes = LoadTierOutcomes(*db_, run, *imaged);
      auto want_outcomes = LoadTierOutcomes(*db_, run, *pool);
      ASSERT_TRUE(outcomes.ok() && want_outcomes.ok());
      EXPECT_EQ(*outcomes, *want_outcomes);
    }
  }
  const fs::path dir = Images()[0].parent_path();
  EXPECT_TRUE(fs::exists(dir / "signs-2025.cols"));
  EXPECT_TRUE(fs::exists(dir / "employees-2026-07-01.cols"));
  EXPECT_TRUE(fs::exists(RunImage(run))) << "kept apart from the pool's states";
}

TEST_F(PoolImageTest, PreparedImagesAreWhatTheNextReportReads) {
  const int64_t run = AddReportsAndRun();
  ASSERT_GT(run, 0);
  Population::LoadOptions load;
  load.image = image_;
  auto prepared = PrepareReportImages(*db_, D("2026-07-01"), load);
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_TRUE(*prepared);
  ASSERT_EQ(Images().size(), 1u);
  const fs::path dir = Images()[0].parent_path();
  EXPECT_TRUE(fs::exists(dir / "signs-2025.cols"));
  EXPECT_TRUE(fs::exists(RunImage(run)));
  auto before = ComputeReportModel(*db_, *LoadImaged("500113", D("2026-07-01")));
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  // Changes behind the batches' back (which the platform never makes) are not seen by the next
  // report: proof that it reads the images, not the pool.
  ASSERT_TRUE(db_->ExecuteScript("UPDATE households SET registered_on = '2026-06-30';"
                                 "DELETE FROM annual_reports; DELETE FROM tier_results")
                  .ok());
  auto imaged = LoadImaged("500113", D("2026-07-01"));
  ASSERT_TRUE(imaged.ok());
  auto after = ComputeReportModel(*db_, *imaged);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->by_area.total.stock, before->by_area.total.stock);
  EXPECT_EQ(after->activity.operating, before->activity.operating);
  EXPECT_GT(after->activity.operating, 0);
  ASSERT_TRUE(after->by_tier && before->by_tier);
  EXPECT_EQ(after->by_tier->total.stock, before->by_tier->total.stock);
  auto outcomes = LoadTierOutcomes(*db_, run, *imaged);
  ASSERT_TRUE(outcomes.ok());
  EXPECT_NE(std::count(outcomes->begin(), outcomes->end(), storage::kOutcomeUntyped),
            std::ssize(*outcomes))
      << "the run's outcomes from its image";
}

TEST_F(PoolImageTest, NothingIsPreparedWithoutADirectoryOrForASmallPool) {
  Population::LoadOptions load;
  auto none = PrepareReportImages(*db_, D("2026-07-01"), load);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  load.image = image_;
  load.image.min_households = 1000;
  auto small = PrepareReportImages(*db_, D("2026-07-01"), load);
  ASSERT_TRUE(small.ok());
  EXPECT_FALSE(*small);
  EXPECT_FALSE(fs::exists(image_.dir)) << "nothing written for 60 households";
}

TEST_F(PoolImageTest, TheEmployeeFiguresOfTheLatestDatesAreKept) {
  ASSERT_GT(AddReportsAndRun(), 0);
  for (const char* date : {"2026-07-01", "2026-07-02", "2026-07-03", "2026-07-04"}) {
    auto imaged = LoadImaged("", D(date));
    ASSERT_TRUE(imaged.ok());
    auto e = ComputeEmployment(*db_, *imaged);
    ASSERT_TRUE(e.ok());
    EXPECT_GT(e->with_data, 0);
  }
  const fs::path dir = Images()[0].parent_path();
  EXPECT_FALSE(fs::exists(dir / "employees-2026-07-01.cols")) << "the date asked longest ago";
  for (const char* date : {"2026-07-02", "2026-07-03", "2026-07-04"}) {
    EXPECT_TRUE(fs::exists(dir / ("employees-" + std::string(date) + ".cols"))) << date;
  }
}

TEST_F(PoolImageTest, ARunsImageOutlivesAnImport) {
  const int64_t run = AddReportsAndRun();
  ASSERT_GT(run, 0);
  auto first = LoadImaged("", D("2026-07-01"));
  ASSERT_TRUE(first.ok());
  auto want = LoadTierOutcomes(*db_, run, *first);
  ASSERT_TRUE(want.ok());
  ASSERT_TRUE(fs::exists(RunImage(run)));
  // A stored run's results never change: after an import (a new state of the pool, a new
  // population image) the run is still read from its image.
  ASSERT_TRUE(db_->ExecuteScript("DELETE FROM tier_results").ok());
  ImportOneMore(61);
  auto next = LoadImaged("", D("2026-07-01"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(Images().size(), 2u);
  auto outcomes = LoadTierOutcomes(*db_, run, *next);
  ASSERT_TRUE(outcomes.ok());
  ASSERT_EQ(outcomes->size(), want->size() + 1);
  EXPECT_EQ(std::count(outcomes->begin(), outcomes->end(), storage::kOutcomeUntyped),
            std::count(want->begin(), want->end(), storage::kOutcomeUntyped) + 1)
      << "the new household is not in the run";
}

}  // namespace
}  // namespace getihu::analytics
