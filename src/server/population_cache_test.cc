// The statistics routes' population cache: one reading of the pool serves the requests of a
// region and date until a batch commits, concurrent requests share one reading, and the
// entries kept fit the budget.
#include "server/population_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analytics/indicators.h"
#include "analytics/vitality.h"
#include "base/money.h"
#include "domain/household.h"
#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/fact_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/tier_repository.h"

namespace getihu::server {
namespace {

namespace fs = std::filesystem;

base::Date D(const char* s) { return *base::Date::Parse(s); }

class PopulationCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("getihu-population-cache-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    fs::remove(path_);
    db_ = Open(true);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Migrate().ok());
    for (int n = 1; n <= 5; ++n) AddCommitted(n, "2020-05-01");
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

  // Household `n` of 巴南区, registered on `registered`, imported in a batch of its own.
  void AddCommitted(int n, const char* registered) {
    storage::BatchRepository batches(*db_);
    storage::NewBatch batch{.feed = "registration",
                            .file_name = "r" + std::to_string(n) + ".csv",
                            .content_sha256 = std::string(63, 'a') + static_cast<char>('0' + n),
                            .period = std::nullopt,
                            .as_of = std::nullopt,
                            .imported_by = "tester",
                            .imported_at_unix = 1'780'000'000};
    auto id = batches.CreateBatch(batch);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
    h.operator_name = "张三";
    h.region_code = "500113";
    h.township_code = "500113005";
    h.industry_code = "5211";
    h.registered_on = D(registered);
    h.status_since = h.registered_on;
    storage::HouseholdRepository households(*db_);
    auto hid = households.UpsertHousehold(h, *id);
    ASSERT_TRUE(hid.ok()) << hid.status().ToString();
    std::vector<domain::StatusChange> established = {{*hid, domain::HouseholdStatus::kActive,
                                                      h.registered_on,
                                                      domain::StatusChangeKind::kEstablished}};
    ASSERT_TRUE(households.InsertStatusChanges(established, *id).ok());
    ASSERT_TRUE(batches.MarkCommitted(*id, 1, 0).ok());
  }

  std::string path_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(PopulationCacheTest, OneReadingServesUntilABatchCommits) {
  PopulationCache cache(size_t{1} << 30);
  auto first = cache.Get(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ((*first)->size(), 5u);
  auto second = cache.Get(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->get(), first->get());
  EXPECT_EQ(cache.counters().loads, 1);
  EXPECT_EQ(cache.counters().hits, 1);
  EXPECT_EQ(cache.counters().bytes, (*first)->bytes());

  AddCommitted(6, "2026-03-01");
  auto third = cache.Get(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->get(), first->get());
  EXPECT_EQ((*third)->size(), 6u);
  EXPECT_EQ(cache.counters().loads, 2);
  EXPECT_EQ(cache.counters().entries, 1u);
  EXPECT_EQ((*first)->size(), 5u) << "a request still holding the old one keeps it whole";
}

TEST_F(PopulationCacheTest, KeyedByRegionAndDate) {
  PopulationCache cache(size_t{1} << 30);
  auto july = cache.Get(*db_, "500113", D("2026-07-01"));
  auto city = cache.Get(*db_, "5001", D("2026-07-01"));
  auto before = cache.Get(*db_, "500113", D("2019-12-31"));
  ASSERT_TRUE(july.ok() && city.ok() && before.ok());
  EXPECT_EQ((*july)->size(), 5u);
  EXPECT_EQ((*city)->region_prefix(), "5001");
  EXPECT_EQ((*before)->size(), 0u) << "nobody was registered yet";
  EXPECT_EQ(cache.counters().loads, 3);
  EXPECT_EQ(cache.counters().entries, 3u);
}

TEST_F(PopulationCacheTest, KeepsWithinItsBudget) {
  auto one = analytics::Population::Load(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(one.ok());
  PopulationCache cache(one->bytes() + one->bytes() / 2);  // room for one, not two
  ASSERT_TRUE(cache.Get(*db_, "500113", D("2026-07-01")).ok());
  ASSERT_TRUE(cache.Get(*db_, "500113", D("2026-06-30")).ok());
  EXPECT_EQ(cache.counters().entries, 1u);
  EXPECT_LE(cache.counters().bytes, one->bytes() + one->bytes() / 2);
  ASSERT_TRUE(cache.Get(*db_, "500113", D("2026-06-30")).ok());  // the newer one stayed
  EXPECT_EQ(cache.counters().loads, 2);
  ASSERT_TRUE(cache.Get(*db_, "500113", D("2026-07-01")).ok());  // the older one went
  EXPECT_EQ(cache.counters().loads, 3);

  PopulationCache none(0);
  for (int i = 0; i < 2; ++i) {
    auto p = none.Get(*db_, "500113", D("2026-07-01"));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ((*p)->size(), 5u);
  }
  EXPECT_EQ(none.counters().loads, 2);
  EXPECT_EQ(none.counters().entries, 0u);
}

TEST_F(PopulationCacheTest, KeepsTheTierOutcomesOfARunWithThePopulation) {
  storage::TierRunRecord r;
  r.rule_set_name = "default-tiering";
  r.rule_set_version = "1";
  r.rule_set_sha256 = std::string(64, 'f');
  r.params_json = "{}";
  r.as_of = D("2026-07-01");
  r.created_by = "tester";
  r.households = 1;
  r.growth = 1;
  storage::TierRepository tiers(*db_);
  auto run = tiers.InsertRun(r, {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  auto id = storage::HouseholdRepository(*db_).FindHouseholdId(
      domain::UsccGenerator("500113").Generate(3));
  ASSERT_TRUE(id.ok() && id->has_value());
  std::vector<storage::TierResultRow> rows = {
      {.household_id = **id, .outcome = storage::kOutcomeGrowth}};
  ASSERT_TRUE(tiers.InsertResults(*run, rows).ok());

  PopulationCache cache(size_t{1} << 30);
  auto p = cache.Get(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(p.ok());
  const size_t population_bytes = cache.counters().bytes;
  auto first = cache.TierOutcomes(*db_, *p, *run);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->size(), 5u);
  EXPECT_EQ((*first)[static_cast<size_t>((*p)->RowOf(**id))], storage::kOutcomeGrowth);
  EXPECT_EQ(std::count(first->begin(), first->end(), storage::kOutcomeUntyped), 4);
  auto second = cache.TierOutcomes(*db_, *p, *run);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(cache.counters().hits, 1);
  EXPECT_EQ(cache.counters().bytes, population_bytes + 5);
  // The report's transitions tell the households the run did not cover from 未分型 ones.
  auto raw = cache.RunOutcomes(*db_, *p, *run);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)[static_cast<size_t>((*p)->RowOf(**id))], storage::kOutcomeGrowth);
  EXPECT_EQ(std::count(raw->begin(), raw->end(), analytics::kNotInRun), 4);
  EXPECT_EQ(cache.counters().hits, 2);
}

TEST_F(PopulationCacheTest, KeepsTheSignsOfOperatingUntilABatchCommits) {
  auto id = storage::HouseholdRepository(*db_).FindHouseholdId(
      domain::UsccGenerator("500113").Generate(2));
  ASSERT_TRUE(id.ok() && id->has_value());
  storage::BatchRepository batches(*db_);
  storage::NewBatch batch{.feed = "annual_report",
                          .file_name = "a.csv",
                          .content_sha256 = std::string(64, 'c'),
                          .period = std::nullopt,
                          .as_of = std::nullopt,
                          .imported_by = "tester",
                          .imported_at_unix = 1'780'000'000};
  auto b = batches.CreateBatch(batch);
  ASSERT_TRUE(b.ok());
  std::vector<domain::AnnualReport> reports = {{**id, 2025, base::Money::FromFen(8'000'000),
                                                std::nullopt, 2, D("2026-03-01"), std::nullopt}};
  ASSERT_TRUE(storage::FactRepository(*db_).InsertAnnualReports(reports, *b).ok());
  ASSERT_TRUE(batches.MarkCommitted(*b, 1, 0).ok());

  PopulationCache cache(size_t{1} << 30);
  auto p = cache.Get(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(p.ok());
  auto signs = cache.ActivitySigns(*db_, *p, 2025);
  ASSERT_TRUE(signs.ok()) << signs.status().ToString();
  ASSERT_EQ(signs->size(), 5u);
  const size_t row = static_cast<size_t>((*p)->RowOf(**id));
  EXPECT_EQ((*signs)[row], analytics::kSignOperating | analytics::kSignData);
  EXPECT_EQ(std::count(signs->begin(), signs->end(), 0), 4);
  auto rate = analytics::ComputeActivityRate(**p, 2025, D("2026-07-01"), *signs);
  ASSERT_TRUE(rate.ok());
  EXPECT_EQ(rate->in_existence, 5);
  EXPECT_EQ(rate->operating, 1);
  EXPECT_EQ(rate->no_data, 4);
  EXPECT_FALSE(analytics::ComputeActivityRate(**p, 2025, D("2026-07-01"), {}).ok());

  // Kept: the same signs without reading the pool, until a batch commits.
  auto again = cache.ActivitySigns(*db_, *p, 2025);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *signs);
  EXPECT_EQ(cache.counters().hits, 1);
  AddCommitted(6, "2021-01-01");
  auto fresh = cache.Get(*db_, "500113", D("2026-07-01"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->size(), 6u);
  auto signs6 = cache.ActivitySigns(*db_, *fresh, 2025);
  ASSERT_TRUE(signs6.ok());
  EXPECT_EQ(signs6->size(), 6u);
  EXPECT_EQ(cache.counters().loads, 2);
}

TEST_F(PopulationCacheTest, AFailedReadingIsNotKept) {
  PopulationCache cache(size_t{1} << 30);
  EXPECT_FALSE(cache.Get(*db_, "50x1", D("2026-07-01")).ok());
  EXPECT_FALSE(cache.Get(*db_, "50x1", D("2026-07-01")).ok());
  EXPECT_EQ(cache.counters().loads, 2);
  EXPECT_EQ(cache.counters().entries, 0u);
}

TEST_F(PopulationCacheTest, ConcurrentRequestsShareOneReading) {
  PopulationCache cache(size_t{1} << 30);
  constexpr int kThreads = 4;
  std::vector<PopulationCache::Shared> got(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::unique_ptr<storage::Database> db = Open(false);
      if (db == nullptr) return;
      auto p = cache.Get(*db, "500113", D("2026-07-01"));
      if (p.ok()) got[i] = *p;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_NE(got[i], nullptr);
    EXPECT_EQ(got[i], got[0]);
  }
  EXPECT_EQ(cache.counters().loads, 1);
  EXPECT_EQ(cache.counters().hits, kThreads - 1);
}

}  // namespace
}  // namespace getihu::server
