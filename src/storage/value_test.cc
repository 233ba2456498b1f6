#include "storage/value.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace getihu::storage {
namespace {

TEST(ValueTest, FollowsTheStorageConventions) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value(nullptr).is_null());
  EXPECT_EQ(Value(42).AsInt(), 42);
  EXPECT_EQ(Value(int64_t{1} << 40).AsInt(), int64_t{1} << 40);
  EXPECT_EQ(Value(true).AsInt(), 1);
  EXPECT_EQ(Value(false).AsInt(), 0);
  EXPECT_EQ(Value(2.5).AsDouble(), 2.5);
  EXPECT_EQ(Value("个体").AsText(), "个体");
  EXPECT_EQ(Value(*base::Date::FromYmd(2024, 2, 29)).AsText(), "2024-02-29");
  EXPECT_EQ(Value(base::Money::FromYuan(12)).AsInt(), 1200);
}

TEST(ValueTest, EmptyOptionalIsNull) {
  EXPECT_TRUE(Value(std::optional<int>()).is_null());
  EXPECT_EQ(Value(std::optional<int>(7)).AsInt(), 7);
  EXPECT_EQ(Value(std::optional<std::string>("x")).AsText(), "x");
  EXPECT_TRUE(Value(std::optional<base::Date>()).is_null());
}

TEST(CstTimestampTest, WritesChinaStandardTime) {
  EXPECT_EQ(CstTimestamp(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(CstTimestamp(1719792000), "2024-07-01T08:00:00+08:00");
  EXPECT_EQ(CstTimestamp(1719791999 - 8 * 3600), "2024-06-30T23:59:59+08:00");
  EXPECT_EQ(CstTimestamp(-8 * 3600 - 1), "1969-12-31T23:59:59+08:00");
}

}  // namespace
}  // namespace getihu::storage
