#include "storage/population_query.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/household_repository.h"
#include "storage/profile_query.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using domain::HouseholdStatus;
using domain::StatusChangeKind;

// One household as ScanPopulation delivers it: "id region township industry online
// registered_on" then "date:status" per change.
std::vector<std::string> Scan(Database& db, std::string_view region, base::Date as_of,
                              std::optional<std::pair<int64_t, int64_t>> ids = std::nullopt) {
  std::vector<std::string> out;
  base::Status s = ScanPopulation(
      db, region, as_of,
      [&](const PopulationHousehold& h) {
        out.push_back(std::to_string(h.id) + " " + std::string(h.region_code) + " " +
                      std::string(h.township_code) + " " + std::string(h.industry_code) + " " +
                      (h.online ? "online" : "offline") + " " + h.registered_on.ToString());
        return base::OkStatus();
      },
      [&](const PopulationStatusChange& c) {
        out.back() += " " + c.effective_on.ToString() + ":" + std::string(c.status);
        return base::OkStatus();
      },
      ids);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

// The scan's households and their changes up to the date, changes of one day in lifecycle order
// (the order ScanProfiles applies them), other regions and later registrations left out.
TEST_P(ProfileQueryTest, PopulationScanReadsHouseholdsAndChangesInOrder) {
  int64_t batch = NewBatchId(1, "registration");
  HouseholdRepository repo(db());
  domain::Household a = SampleHousehold(1);
  a.township_code = "500113005";
  a.online = true;
  domain::Household b = SampleHousehold(2);
  b.region_code = "500112";
  domain::Household c = SampleHousehold(3);
  c.registered_on = Ymd(2026, 8, 1);  // after the date
  domain::Household d = SampleHousehold(4);
  int64_t ids[4];
  int i = 0;
  for (const domain::Household& h : {a, b, c, d}) {
    auto id = repo.UpsertHousehold(h, batch);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids[i++] = *id;
  }
  base::Date day = Ymd(2020, 3, 15);
  std::vector<domain::StatusChange> changes = {
      {ids[0], HouseholdStatus::kDeregistered, Ymd(2025, 5, 1), StatusChangeKind::kDeregistered},
      {ids[0], HouseholdStatus::kActive, day, StatusChangeKind::kEstablished},
      {ids[0], HouseholdStatus::kSuspended, Ymd(2024, 1, 2), StatusChangeKind::kSuspended},
      {ids[1], HouseholdStatus::kActive, day, StatusChangeKind::kEstablished},
      // Deregistered on the day it was established; listed first by the key ("deregistered"
      // sorts before "established").
      {ids[3], HouseholdStatus::kDeregistered, day, StatusChangeKind::kDeregistered},
      {ids[3], HouseholdStatus::kActive, day, StatusChangeKind::kEstablished},
      {ids[3], HouseholdStatus::kActive, Ymd(2027, 1, 1), StatusChangeKind::kResumed}};
  ASSERT_TRUE(repo.InsertStatusChanges(changes, batch).ok());
  const std::string id0 = std::to_string(ids[0]), id3 = std::to_string(ids[3]);
  EXPECT_EQ(
      Scan(db(), "500113", Ymd(2026, 7, 1)),
      (std::vector<std::string>{id0 + " 500113 500113005 5211 online 2020-03-15 2020-03-15:active"
                                      " 2024-01-02:suspended 2025-05-01:deregistered",
                                id3 + " 500113  5211 offline 2020-03-15 2020-03-15:active"
                                      " 2020-03-15:deregistered"}));
  EXPECT_EQ(Scan(db(), "", Ymd(2026, 7, 1)).size(), 3u);  // and 500112's
  // A region with few of the pool's households is read through the region index.
  for (int n = 5; n < 12; ++n) AddHousehold(n, batch);
  EXPECT_EQ(Scan(db(), "500112", Ymd(2026, 7, 1)),
            (std::vector<std::string>{std::to_string(ids[1]) +
                                      " 500112  5211 offline 2020-03-15 2020-03-15:active"}));
  EXPECT_EQ(Scan(db(), "50", Ymd(2019, 1, 1)).size(), 0u);
  EXPECT_FALSE(ScanPopulation(
                   db(), "5001x", Ymd(2026, 7, 1),
                   [](const PopulationHousehold&) { return base::OkStatus(); },
                   [](const PopulationStatusChange&) { return base::OkStatus(); })
                   .ok());
}

// Population::Load reads a large pool in two id ranges on two connections, on either backend:
// the two ranges, at any cut, deliver what the whole scan does.
TEST_P(ProfileQueryTest, PopulationScanOfTwoIdRangesIsTheWholeScan) {
  int64_t batch = NewBatchId(1, "registration");
  HouseholdRepository repo(db());
  std::vector<domain::StatusChange> changes;
  int64_t first = 0, last = 0;
  for (int n = 1; n <= 12; ++n) {
    domain::Household h = SampleHousehold(n);
    if (n % 4 == 0) h.region_code = "500112";
    auto id = repo.UpsertHousehold(h, batch);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    if (n == 1) first = *id;
    last = *id;
    changes.push_back(
        {*id, HouseholdStatus::kActive, h.registered_on, StatusChangeKind::kEstablished});
    if (n % 3 == 0) {
      changes.push_back(
          {*id, HouseholdStatus::kDeregistered, Ymd(2025, 1, n), StatusChangeKind::kDeregistered});
    }
  }
  ASSERT_TRUE(repo.InsertStatusChanges(changes, batch).ok());
  for (std::string_view region : {"", "500113", "500112"}) {
    std::vector<std::string> whole = Scan(db(), region, Ymd(2026, 7, 1));
    ASSERT_FALSE(whole.empty()) << region;
    for (int64_t cut = first - 1; cut <= last; ++cut) {
      std::vector<std::string> halves = Scan(db(), region, Ymd(2026, 7, 1), std::pair(first, cut));
      std::vector<std::string> upper =
          Scan(db(), region, Ymd(2026, 7, 1), std::pair(cut + 1, last));
      halves.insert(halves.end(), upper.begin(), upper.end());
      EXPECT_EQ(halves, whole) << "region " << region << ", cut after " << cut;
    }
  }
}

// The size hint: the largest id on SQLite when the region holds the whole pool, no hint for a
// part of it, an empty pool or PostgreSQL (whose ids can have gaps).
TEST_P(ProfileQueryTest, PopulationSizeHintBoundsTheScanWithoutReadingIt) {
  EXPECT_EQ(*PopulationSizeHint(db(), ""), std::nullopt);  // empty pool
  int64_t batch = NewBatchId(1, "registration");
  int64_t last = 0;
  for (int n = 1; n <= 3; ++n) last = AddHousehold(n, batch);
  domain::Household other = SampleHousehold(4);
  other.region_code = "500112";
  ASSERT_TRUE(HouseholdRepository(db()).UpsertHousehold(other, batch).ok());
  bool sqlite = db().dialect() == Dialect::kSqlite;
  auto whole = PopulationSizeHint(db(), "50");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(*whole, sqlite ? std::optional<int64_t>(last + 1) : std::nullopt);
  EXPECT_GE(Scan(db(), "50", Ymd(2026, 7, 1)).size(), 4u);
  EXPECT_EQ(*PopulationSizeHint(db(), "500113"), std::nullopt);  // a part of the pool
  EXPECT_EQ(PopulationSizeHint(db(), "5001x").status().code(), base::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace getihu::storage::testing
