#include "storage/household_repository.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;
using domain::Household;
using domain::HouseholdStatus;

TEST_P(HouseholdRepositoryTest, StoresAndReadsEveryField) {
  int64_t batch = NewBatchId();
  Household h = SampleHousehold(1);
  h.legacy_registration_no = "500113600012345";
  h.operator_id_number = "500113199001011234";
  h.phone = "13800001234";
  h.township_code = "500113005";
  h.premises = "重庆市巴南区龙洲湾街道某路 1 号";
  h.status = HouseholdStatus::kConverted;
  h.status_since = Ymd(2024, 5, 6);
  h.converted_uscc = "91500113MA5U000001";
  h.organisation_form = domain::OrganisationForm::kFamily;
  h.online = true;
  HouseholdRepository households(db());
  auto id = households.UpsertHousehold(h, batch);
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  auto read = households.FindHousehold(h.uscc);
  ASSERT_TRUE(read.ok() && read->has_value()) << read.status().ToString();
  const Household& r = **read;
  EXPECT_EQ(r.id, *id);
  EXPECT_EQ(r.uscc, h.uscc);
  EXPECT_EQ(r.legacy_registration_no, h.legacy_registration_no);
  EXPECT_EQ(r.name, h.name);
  EXPECT_EQ(r.operator_name, "张三");
  EXPECT_EQ(r.operator_id_number, h.operator_id_number);
  EXPECT_EQ(r.phone, h.phone);
  EXPECT_EQ(r.region_code, "500113");
  EXPECT_EQ(r.township_code, "500113005");
  EXPECT_EQ(r.premises, h.premises);
  EXPECT_EQ(r.industry_code, "5211");
  EXPECT_EQ(r.registered_on, Ymd(2020, 3, 15));
  EXPECT_EQ(r.status, HouseholdStatus::kConverted);
  EXPECT_EQ(r.status_since, Ymd(2024, 5, 6));
  EXPECT_EQ(r.converted_uscc, h.converted_uscc);
  EXPECT_EQ(r.organisation_form, domain::OrganisationForm::kFamily);
  EXPECT_TRUE(r.online);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM households WHERE status = 'converted'"), 1);
}

TEST_P(HouseholdRepositoryTest, InsertsNewHouseholdsInBulkAndReturnsTheirIdsInOrder) {
  int64_t batch = NewBatchId();
  std::vector<Household> rows;
  for (int i = 1; i <= 130; ++i) rows.push_back(SampleHousehold(i));  // 2 chunks and a tail
  HouseholdRepository households(db());
  auto ids = households.InsertNewHouseholds(rows, batch);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(households.FindHouseholdId(rows[i].uscc).value(), (*ids)[i]) << i;
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM households"), 130);
  std::vector<Household> again = {SampleHousehold(7)};
  EXPECT_EQ(households.InsertNewHouseholds(again, batch).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_P(HouseholdRepositoryTest, SameUsccUpdatesTheSameHousehold) {
  int64_t first = NewBatchId(1);
  int64_t second = NewBatchId(2);
  HouseholdRepository households(db());
  int64_t id = AddHousehold(1, first);
  Household moved = SampleHousehold(1);
  moved.name = std::nullopt;  // not in this feed: kept
  moved.operator_name = "王五";
  moved.status = HouseholdStatus::kSuspended;
  moved.status_since = Ymd(2024, 1, 2);
  EXPECT_EQ(*households.UpsertHousehold(moved, second), id);

  auto r = households.FindHousehold(Uscc(1));
  EXPECT_EQ((*r)->operator_name, "王五");
  EXPECT_EQ((*r)->name, "巴南区测试商店1");
  EXPECT_EQ((*r)->status, HouseholdStatus::kSuspended);
  EXPECT_EQ(Int("SELECT batch_id FROM households WHERE id = ?", {id}), first);
  EXPECT_EQ(Int("SELECT updated_batch_id FROM households WHERE id = ?", {id}), second);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM households"), 1);
}

TEST_P(HouseholdRepositoryTest, OlderSnapshotDoesNotTurnBackTheState) {
  int64_t batch = NewBatchId(1);
  Household now = SampleHousehold(1);
  now.status = HouseholdStatus::kDeregistered;
  now.status_since = Ymd(2024, 6, 1);
  HouseholdRepository households(db());
  int64_t id = *households.UpsertHousehold(now, batch);
  Household old = SampleHousehold(1);  // active since 2020
  old.operator_name = "旧经营者";
  EXPECT_EQ(*households.UpsertHousehold(old, NewBatchId(2)), id);
  auto r = households.FindHousehold(Uscc(1));
  EXPECT_EQ((*r)->status, HouseholdStatus::kDeregistered);
  EXPECT_EQ((*r)->operator_name, "张三");
  EXPECT_EQ(Int("SELECT updated_batch_id FROM households WHERE id = ?", {id}), batch);
}

TEST_P(HouseholdRepositoryTest, UsccIsUnique) {
  int64_t batch = NewBatchId();
  AddHousehold(1, batch);
  auto dup = db().Execute(
      "INSERT INTO households (uscc, operator_name, region_code, industry_code, registered_on,"
      " status, status_since, batch_id, updated_batch_id)"
      " VALUES (?, 'x', '500113', '5211', '2020-01-01', 'active', '2020-01-01', ?, ?)",
      {Uscc(1), batch, batch});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(HouseholdRepositoryTest, SchemaRefusesBadFieldsAndUnknownBatches) {
  HouseholdRepository households(db());
  Household bad_region = SampleHousehold(1);
  bad_region.region_code = "5001";
  EXPECT_EQ(households.UpsertHousehold(bad_region, NewBatchId()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(households.UpsertHousehold(SampleHousehold(2), 12345).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(HouseholdRepositoryTest, BulkUpsertReturnsIdsInOrder) {
  std::vector<Household> rows = {SampleHousehold(3), SampleHousehold(1), SampleHousehold(2)};
  HouseholdRepository households(db());
  auto ids = households.UpsertHouseholds(rows, NewBatchId());
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), 3u);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(*households.FindHouseholdId(rows[i].uscc), (*ids)[i]);
  }
  EXPECT_EQ(*households.FindHouseholdId(Uscc(99)), std::nullopt);
}

TEST_P(HouseholdRepositoryTest, LoadsIdsByRegionPrefix) {
  int64_t batch = NewBatchId();
  Household other = SampleHousehold(2);
  other.region_code = "500112";
  Household elsewhere = SampleHousehold(3);
  elsewhere.region_code = "110105";
  HouseholdRepository households(db());
  int64_t a = AddHousehold(1, batch);
  int64_t b = *households.UpsertHousehold(other, batch);
  ASSERT_TRUE(households.UpsertHousehold(elsewhere, batch).ok());

  auto district = households.LoadHouseholdIds("500113");
  ASSERT_TRUE(district.ok());
  EXPECT_EQ(district->size(), 1u);
  EXPECT_EQ(district->at(Uscc(1)), a);
  auto city = households.LoadHouseholdIds("50");
  EXPECT_EQ(city->size(), 2u);
  EXPECT_EQ(city->at(Uscc(2)), b);
  EXPECT_EQ(households.LoadHouseholdIds("")->size(), 3u);
  EXPECT_EQ(households.LoadHouseholdIds("50%").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(households.LoadHouseholdIds("5001130").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(HouseholdRepositoryTest, StatusHistoryKeepsEachChangeOnce) {
  int64_t batch = NewBatchId();
  int64_t id = AddHousehold(1, batch);
  std::vector<domain::StatusChange> changes = {
      {id, HouseholdStatus::kActive, Ymd(2020, 3, 15), domain::StatusChangeKind::kEstablished},
      {id, HouseholdStatus::kSuspended, Ymd(2023, 2, 1), domain::StatusChangeKind::kSuspended},
      {id, HouseholdStatus::kActive, Ymd(2023, 8, 1), domain::StatusChangeKind::kResumed},
  };
  HouseholdRepository households(db());
  EXPECT_EQ(*households.InsertStatusChanges(changes, batch), (WriteCounts{3, 0, 0}));
  EXPECT_EQ(*households.InsertStatusChanges(changes, NewBatchId(2)), (WriteCounts{0, 0, 3}));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM household_status_history WHERE batch_id = ?", {batch}), 3);
  std::vector<domain::StatusChange> unknown = {
      {id + 1, HouseholdStatus::kActive, Ymd(2020, 1, 1), domain::StatusChangeKind::kEstablished}};
  EXPECT_EQ(households.InsertStatusChanges(unknown, batch).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(HouseholdRepositoryTest, OwnerAttributesKeepTheirSource) {
  int64_t veterans_batch = NewBatchId(1, "veterans");
  int64_t id = AddHousehold(1, veterans_batch);
  HouseholdRepository households(db());
  domain::OwnerAttributes veteran{.household_id = id, .veteran = true};
  EXPECT_EQ(*households.UpsertOwnerAttributes(std::span(&veteran, 1), veterans_batch),
            (WriteCounts{1, 0, 0}));

  int64_t hr_batch = NewBatchId(2, "employment");
  domain::OwnerAttributes hr{.household_id = id,
                             .veteran = true,  // same value: keeps the veterans batch
                             .graduation_year = 2019,
                             .employment_difficulty = false};
  EXPECT_EQ(*households.UpsertOwnerAttributes(std::span(&hr, 1), hr_batch), (WriteCounts{2, 0, 1}));
  hr.employment_difficulty = true;
  EXPECT_EQ(*households.UpsertOwnerAttributes(std::span(&hr, 1), NewBatchId(3, "employment")),
            (WriteCounts{0, 1, 2}));

  EXPECT_EQ(Int("SELECT batch_id FROM owner_attributes WHERE attribute = 'veteran'"),
            veterans_batch);
  EXPECT_EQ(Int("SELECT value FROM owner_attributes WHERE attribute = 'graduation_year'"), 2019);
  EXPECT_EQ(Int("SELECT value FROM owner_attributes WHERE attribute = 'employment_difficulty'"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM owner_attributes"), 3);
}

}  // namespace
}  // namespace getihu::storage::testing
