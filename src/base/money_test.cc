#include "base/money.h"

#include <gtest/gtest.h>

namespace getihu::base {
namespace {

TEST(MoneyTest, ParsesYuanToFen) {
  EXPECT_EQ(Money::ParseYuan("1234")->fen(), 123400);
  EXPECT_EQ(Money::ParseYuan("1234.5")->fen(), 123450);
  EXPECT_EQ(Money::ParseYuan("1,234.56")->fen(), 123456);
  EXPECT_EQ(Money::ParseYuan("¥1,234.56")->fen(), 123456);
  EXPECT_EQ(Money::ParseYuan("￥12")->fen(), 1200);
  EXPECT_EQ(Money::ParseYuan(" 0.07元 ")->fen(), 7);
  EXPECT_EQ(Money::ParseYuan("-12.30")->fen(), -1230);
  EXPECT_EQ(Money::ParseYuan(".5")->fen(), 50);
}

TEST(MoneyTest, RejectsWhatIsNotAnAmount) {
  for (const char* text :
       {"", "abc", "12.345", "1.2.3", "12a", "--1", "1e5", "¥", "10000000000000000"}) {
    auto m = Money::ParseYuan(text);
    EXPECT_FALSE(m.ok()) << text;
    if (!m.ok()) {
      EXPECT_NE(m.status().message().find("金额"), std::string::npos);
    }
  }
}

TEST(MoneyTest, FormatsForFilesAndPeople) {
  EXPECT_EQ(Money::FromFen(123456789).ToPlainYuan(), "1234567.89");
  EXPECT_EQ(Money::FromFen(123456789).ToDisplayYuan(), "1,234,567.89");
  EXPECT_EQ(Money::FromFen(-5).ToPlainYuan(), "-0.05");
  EXPECT_EQ(Money::FromFen(100000).ToDisplayYuan(), "1,000.00");
  EXPECT_EQ(Money::FromYuan(0).ToDisplayYuan(), "0.00");
}

TEST(MoneyTest, RoundTripsThroughText) {
  for (int64_t fen : {0L, 1L, 99L, 100L, 123456L, 999999999999L, -1L, -100001L}) {
    EXPECT_EQ(Money::ParseYuan(Money::FromFen(fen).ToPlainYuan())->fen(), fen);
    EXPECT_EQ(Money::ParseYuan(Money::FromFen(fen).ToDisplayYuan())->fen(), fen);
  }
}

TEST(MoneyTest, FormatsTheExtremesWithoutOverflow) {
  Money min = Money::FromFen(INT64_MIN);
  EXPECT_EQ(min.ToPlainYuan(), "-92233720368547758.08");
  EXPECT_EQ(min.ToDisplayYuan(), "-92,233,720,368,547,758.08");
  EXPECT_EQ(Money::FromFen(INT64_MAX).ToPlainYuan(), "92233720368547758.07");
}

}  // namespace
}  // namespace getihu::base
