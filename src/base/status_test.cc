#include "base/status.h"

#include <gtest/gtest.h>

namespace getihu::base {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgument("奇数不能平分");
  return n / 2;
}

Result<int> Quarter(int n) {
  GETIHU_ASSIGN_OR_RETURN(int half, Half(n));
  GETIHU_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int n) {
  GETIHU_RETURN_IF_ERROR(Half(n));
  return OkStatus();
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, CarriesCodeAndMessage) {
  Status s = NotFound("没有这个户");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not_found: 没有这个户");
  EXPECT_EQ(s.WithContext("第 3 行").message(), "第 3 行：没有这个户");
}

TEST(ResultTest, HoldsValueOrError) {
  EXPECT_EQ(*Half(8), 4);
  auto r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());  // 6 → 3 → odd
  EXPECT_EQ(Quarter(6).status().message(), "奇数不能平分");
}

TEST(ResultTest, ReturnIfErrorAcceptsAResult) {
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_EQ(CheckEven(1).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace getihu::base
