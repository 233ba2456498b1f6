#include "base/date.h"

#include <gtest/gtest.h>

namespace getihu::base {
namespace {

TEST(DateTest, ParsesIsoAndChineseForms) {
  for (const char* text :
       {"2024-07-01", "2024/07/01", "2024.7.1", "20240701", "2024年7月1日", " 2024-07-01 "}) {
    auto d = Date::Parse(text);
    ASSERT_TRUE(d.ok()) << text;
    EXPECT_EQ(d->ToString(), "2024-07-01") << text;
  }
}

TEST(DateTest, RejectsImpossibleDatesWithAChineseMessage) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "", "2024-1",
                           "abc", "2024-07-01x", "1899-12-31", "2024/07-01", "202407011"}) {
    auto d = Date::Parse(text);
    EXPECT_FALSE(d.ok()) << text;
    if (!d.ok()) {
      EXPECT_NE(d.status().message().find("日期"), std::string::npos);
    }
  }
}

TEST(DateTest, AcceptsLeapDays) {
  EXPECT_TRUE(Date::Parse("2024-02-29").ok());
  EXPECT_TRUE(Date::Parse("2000-02-29").ok());
  EXPECT_FALSE(Date::Parse("1900-02-29").ok());
}

TEST(DateTest, RoundTripsEveryDayOfTwoCenturies) {
  Date d = *Date::FromYmd(1900, 1, 1);
  Date end = *Date::FromYmd(2100, 12, 31);
  int prev_day = 0;
  for (; d <= end; d = d.AddDays(1)) {
    auto back = Date::FromYmd(d.year(), d.month(), d.day());
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(*back, d);
    ASSERT_TRUE(d.day() == prev_day + 1 || d.day() == 1);
    prev_day = d.day();
  }
}

TEST(DateTest, ParseIsoAgreesWithParseOnEveryDayAndRefusesOtherForms) {
  const Date end = *Date::FromYmd(Date::kMaxYear, 12, 31);
  for (Date d = *Date::FromYmd(Date::kMinYear, 1, 1); d <= end; d = d.AddDays(1)) {
    std::optional<Date> iso = Date::ParseIso(d.ToString());
    ASSERT_TRUE(iso.has_value()) << d.ToString();
    ASSERT_EQ(*iso, d) << d.ToString();
  }
  for (const char* text :
       {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-04-00",
        "1899-12-31", "3000-01-01", "2024/07/01", "20240701", " 2024-07-01", "2024-7-01",
        "2024-07-1x", "2024-07-011", "", "abcd-ef-gh", "2024年7月1日"}) {
    EXPECT_FALSE(Date::ParseIso(text).has_value()) << text;
  }
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(Date::Parse("2024-01-31")->AddMonths(1).ToString(), "2024-02-29");
  EXPECT_EQ(Date::Parse("2023-01-31")->AddMonths(1).ToString(), "2023-02-28");
  EXPECT_EQ(Date::Parse("2024-02-29")->AddYears(1).ToString(), "2025-02-28");
  EXPECT_EQ(Date::Parse("2024-07-01")->AddMonths(-7).ToString(), "2023-12-01");
}

TEST(DateTest, CountsFullMonthsLikeAges) {
  auto m = [](const char* a, const char* b) {
    return Date::MonthsBetween(*Date::Parse(a), *Date::Parse(b));
  };
  EXPECT_EQ(m("2020-07-01", "2021-07-01"), 12);
  EXPECT_EQ(m("2020-07-02", "2021-07-01"), 11);
  EXPECT_EQ(m("2020-01-31", "2020-02-28"), 0);
  EXPECT_EQ(m("2020-01-31", "2020-02-29"), 1);
  EXPECT_EQ(m("2021-07-01", "2020-07-01"), -12);
  EXPECT_EQ(Date::YearsBetween(*Date::Parse("2021-07-02"), *Date::Parse("2024-07-01")), 2);
}

TEST(DateTest, ConvertsExcelSerials) {
  EXPECT_EQ(Date::FromExcelSerial(45474)->ToString(), "2024-07-01");
  EXPECT_EQ(Date::FromExcelSerial(1)->ToString(), "1900-01-01");
  EXPECT_EQ(Date::FromExcelSerial(61)->ToString(), "1900-03-01");
  EXPECT_EQ(Date::FromExcelSerial(45474.75)->ToString(), "2024-07-01");
  EXPECT_FALSE(Date::FromExcelSerial(60).ok());
  EXPECT_FALSE(Date::FromExcelSerial(-3).ok());
}

}  // namespace
}  // namespace getihu::base
