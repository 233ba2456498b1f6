// A population read in two halves on two connections is the one read on one: every row, its
// area, codes, figures and status changes, for the whole pool and for a part of it.
#include "analytics/population.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "domain/household.h"
#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"

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

}  // namespace
}  // namespace getihu::analytics
