// End to end: a generated district, imported, read back as profiles as of 1 July, tiered with
// the default rules of ../shared/domain §2.8 written out plainly — the shares must be the
// published ones, and the profile must agree with what the generator put in.
#include <gtest/gtest.h>

#include <filesystem>

#include "domain/profile.h"
#include "ingest/feed_layout.h"
#include "storage/profile_query.h"
#include "storage/sqlite/sqlite_database.h"
#include "synth/generator.h"
#include "workflows/import.h"

namespace getihu {
namespace {

namespace fs = std::filesystem;

int DefaultTier(const domain::HouseholdProfile& p) {
  int64_t revenue = p.revenue_prev ? p.revenue_prev->fen() / 100 : -1;
  int64_t tax = p.tax_paid_prev ? p.tax_paid_prev->fen() / 100 : -1;
  int employees = p.employees.value_or(-1);
  if (p.months_in_business >= 36 && revenue >= 1'000'000 && (tax >= 30'000 || employees >= 5) &&
      p.credit_clean()) {
    return 3;
  }
  if (p.months_in_business >= 12 && revenue >= 100'000 && (employees >= 1 || tax > 0)) return 2;
  return 1;
}

TEST(ProfileCalibrationTest, ImportedDistrictTiersLikeThePublishedShares) {
  fs::path dir = fs::temp_directory_path() / "getihu_profile_calibration";
  fs::remove_all(dir);
  base::Date as_of = *base::Date::Parse("2026-07-01");
  synth::GenerateOptions gen;
  gen.households = 20'000;
  gen.as_of = as_of;
  gen.seed = 11;
  gen.out_dir = (dir / "feeds").string();
  ASSERT_TRUE(synth::Generate(gen).ok());
  auto db = storage::OpenSqlite((dir / "pool.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate().ok());
  workflows::ImportOptions options;
  options.as_of = as_of;
  auto reports = workflows::ImportDirectory(**db, gen.out_dir, options);
  ASSERT_TRUE(reports.ok());
  for (const auto& [file, r] : *reports)
    ASSERT_TRUE(r.ok()) << file << ": " << r.status().ToString();

  int64_t stock = 0, typed = 0, growth = 0, development = 0, abnormal = 0;
  base::Status s =
      storage::ScanProfiles(**db, "500113", as_of, [&](const domain::HouseholdProfile& p) {
        bool in_stock = p.status == "active" || p.status == "suspended";
        stock += in_stock;
        abnormal += in_stock && p.abnormal_now;
        if (p.status != "active" || !p.annual_report_filed || !p.registered_before_year) {
          return base::OkStatus();
        }
        ++typed;
        int tier = DefaultTier(p);
        growth += tier == 2;
        development += tier == 3;
        return base::OkStatus();
      });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(stock, 20'000);  // the profile's status as of the date matches the generated stock
  double typed_share = 100.0 * static_cast<double>(typed) / static_cast<double>(stock);
  double g = 100.0 * static_cast<double>(growth) / static_cast<double>(typed);
  double d = 100.0 * static_cast<double>(development) / static_cast<double>(typed);
  std::printf("typed %.2f%%; survival %.2f%% growth %.2f%% development %.2f%%; abnormal %lld\n",
              typed_share, 100 - g - d, g, d, static_cast<long long>(abnormal));
  EXPECT_GT(typed_share, 60.0);
  EXPECT_LT(typed_share, 90.0);
  EXPECT_NEAR(g, 6.5, 1.2);
  EXPECT_GE(d, 0.05);
  EXPECT_LE(d, 0.5);
  EXPECT_GT(abnormal, 0);
  db->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace getihu
