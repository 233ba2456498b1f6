#include "storage/profile_query.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "storage/household_query.h"
#include "storage/household_repository.h"
#include "storage/population_query.h"
#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using domain::HouseholdStatus;
using domain::StatusChangeKind;

// A household established and deregistered on the same day is deregistered that day,
// whatever order the primary key would list the two changes in.
TEST_P(ProfileQueryTest, ChangesOnOneDayApplyInLifecycleOrder) {
  int64_t batch = NewBatchId(1, "registration");
  int64_t id = AddHousehold(1, batch);
  base::Date day = Ymd(2020, 3, 15);
  std::vector<domain::StatusChange> changes = {
      {id, HouseholdStatus::kDeregistered, day, StatusChangeKind::kDeregistered},
      {id, HouseholdStatus::kActive, day, StatusChangeKind::kEstablished}};
  ASSERT_TRUE(HouseholdRepository(db()).InsertStatusChanges(changes, batch).ok());
  std::vector<std::string> statuses;
  for (std::vector<std::string> fields : {std::vector<std::string>{}, {"status"}}) {
    ASSERT_TRUE(ScanProfiles(
                    db(), "", Ymd(2026, 7, 1),
                    [&](const domain::HouseholdProfile& p) {
                      statuses.push_back(p.status);
                      return base::OkStatus();
                    },
                    fields)
                    .ok());
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"deregistered", "deregistered"}));
  auto one = LoadProfile(db(), id, Ymd(2026, 7, 1));
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->status, "deregistered");
  EXPECT_FALSE(LoadProfile(db(), id, Ymd(2019, 1, 1))->has_value());  // not yet registered
}

// A 变更 never changes the status. The import records on its row the status the household had
// when the row was read, so a file that lists a 变更 (2024-06-01) before an earlier 歇业
// (2024-03-01) leaves "active" on a row dated after the suspension: the household is still
// suspended on 2024-07-01, in its profile and in the population the statistics read.
TEST_P(ProfileQueryTest, AChangeOfRegisteredItemsDoesNotChangeTheStatus) {
  int64_t batch = NewBatchId(1, "registration");
  int64_t id = AddHousehold(1, batch);
  std::vector<domain::StatusChange> changes = {
      {id, HouseholdStatus::kActive, Ymd(2020, 3, 15), StatusChangeKind::kEstablished},
      {id, HouseholdStatus::kActive, Ymd(2024, 6, 1), StatusChangeKind::kChanged},
      {id, HouseholdStatus::kSuspended, Ymd(2024, 3, 1), StatusChangeKind::kSuspended}};
  ASSERT_TRUE(HouseholdRepository(db()).InsertStatusChanges(changes, batch).ok());
  const std::vector<std::string> status_only = {"status"};
  for (auto [as_of, expected] :
       {std::pair{Ymd(2024, 2, 1), "active"}, std::pair{Ymd(2024, 7, 1), "suspended"}}) {
    std::vector<std::string> statuses;
    ASSERT_TRUE(ScanProfiles(
                    db(), "", as_of,
                    [&](const domain::HouseholdProfile& p) {
                      statuses.push_back(p.status);
                      return base::OkStatus();
                    },
                    status_only)
                    .ok());
    EXPECT_EQ(statuses, std::vector<std::string>{expected}) << as_of.ToString();
    EXPECT_EQ((*LoadProfile(db(), id, as_of))->status, expected) << as_of.ToString();
  }
  std::vector<std::string> population;
  ASSERT_TRUE(ScanPopulation(
                  db(), "", Ymd(2024, 7, 1),
                  [](const PopulationHousehold&) { return base::OkStatus(); },
                  [&](const PopulationStatusChange& c) {
                    population.push_back(c.effective_on.ToString() + ":" + std::string(c.status));
                    return base::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(population, (std::vector<std::string>{"2020-03-15:active", "2024-03-01:suspended"}));
}

// The detail view lists the same history with, on the 变更 row, the status of its day.
TEST_P(ProfileQueryTest, TheDetailShowsAChangeWithTheStatusOfItsDay) {
  int64_t batch = NewBatchId(1, "registration");
  int64_t id = AddHousehold(1, batch);
  std::vector<domain::StatusChange> changes = {
      {id, HouseholdStatus::kActive, Ymd(2020, 3, 15), StatusChangeKind::kEstablished},
      {id, HouseholdStatus::kActive, Ymd(2024, 6, 1), StatusChangeKind::kChanged},
      {id, HouseholdStatus::kSuspended, Ymd(2024, 3, 1), StatusChangeKind::kSuspended},
      {id, HouseholdStatus::kActive, Ymd(2024, 9, 1), StatusChangeKind::kResumed},
      {id, HouseholdStatus::kSuspended, Ymd(2024, 9, 1), StatusChangeKind::kChanged}};
  ASSERT_TRUE(HouseholdRepository(db()).InsertStatusChanges(changes, batch).ok());
  auto records = HouseholdRecords(db(), id);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->front().table, "household_status_history");
  std::vector<std::string> history;
  for (const auto& row : records->front().rows) {
    history.push_back(row[0].value_or("") + " " + row[1].value_or("") + " " + row[2].value_or(""));
  }
  // Same day: the 变更 (lifecycle order 1) comes before the 恢复营业 (2).
  EXPECT_EQ(history, (std::vector<std::string>{
                         "2020-03-15 established active", "2024-03-01 suspended suspended",
                         "2024-06-01 changed suspended", "2024-09-01 changed suspended",
                         "2024-09-01 resumed active"}));
}

}  // namespace
}  // namespace getihu::storage::testing
