// Calibration of the synthetic district against seed 000 and the published tier shares
// (../shared/domain §2.6) under the default rules of §2.8.
#include "synth/household_model.h"

#include <gtest/gtest.h>

#include <map>

#include "domain/industry.h"
#include "domain/region.h"

namespace getihu::synth {
namespace {

using base::Date;

struct Shares {
  uint64_t stock = 0, urban = 0, fringe = 0;
  std::map<int, uint64_t> sector;
  std::map<char, uint64_t> section;
  std::map<int, uint64_t> new_by_year;
  uint64_t typed = 0, growth = 0, development = 0;
  uint64_t under1 = 0, from1to3 = 0, over10 = 0, total_households = 0;
};

// The default tier decision of ../shared/domain §2.8, written out plainly for calibration.
int DefaultTier(const SynthHousehold& h, Date as_of) {
  const YearFigures& y = h.years[1];
  int months = Date::MonthsBetween(h.fate.established_on, as_of);
  int employees = y.insured > 0 ? y.insured : y.staff - 1;
  int64_t revenue = y.revenue_fen / 100, tax = y.tax_paid_fen / 100;
  bool abnormal = h.abnormal && !h.abnormal->ended_on;
  bool penalty = h.penalty && h.penalty->kind >= 2 && !h.penalty->ended_on &&
                 h.penalty->on > as_of.AddMonths(-12);
  bool dishonest = h.dishonest && !h.dishonest->ended_on;
  bool clean = !abnormal && !penalty && !dishonest;
  if (months >= 36 && revenue >= 1'000'000 && (tax >= 30'000 || employees >= 5) && clean) return 3;
  if (months >= 12 && revenue >= 100'000 && (employees >= 1 || tax > 0)) return 2;
  return 1;
}

Shares Measure(const char* region, Date as_of, uint64_t stock_target) {
  auto plan = RegionPlan::Build(domain::RegionTable::Builtin(), region, 42);
  EXPECT_TRUE(plan.ok());
  HouseholdModel model(*plan, 42, as_of);
  Shares s;
  for (uint64_t i = 0; s.stock < stock_target; ++i) {
    SynthHousehold h = model.Make(i);
    ++s.new_by_year[h.fate.established_on.year()];
    ++s.total_households;
    if (!h.fate.InStock()) continue;
    ++s.stock;
    int age = Date::MonthsBetween(h.fate.established_on, as_of);
    s.under1 += age < 12;
    s.from1to3 += age >= 12 && age < 36;
    s.over10 += age >= 120;
    const std::string& name = h.fate.township->township_name;
    if (name == "花溪街道" || name == "李家沱街道" || name == "鱼洞街道" || name == "龙洲湾街道" ||
        name == "莲花街道") {
      ++s.urban;
    }
    if (name == "界石镇" || name == "南泉街道" || name == "南彭街道" || name == "惠民街道" ||
        name == "一品街道") {
      ++s.fringe;
    }
    ++s.sector[static_cast<int>(domain::FindDivision(h.fate.industry->division)->sector)];
    ++s.section[h.fate.industry->section];
    bool typed = !h.fate.suspended && h.years[1].reported &&
                 h.fate.established_on < *Date::FromYmd(as_of.year(), 1, 1);
    if (!typed) continue;
    ++s.typed;
    int tier = DefaultTier(h, as_of);
    s.growth += tier == 2;
    s.development += tier == 3;
  }
  return s;
}

double Pct(uint64_t a, uint64_t b) {
  return 100.0 * static_cast<double>(a) / static_cast<double>(b);
}

TEST(HouseholdModelTest, DistrictMatchesSeed000) {
  Shares s = Measure("500113", *Date::Parse("2022-08-31"), 59'000);
  EXPECT_NEAR(Pct(s.urban, s.stock), 61.98, 1.5);
  EXPECT_NEAR(Pct(s.fringe, s.stock), 23.86, 1.5);
  EXPECT_NEAR(Pct(s.sector[1], s.stock), 3.68, 0.8);
  EXPECT_NEAR(Pct(s.sector[2], s.stock), 5.59, 0.8);
  EXPECT_NEAR(Pct(s.sector[3], s.stock), 90.74, 1.2);
  uint64_t tertiary = s.sector[3];
  EXPECT_NEAR(Pct(s.section['F'], tertiary), 58.01, 2.0);
  EXPECT_NEAR(Pct(s.section['H'], tertiary), 17.28, 1.5);
  EXPECT_NEAR(Pct(s.section['O'], tertiary), 13.34, 1.5);
  // New registrations rise to a 2019 peak, then −7.7% in 2020 and −17% in 2021.
  EXPECT_GT(s.new_by_year[2019], s.new_by_year[2018]);
  EXPECT_NEAR(Pct(s.new_by_year[2020], s.new_by_year[2019]), 92.3, 3.0);
  EXPECT_NEAR(Pct(s.new_by_year[2021], s.new_by_year[2020]), 83.0, 3.0);
  std::printf(
      "stock %llu: urban %.2f%% fringe %.2f%% sectors %.2f/%.2f/%.2f F %.2f H %.2f O %.2f\n",
      static_cast<unsigned long long>(s.stock), Pct(s.urban, s.stock), Pct(s.fringe, s.stock),
      Pct(s.sector[1], s.stock), Pct(s.sector[2], s.stock), Pct(s.sector[3], s.stock),
      Pct(s.section['F'], tertiary), Pct(s.section['H'], tertiary), Pct(s.section['O'], tertiary));
}

TEST(HouseholdModelTest, DefaultRulesGivePublishedTierShares) {
  Shares s = Measure("500113", *Date::Parse("2026-07-01"), 59'000);
  double typed = Pct(s.typed, s.stock);
  double growth = Pct(s.growth, s.typed), development = Pct(s.development, s.typed);
  std::printf("age <1y %.2f%% 1-3y %.2f%% >10y %.2f%%; new %d: %.1f%% of stock; households %llu\n",
              Pct(s.under1, s.stock), Pct(s.from1to3, s.stock), Pct(s.over10, s.stock), 2025,
              Pct(s.new_by_year[2025], s.stock),
              static_cast<unsigned long long>(s.total_households));
  std::printf("typed %.2f%% of stock; survival %.2f%% growth %.2f%% development %.2f%%\n", typed,
              100 - growth - development, growth, development);
  // Age of the stock against Hangzhou's published distribution (domain §6.4).
  EXPECT_NEAR(Pct(s.under1, s.stock), 18.78, 4.0);
  EXPECT_NEAR(Pct(s.from1to3, s.stock), 26.01, 4.0);
  EXPECT_NEAR(Pct(s.over10, s.stock), 14.62, 4.0);
  EXPECT_GT(typed, 60.0);
  EXPECT_LT(typed, 90.0);
  EXPECT_NEAR(growth, 6.5, 1.0);
  EXPECT_GE(development, 0.1);
  EXPECT_LE(development, 0.5);
}

TEST(HouseholdModelTest, SameIndexGivesTheSameHousehold) {
  auto plan = RegionPlan::Build(domain::RegionTable::Builtin(), "500113", 7);
  ASSERT_TRUE(plan.ok());
  HouseholdModel a(*plan, 7, *Date::Parse("2026-07-01")), b(*plan, 7, *Date::Parse("2026-07-01"));
  for (uint64_t i = 0; i < 1000; ++i) {
    SynthHousehold x = a.Make(i), y = b.Make(i);
    EXPECT_EQ(x.uscc, y.uscc);
    EXPECT_EQ(x.fate.established_on, y.fate.established_on);
    EXPECT_EQ(x.years[1].revenue_fen, y.years[1].revenue_fen);
  }
}

}  // namespace
}  // namespace getihu::synth
