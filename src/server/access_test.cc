// The region scope an account is given from the code staff type.
#include "server/access.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace getihu::server
