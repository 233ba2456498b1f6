// Monthly flows on a hand-built district, each figure worked out below.
#include "analytics/series.h"

#include <gtest/gtest.h>

#include "domain/uscc.h"
#include "storage/batch_repository.h"
#include "storage/household_repository.h"
#include "storage/sqlite/sqlite_database.h"

namespace getihu::analytics {
namespace {

using domain::HouseholdStatus;
using domain::StatusChangeKind;

base::Date D(const char* s) { return *base::Date::Parse(s); }

class SeriesTest : public ::testing::Test {
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

  void Add(int n, const char* registered, const char* region = "500113",
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
    ASSERT_TRUE(id.ok()) << id.status().ToString();
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
    ASSERT_TRUE(repo.InsertStatusChanges(changes, batch_).ok());
  }

  std::unique_ptr<storage::Database> db_;
  int64_t batch_ = 0;
};

// Full years 2023–2025 as of 2026-03-10:
//   A registered 2022-05-05, in stock throughout
//   B registered 2023-02-02, deregistered 2024-03-03                   → new 2023, exit 2024
//   C registered 2024-07-07, revoked 2025-01-01                         → new 2024, exit 2025
//   D registered 2024-12-31 (a leap year's last day)                    → new 2024
//   E registered 2025-02-28, 个转企 2025-09-09: leaves the stock, not an exit
//   F registered 2021-01-01, 歇业 2023-06-06: stays in stock
//   G in another district                                               → not counted
// Registered by each year end: 2021 1, 2022 2, 2023 3, 2024 5, 2025 6.
// Stock on 31 December: 2023 A, B, F = 3; 2024 A, C, D, F = 4; 2025 A, D, F = 3.
TEST_F(SeriesTest, YearlyFlowsWithTheYearBeforeAndTheYearEndStock) {
  Add(1, "2022-05-05");
  Add(2, "2023-02-02", "500113", {{"2024-03-03", StatusChangeKind::kDeregistered}});
  Add(3, "2024-07-07", "500113", {{"2025-01-01", StatusChangeKind::kRevoked}});
  Add(4, "2024-12-31");
  Add(5, "2025-02-28", "500113", {{"2025-09-09", StatusChangeKind::kConverted}});
  Add(6, "2021-01-01", "500113", {{"2023-06-06", StatusChangeKind::kSuspended}});
  Add(7, "2024-01-01", "500107");
  auto population = Population::Load(*db_, "500113", D("2026-03-10"));
  ASSERT_TRUE(population.ok());
  auto y = ComputeYearlyFlows(*population, 2023, 2025);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_EQ(y->size(), 3u);
  const std::vector<YearFlows>& v = *y;
  EXPECT_EQ(v[0].year, 2023);
  EXPECT_EQ(v[0].new_registrations, 1);
  EXPECT_EQ(v[0].new_previous, 1);  // A in 2022
  EXPECT_EQ(v[0].exits, 0);
  EXPECT_EQ(v[0].stock, 3);
  EXPECT_EQ(v[1].new_registrations, 2);
  EXPECT_EQ(v[1].new_previous, 1);
  EXPECT_EQ(v[1].exits, 1);
  EXPECT_EQ(v[1].exits_previous, 0);
  EXPECT_EQ(v[1].stock, 4);
  EXPECT_EQ(v[2].new_registrations, 1);
  EXPECT_EQ(v[2].new_previous, 2);
  EXPECT_EQ(v[2].exits, 1);
  EXPECT_EQ(v[2].exits_previous, 1);
  EXPECT_EQ(v[2].stock, 3);
  // The same read from the pool for the last year's end.
  auto read = ComputeYearlyFlows(*db_, "500113", 2023, 2025);
  ASSERT_TRUE(read.ok());
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*read)[i].stock, v[i].stock) << i;
  EXPECT_FALSE(ComputeYearlyFlows(*population, 2025, 2023).ok());
}

// As of 2026-03-10, three months: January, February and 1–10 March 2026.
//   1 registered 2025-06-01, in stock throughout                       → stock 1 every month
//   2 registered 2026-01-15                                            → new in January
//   3 registered 2025-01-01, deregistered 2026-02-28                   → exit in February
//   4 registered 2026-02-01, revoked 2026-03-05                        → new Feb, exit March
//   5 registered 2026-03-11: after the as-of date                      → not counted
//   6 registered 2025-01-01, 歇业 2026-01-20: stays in stock
//   7 registered 2025-01-01, 个转企 2026-01-31: leaves the stock, not an exit
//   8 in another district                                              → not counted
// January:  new 1 (2), exits 0, stock 1, 2, 3, 6          = 4 (7 converted on the 31st)
// February: new 1 (4), exits 1 (3), stock 1, 2, 4, 6      = 4
// March:    new 0, exits 1 (4), stock 1, 2, 6             = 3
TEST_F(SeriesTest, MonthlyFlowsAndStock) {
  Add(1, "2025-06-01");
  Add(2, "2026-01-15");
  Add(3, "2025-01-01", "500113", std::pair{"2026-02-28", StatusChangeKind::kDeregistered});
  Add(4, "2026-02-01", "500113", std::pair{"2026-03-05", StatusChangeKind::kRevoked});
  Add(5, "2026-03-11");
  Add(6, "2025-01-01", "500113", std::pair{"2026-01-20", StatusChangeKind::kSuspended});
  Add(7, "2025-01-01", "500113", std::pair{"2026-01-31", StatusChangeKind::kConverted});
  Add(8, "2026-01-15", "500112");
  auto m = ComputeMonthlyFlows(*db_, "500113", D("2026-03-10"), 3);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->size(), 3u);
  const std::vector<MonthFlows>& v = *m;
  EXPECT_EQ(v[0].year, 2026);
  EXPECT_EQ(v[0].month, 1);
  EXPECT_EQ(v[0].start, D("2026-01-01"));
  EXPECT_EQ(v[0].end, D("2026-01-31"));
  EXPECT_EQ(v[0].new_registrations, 1);
  EXPECT_EQ(v[0].exits, 0);
  EXPECT_EQ(v[0].stock, 4);
  EXPECT_EQ(v[1].end, D("2026-02-28"));
  EXPECT_EQ(v[1].new_registrations, 1);
  EXPECT_EQ(v[1].exits, 1);
  EXPECT_EQ(v[1].stock, 4);
  EXPECT_EQ(v[2].end, D("2026-03-10"));
  EXPECT_EQ(v[2].new_registrations, 0);
  EXPECT_EQ(v[2].exits, 1);
  EXPECT_EQ(v[2].stock, 3);
}

// Twelve months cross the year: as of 2026-02-15 the first month is March 2025.
TEST_F(SeriesTest, TwelveMonthsCrossTheYear) {
  Add(1, "2025-03-31");
  auto m = ComputeMonthlyFlows(*db_, "500113", D("2026-02-15"));
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 12u);
  EXPECT_EQ((*m)[0].start, D("2025-03-01"));
  EXPECT_EQ((*m)[0].new_registrations, 1);
  EXPECT_EQ((*m)[10].end, D("2026-01-31"));
  EXPECT_EQ((*m)[11].end, D("2026-02-15"));
  EXPECT_EQ((*m)[11].stock, 1);
  EXPECT_FALSE(ComputeMonthlyFlows(*db_, "500113", D("2026-02-15"), 0).ok());
}

// The flows of any dates counted range by range equal the statuses read date by date
// (Population::StatusesOn), on households with up to four changes in every order the
// registration feed allows, including changes on the same day and before a date range starts.
TEST_F(SeriesTest, FlowsEqualTheStatusesDateByDate) {
  const char* kDays[] = {"2016-03-01", "2018-12-31", "2019-01-01", "2020-02-29", "2021-06-30",
                         "2023-12-31", "2024-01-01", "2025-07-15", "2026-01-31", "2026-02-01"};
  const StatusChangeKind kKinds[] = {StatusChangeKind::kSuspended, StatusChangeKind::kResumed,
                                     StatusChangeKind::kDeregistered, StatusChangeKind::kRevoked,
                                     StatusChangeKind::kConverted};
  uint64_t seed = 7;
  auto next = [&](uint64_t bound) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (seed >> 33) % bound;
  };
  storage::HouseholdRepository repo(*db_);
  std::vector<domain::StatusChange> changes;
  for (int n = 1; n <= 12'000; ++n) {
    domain::Household h;
    h.uscc = domain::UsccGenerator("500113").Generate(static_cast<uint64_t>(n));
    h.operator_name = "张三";
    h.region_code = "500113";
    h.industry_code = "5211";
    h.registered_on = D(kDays[next(8)]).AddDays(static_cast<int>(next(400)));
    h.status_since = h.registered_on;
    auto id = repo.UpsertHousehold(h, batch_);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    changes.push_back(
        {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished});
    base::Date day = h.registered_on;
    for (int k = static_cast<int>(next(5)); k > 0; --k) {
      day = day.AddDays(static_cast<int>(next(3) == 0 ? 0 : next(900)));
      StatusChangeKind kind = kKinds[next(5)];
      HouseholdStatus s = kind == StatusChangeKind::kSuspended      ? HouseholdStatus::kSuspended
                          : kind == StatusChangeKind::kResumed      ? HouseholdStatus::kActive
                          : kind == StatusChangeKind::kDeregistered ? HouseholdStatus::kDeregistered
                          : kind == StatusChangeKind::kRevoked      ? HouseholdStatus::kRevoked
                                                                    : HouseholdStatus::kConverted;
      changes.push_back({*id, s, day, kind});
    }
  }
  ASSERT_TRUE(repo.InsertStatusChanges(changes, batch_).ok());
  auto p = Population::Load(*db_, "500113", D("2026-03-10"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // Those registered after the date are not in it; enough remain to count in parts.
  ASSERT_GT(p->size(), 10'000u);
  ASSERT_LT(p->size(), 12'000u);

  // The month ends of ComputeMonthlyFlows(…, 120), counted date by date.
  auto m = ComputeMonthlyFlows(*p, 120);
  ASSERT_TRUE(m.ok());
  std::vector<int32_t> days = {(*m)[0].start.AddDays(-1).days_since_epoch()};
  for (const MonthFlows& f : *m) days.push_back(f.end.days_since_epoch());
  const size_t n = days.size();
  std::vector<int64_t> registered(n), stock(n), exits(n);
  std::vector<StatusClass> s(n);
  for (size_t row = 0; row < p->size(); ++row) {
    p->StatusesOn(row, days.data(), n, s.data());
    for (size_t k = 0; k < n; ++k) {
      registered[k] += p->registered_on(row).days_since_epoch() <= days[k];
      stock[k] += InStock(s[k]);
      if (k > 0) exits[k] += s[k] == StatusClass::kExit && s[k - 1] != StatusClass::kExit;
    }
  }
  int64_t moved = 0;
  for (size_t i = 0; i < m->size(); ++i) {
    SCOPED_TRACE((*m)[i].end.ToString());
    EXPECT_EQ((*m)[i].new_registrations, registered[i + 1] - registered[i]);
    EXPECT_EQ((*m)[i].exits, exits[i + 1]);
    EXPECT_EQ((*m)[i].stock, stock[i + 1]);
    moved += (*m)[i].exits;
  }
  EXPECT_GT(moved, 1000);  // the histories do exit households
  EXPECT_GT(stock[n - 1], 1000);
}

}  // namespace
}  // namespace getihu::analytics
