// The region scope an account is given from the code staff type, and the region a query runs
// over.
#include "server/access.h"

#include <gtest/gtest.h>

#include "server/session.h"

namespace getihu::server {
namespace {

TEST(AccountRegionScopeTest, ACodeScopesToTheRegionsItStandsFor) {
  EXPECT_EQ(*AccountRegionScope("500113"), "500113");  // 巴南区
  EXPECT_EQ(*AccountRegionScope("500100"), "5001");    // 重庆市市辖区: its districts 5001xx
  EXPECT_EQ(*AccountRegionScope("500000"), "50");      // 重庆市
  EXPECT_EQ(*AccountRegionScope("5001"), "5001");
  EXPECT_EQ(*AccountRegionScope(""), "");  // the whole country
}

TEST(AccountRegionScopeTest, AnUnknownOrMalformedCodeIsRefused) {
  auto unknown = AccountRegionScope("509999");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("不存在"), std::string::npos);
  EXPECT_FALSE(AccountRegionScope("50011a").ok());
  EXPECT_FALSE(AccountRegionScope("5001130").ok());
}

// A query's region: a prefix inside the caller's scope; the full code of a province or
// prefecture stands for its prefix, as staff type it.
TEST(ScopedRegionTest, AFullProvinceOrCityCodeIsItsPrefix) {
  Principal province;
  province.region_prefix = "44";
  EXPECT_EQ(*ScopedRegion(province, ""), "44");
  EXPECT_EQ(*ScopedRegion(province, "440000"), "44");
  EXPECT_EQ(*ScopedRegion(province, "440300"), "4403");
  EXPECT_EQ(*ScopedRegion(province, "440305"), "440305");  // a county
  EXPECT_EQ(*ScopedRegion(province, "4403"), "4403");
  EXPECT_EQ(ScopedRegion(province, "450000").status().code(), base::StatusCode::kPermissionDenied);
  EXPECT_EQ(ScopedRegion(province, "44x").status().code(), base::StatusCode::kInvalidArgument);
  Principal county;
  county.region_prefix = "500113";
  EXPECT_EQ(*ScopedRegion(county, "500113"), "500113");
  // The city around the county is wider than the scope.
  EXPECT_EQ(ScopedRegion(county, "500100").status().code(), base::StatusCode::kPermissionDenied);
  EXPECT_EQ(ScopedRegion(county, "50").status().code(), base::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace getihu::server
