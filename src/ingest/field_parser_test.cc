#include "ingest/field_parser.h"

#include <gtest/gtest.h>

namespace getihu::ingest {
namespace {

class FieldParserTest : public ::testing::Test {
 protected:
  FieldParserTest() : parser_(*base::Date::Parse("2026-07-01"), domain::RegionTable::Builtin()) {}

  // Parses `raw` as field `key` of feed `feed`; returns the error reason ("" when valid).
  std::string_view Reason(std::string_view feed, std::string_view key, std::string_view raw) {
    const FieldSpec* spec = FindField(*FindFeed(feed), key);
    EXPECT_NE(spec, nullptr) << key;
    error_ = {};
    return parser_.Parse(*spec, raw, value_, error_) ? "" : error_.reason;
  }

  FieldParser parser_;
  FieldValue value_;
  FieldError error_;
};

TEST_F(FieldParserTest, AcceptsAndNormalisesUscc) {
  EXPECT_EQ(Reason("tax", "uscc", " 92340602ma2pbmem24 "), "");
  EXPECT_EQ(value_.text, "92340602MA2PBMEM24");
  EXPECT_EQ(Reason("tax", "uscc", "92340602MA2PBMEM25"), "invalid_uscc");
  EXPECT_NE(error_.message.find("校验位应为“4”"), std::string::npos) << error_.message;
  EXPECT_EQ(Reason("tax", "uscc", ""), "missing_required");
  EXPECT_EQ(Reason("tax", "uscc", "123"), "invalid_uscc");
}

TEST_F(FieldParserTest, ChecksRegionAndIndustryCodesAgainstTheStandards) {
  EXPECT_EQ(Reason("registration", "region_code", "500113"), "");
  EXPECT_EQ(Reason("registration", "region_code", "509999"), "invalid_region");
  EXPECT_EQ(Reason("registration", "region_code", "500113005"), "invalid_region");  // not 6 digits
  EXPECT_EQ(Reason("registration", "township_code", "500113005"), "");
  EXPECT_EQ(Reason("registration", "industry_code", "5212"), "");
  EXPECT_EQ(Reason("registration", "industry_code", "9800"), "invalid_industry");
}

TEST_F(FieldParserTest, RefusesImpossibleAndFutureDates) {
  EXPECT_EQ(Reason("penalty", "decided_on", "2025/3/9"), "");
  EXPECT_EQ(value_.date.ToString(), "2025-03-09");
  EXPECT_EQ(Reason("penalty", "decided_on", "2025-02-30"), "invalid_date");
  EXPECT_EQ(Reason("penalty", "decided_on", "2026-07-02"), "future_date");
  EXPECT_EQ(Reason("penalty", "repaired_on", ""), "");  // optional
  EXPECT_FALSE(value_.present);
}

TEST_F(FieldParserTest, ReadsAmountsToTheFen) {
  EXPECT_EQ(Reason("tax", "tax_paid", "1,234.5"), "");
  EXPECT_EQ(value_.number, 123450);
  EXPECT_EQ(Reason("tax", "tax_paid", "-3"), "negative_amount");
  EXPECT_EQ(Reason("tax", "tax_paid", "1.234"), "invalid_amount");
}

TEST_F(FieldParserTest, ReadsCountsYearsPeriodsAndChoices) {
  EXPECT_EQ(Reason("annual_report", "staff", "3"), "");
  EXPECT_EQ(Reason("annual_report", "staff", "-1"), "invalid_number");
  EXPECT_EQ(Reason("annual_report", "year", "2025"), "");
  EXPECT_EQ(Reason("annual_report", "year", "2027"), "invalid_number");
  EXPECT_EQ(Reason("social_insurance", "period", "2026-03"), "");
  EXPECT_EQ(Reason("social_insurance", "period", "2026-09"), "future_date");
  EXPECT_EQ(Reason("social_insurance", "period", "2026-13"), "invalid_period");
  EXPECT_EQ(Reason("registration", "change_kind", "注销"), "");
  EXPECT_EQ(value_.number, 4);
  EXPECT_EQ(Reason("registration", "change_kind", "迁出"), "invalid_choice");
  EXPECT_EQ(Reason("loan", "first_loan", "是"), "");
  EXPECT_EQ(value_.number, 1);
  EXPECT_EQ(Reason("loan", "first_loan", "也许"), "invalid_choice");
}

TEST_F(FieldParserTest, ValidatesPersonalData) {
  EXPECT_EQ(Reason("registration", "operator_id", "11010519491231002x"), "");
  EXPECT_EQ(value_.text, "11010519491231002X");
  EXPECT_EQ(Reason("registration", "operator_id", "110105194912310021"), "invalid_id_number");
  EXPECT_EQ(Reason("registration", "phone", "138-0000-1234"), "");
  EXPECT_EQ(Reason("registration", "phone", "call me"), "invalid_phone");
}

}  // namespace
}  // namespace getihu::ingest
