#include "storage/event_repository.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::Money;
using base::StatusCode;

TEST_P(EventRepositoryTest, CreditRepairClosesAnOpenPenaltyOnce) {
  int64_t batch = NewBatchId(1, "penalty");
  int64_t id = AddHousehold(1, batch);
  EventRepository events(db());
  domain::Penalty fine{.household_id = id,
                       .document_no = "渝巴市监处罚〔2023〕12号",
                       .decided_on = Ymd(2023, 5, 10),
                       .kind = domain::PenaltyKind::kFine,
                       .amount = Money::FromYuan(2000),
                       .authority = "巴南区市场监督管理局",
                       .repaired_on = std::nullopt};
  EXPECT_EQ(*events.InsertPenalties(std::span(&fine, 1), batch), (WriteCounts{1, 0, 0}));
  EXPECT_EQ(*events.InsertPenalties(std::span(&fine, 1), batch), (WriteCounts{0, 0, 1}));

  int64_t repair_batch = NewBatchId(2, "credit_repair");
  fine.repaired_on = Ymd(2024, 1, 20);
  EXPECT_EQ(*events.InsertPenalties(std::span(&fine, 1), repair_batch), (WriteCounts{0, 1, 0}));
  fine.repaired_on = Ymd(2024, 3, 1);  // a different date later: the first repair stands
  EXPECT_EQ(*events.InsertPenalties(std::span(&fine, 1), NewBatchId(3, "credit_repair")),
            (WriteCounts{0, 0, 1}));

  auto stmt =
      db().Prepare("SELECT repaired_on, repaired_batch_id, batch_id, amount_fen FROM penalties");
  ASSERT_TRUE(stmt.ok() && *(*stmt)->Step());
  EXPECT_EQ((*stmt)->ColumnText(0), "2024-01-20");
  EXPECT_EQ((*stmt)->ColumnInt(1), repair_batch);
  EXPECT_EQ((*stmt)->ColumnInt(2), batch);
  EXPECT_EQ((*stmt)->ColumnInt(3), 200000);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM penalties WHERE kind = 'fine'"), 1);
}

TEST_P(EventRepositoryTest, RepairBeforeTheDecisionIsRefused) {
  int64_t batch = NewBatchId();
  domain::Penalty p{.household_id = AddHousehold(1, batch),
                    .document_no = "x",
                    .decided_on = Ymd(2023, 5, 10),
                    .kind = domain::PenaltyKind::kWarning,
                    .repaired_on = Ymd(2023, 5, 9)};
  EXPECT_EQ(EventRepository(db()).InsertPenalties(std::span(&p, 1), batch).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(EventRepositoryTest, AbnormalMarkIsRecovered) {
  int64_t batch = NewBatchId(1, "abnormal");
  int64_t id = AddHousehold(1, batch);
  EventRepository events(db());
  std::vector<domain::AbnormalMark> marks = {
      {id, Ymd(2023, 7, 1), domain::AbnormalReason::kNoAnnualReport, std::nullopt},
      {id, Ymd(2021, 7, 1), domain::AbnormalReason::kUnreachable, Ymd(2021, 9, 1)},
  };
  EXPECT_EQ(*events.InsertAbnormalMarks(marks, batch), (WriteCounts{2, 0, 0}));
  marks[0].recovered_on = Ymd(2023, 8, 15);
  int64_t recovery = NewBatchId(2, "abnormal");
  EXPECT_EQ(*events.InsertAbnormalMarks(marks, recovery), (WriteCounts{0, 1, 1}));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM abnormal_marks WHERE recovered_on IS NULL"), 0);
  EXPECT_EQ(Int("SELECT recovered_batch_id FROM abnormal_marks WHERE marked_on = '2021-07-01'"),
            batch);
  EXPECT_EQ(Int("SELECT recovered_batch_id FROM abnormal_marks WHERE marked_on = '2023-07-01'"),
            recovery);
}

TEST_P(EventRepositoryTest, DishonestDebtorIsRemoved) {
  int64_t batch = NewBatchId(1, "dishonest_debtor");
  int64_t id = AddHousehold(1, batch);
  EventRepository events(db());
  domain::DishonestDebtorListing listing{.household_id = id,
                                         .case_no = "(2022)渝0113执1234号",
                                         .court = "重庆市巴南区人民法院",
                                         .listed_on = Ymd(2022, 11, 3)};
  EXPECT_EQ(*events.InsertDishonestDebtors(std::span(&listing, 1), batch), (WriteCounts{1, 0, 0}));
  listing.removed_on = Ymd(2023, 2, 1);
  EXPECT_EQ(*events.InsertDishonestDebtors(std::span(&listing, 1), NewBatchId(2)),
            (WriteCounts{0, 1, 0}));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM dishonest_debtors WHERE removed_on = '2023-02-01'"), 1);
}

TEST_P(EventRepositoryTest, StoresAccidentsHonoursAndIntellectualProperty) {
  int64_t batch = NewBatchId();
  int64_t id = AddHousehold(1, batch);
  EventRepository events(db());
  std::vector<domain::SafetyAccident> accidents = {
      {id, Ymd(2023, 9, 9), domain::AccidentSeverity::kLarger, "厨房燃气泄漏"}};
  EXPECT_EQ(*events.InsertSafetyAccidents(accidents, batch), (WriteCounts{1, 0, 0}));
  std::vector<domain::Honour> honours = {
      {.household_id = id,
       .kind = domain::HonourKind::kLocalTimeHonouredBrand,
       .level = domain::HonourLevel::kProvince,
       .issuer = "重庆市商务委员会",
       .granted_on = Ymd(2019, 6, 1),
       .certificate_no = "渝老字号2019-031"},
      {.household_id = id,
       .kind = domain::HonourKind::kTrustedConsumption,
       .level = domain::HonourLevel::kCounty,
       .granted_on = Ymd(2022, 3, 15),
       .expires_on = Ymd(2025, 3, 14)},
  };
  EXPECT_EQ(*events.InsertHonours(honours, batch), (WriteCounts{2, 0, 0}));
  EXPECT_EQ(*events.InsertHonours(honours, batch), (WriteCounts{0, 0, 2}));
  std::vector<domain::IntellectualProperty> ip = {
      {id, domain::IpKind::kTrademark, "12345678", "巴南小面", Ymd(2018, 1, 7), std::nullopt},
      {id, domain::IpKind::kUtilityModelPatent, "ZL202010000000.1", std::nullopt, Ymd(2021, 2, 2),
       std::nullopt},
  };
  EXPECT_EQ(*events.InsertIntellectualProperty(ip, batch), (WriteCounts{2, 0, 0}));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM safety_accidents WHERE severity = 'larger'"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM honours WHERE kind = 'local_time_honoured_brand'"
                " AND level = 'province'"),
            1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM intellectual_property WHERE kind = 'trademark'"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM penalties"), 0);
}

TEST_P(EventRepositoryTest, EventForAnUnknownHouseholdIsRefused) {
  int64_t batch = NewBatchId();
  std::vector<domain::SafetyAccident> accidents = {
      {42, Ymd(2023, 9, 9), domain::AccidentSeverity::kOrdinary, std::nullopt}};
  EXPECT_EQ(EventRepository(db()).InsertSafetyAccidents(accidents, batch).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace getihu::storage::testing
