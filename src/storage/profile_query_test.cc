#include "storage/profile_query.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage/household_repository.h"
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

}  // namespace
}  // namespace getihu::storage::testing
