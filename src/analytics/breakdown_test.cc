#include "analytics/breakdown.h"

#include <gtest/gtest.h>

namespace getihu::analytics {
namespace {

domain::HouseholdProfile P(int64_t id, const char* status, const char* region, const char* township,
                           const char* section) {
  domain::HouseholdProfile p;
  p.household_id = id;
  p.status = status;
  p.region = region;
  p.township = township;
  p.section = section;
  return p;
}

// Worked out by hand: 500113005 has 3 in stock (F, F, H), 500113006 has 1 (F), one household
// of 500113 has no township (F), 540102 has 2 (H); a deregistered one is not counted.
TEST(BreakdownTest, CountsStockByTownshipSectionAndTierWithShares) {
  engine::FrameBuilder b;
  b.Append(P(1, "active", "500113", "500113005", "F"));
  b.Append(P(2, "suspended", "500113", "500113005", "F"));
  b.Append(P(3, "active", "500113", "500113005", "H"));
  b.Append(P(4, "active", "500113", "500113006", "F"));
  b.Append(P(5, "active", "500113", "", "F"));
  b.Append(P(6, "deregistered", "500113", "500113005", "F"));
  b.Append(P(7, "active", "540102", "540102001", "H"));
  b.Append(P(8, "active", "540102", "540102001", "H"));
  engine::Frame frame = b.Finish();
  std::vector<uint8_t> tiers = {1, 2, 1, 1, 0, 3, 1, 1};
  Breakdown r = ComputeBreakdown(frame, tiers, 2);
  EXPECT_EQ(r.stock, 7);
  auto find = [&](const char* township, const char* section, int tier) -> const BreakdownCell* {
    for (const auto& c : r.cells) {
      if (c.township == township && c.section == section && c.tier == tier) return &c;
    }
    return nullptr;
  };
  const BreakdownCell* c = find("500113005", "F", 1);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->households, 1);
  EXPECT_NEAR(c->share_of_township, 100.0 / 3, 1e-9);
  EXPECT_NEAR(c->share_of_region, 100.0 / 5, 1e-9);  // 500113 has 5 in stock
  EXPECT_EQ(find("500113005", "F", 2)->households, 1);
  EXPECT_EQ(find("500113005", "F", 3), nullptr);  // the deregistered household
  const BreakdownCell* unknown = find("", "F", 0);
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->region, "500113");
  EXPECT_DOUBLE_EQ(unknown->share_of_township, 100.0);
  const BreakdownCell* tibet = find("540102001", "H", 1);
  ASSERT_NE(tibet, nullptr);
  EXPECT_EQ(tibet->households, 2);
  EXPECT_DOUBLE_EQ(tibet->share_of_region, 100.0);
  int64_t sum = 0;
  for (const auto& cell : r.cells) sum += cell.households;
  EXPECT_EQ(sum, 7);
  // Without tiers every household is tier 0.
  Breakdown flat = ComputeBreakdown(frame, {}, 1);
  EXPECT_EQ(flat.stock, 7);
  for (const auto& cell : flat.cells) EXPECT_EQ(cell.tier, 0);
}

}  // namespace
}  // namespace getihu::analytics
