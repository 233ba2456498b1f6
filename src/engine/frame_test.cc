#include "engine/frame.h"

#include <gtest/gtest.h>

#include <random>

namespace getihu::engine {
namespace {

domain::HouseholdProfile RandomProfile(std::mt19937_64& rng, int64_t id) {
  auto coin = [&](int pct) { return static_cast<int>(rng() % 100) < pct; };
  domain::HouseholdProfile p;
  p.household_id = id;
  const char* statuses[] = {"active", "suspended", "deregistered", ""};
  p.status = statuses[rng() % 4];
  p.months_in_business = static_cast<int>(rng() % 400);
  p.years_in_business = p.months_in_business / 12;
  p.region = coin(50) ? "500113" : "540102";
  p.township = coin(20) ? "" : "500113" + std::to_string(100 + rng() % 30);
  p.industry = coin(50) ? "5211" : "6210";
  p.section = p.industry == "5211" ? "F" : "H";
  p.sector = 3;
  p.online = coin(10);
  p.annual_report_filed = coin(80);
  if (coin(70)) p.revenue_prev = base::Money::FromFen(static_cast<int64_t>(rng() % 300'000'000));
  if (coin(60)) p.tax_paid_prev = base::Money::FromFen(static_cast<int64_t>(rng() % 5'000'000));
  if (coin(60)) p.employees = static_cast<int>(rng() % 12);
  if (coin(5)) p.employees = 40'000;  // forces a 4-byte column
  p.trademarks = static_cast<int>(rng() % 3);
  p.honours = static_cast<uint32_t>(rng() % 8);
  p.abnormal_now = coin(3);
  p.dishonest_debtor = coin(1);
  if (coin(30)) p.veteran = coin(50);
  return p;
}

TEST(FrameTest, ColumnsGiveBackEveryProfileValue) {
  std::mt19937_64 rng(7);
  std::vector<domain::HouseholdProfile> profiles;
  FrameBuilder b;
  for (int64_t i = 0; i < 5000; ++i) {
    profiles.push_back(RandomProfile(rng, 10 + 3 * i));
    b.Append(profiles.back());
  }
  Frame f = b.Finish();
  ASSERT_EQ(f.size(), 5000u);
  for (size_t i = 0; i < f.size(); ++i) {
    domain::HouseholdProfile got = f.Profile(i);
    const domain::HouseholdProfile& want = profiles[i];
    ASSERT_EQ(got.household_id, want.household_id);
    EXPECT_EQ(got.status, want.status);
    EXPECT_EQ(got.months_in_business, want.months_in_business);
    EXPECT_EQ(got.township, want.township);
    EXPECT_EQ(got.industry, want.industry);
    EXPECT_EQ(got.revenue_prev, want.revenue_prev);
    EXPECT_EQ(got.tax_paid_prev, want.tax_paid_prev);
    EXPECT_EQ(got.employees, want.employees);
    EXPECT_EQ(got.honours, want.honours);
    EXPECT_EQ(got.abnormal_now, want.abnormal_now);
    EXPECT_EQ(got.veteran, want.veteran);
    EXPECT_EQ(got.annual_report_filed, want.annual_report_filed);
  }
  EXPECT_EQ(f.RowOf(10 + 3 * 42), 42);
  EXPECT_EQ(f.RowOf(11), -1);
  // Narrow columns: months fit 2 bytes, trademarks and status ids 1.
  EXPECT_EQ(f.Find("months_in_business")->ints.width(), 2);
  EXPECT_EQ(f.Find("employees")->ints.width(), 4);  // 40,000 does not fit 2 bytes
  EXPECT_EQ(f.Find("trademarks")->ints.width(), 1);
  EXPECT_EQ(f.Find("status")->ints.width(), 1);
  EXPECT_TRUE(f.Find("trademarks")->known.empty());  // never missing: no bit map kept
  EXPECT_FALSE(f.Find("revenue_prev")->known.empty());
  EXPECT_EQ(f.Find("uscc"), nullptr);
  EXPECT_LE(f.ProfileBytes() / f.size(), 64u);
}

TEST(PackedIntsTest, WidensWithoutLosingValues) {
  PackedInts p;
  std::vector<int64_t> values = {0, -1, 127, -128, 128, 40000, -70000, 5'000'000'000LL, -3};
  for (int64_t v : values) p.Append(v);
  EXPECT_EQ(p.width(), 8);
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(p.Get(i), values[i]);
  PackedInts ids(false);
  ids.Append(200);
  ids.Append(255);
  EXPECT_EQ(ids.width(), 1);
  EXPECT_EQ(ids.Get(1), 255);
}

}  // namespace
}  // namespace getihu::engine
