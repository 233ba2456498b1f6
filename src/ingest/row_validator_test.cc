#include "ingest/row_validator.h"

#include <gtest/gtest.h>

namespace getihu::ingest {
namespace {

class RowValidatorTest : public ::testing::Test {
 protected:
  RowValidatorTest() : parser_(*base::Date::Parse("2026-07-01"), domain::RegionTable::Builtin()) {}

  // A validator for `feed` whose file columns are the layout's fields in order.
  RowValidator Make(std::string_view feed) {
    const FeedLayout* layout = FindFeed(feed);
    std::vector<int> columns;
    for (size_t i = 0; i < layout->fields.size(); ++i) columns.push_back(static_cast<int>(i));
    return RowValidator(*layout, columns, parser_);
  }

  std::string_view Check(RowValidator& v, std::vector<std::string_view> cells) {
    issue_ = {};
    return v.Validate(++line_, cells, row_, issue_) ? "" : issue_.reason;
  }

  FieldParser parser_;
  ValidRow row_;
  RowIssue issue_;
  uint64_t line_ = 1;
};

TEST_F(RowValidatorTest, AcceptsAGoodRowAndReportsTheColumnOfABadOne) {
  RowValidator v = Make("tax");
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2025", "100.00", "", "B"}), "");
  EXPECT_EQ(row_.values[2].number, 10000);
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2024", "abc", "", "B"}), "invalid_amount");
  EXPECT_EQ(issue_.column, "实缴税额(元)");
  EXPECT_EQ(issue_.value, "abc");
  EXPECT_EQ(issue_.line, 3u);
}

TEST_F(RowValidatorTest, RefusesDuplicateKeysWithinAFile) {
  RowValidator v = Make("tax");
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2025", "1", "", ""}), "");
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2024", "1", "", ""}), "");
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2025", "2", "", ""}), "duplicate_key");
  EXPECT_NE(issue_.message.find("2025"), std::string::npos);
}

TEST_F(RowValidatorTest, RefusesARecoveryBeforeItsMarking) {
  RowValidator v = Make("abnormal");
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2025-07-05", "未按规定报送年度报告", "2025-08-01"}),
            "");
  EXPECT_EQ(Check(v, {"92340602MA2PBMEM24", "2025-07-06", "未按规定报送年度报告", "2025-07-01"}),
            "date_order");
  EXPECT_EQ(issue_.column, "恢复日期");
}

TEST_F(RowValidatorTest, AnEstablishmentMustCarryWhatANewHouseholdNeeds) {
  RowValidator v = Make("registration");
  std::vector<std::string_view> row = {
      "92340602MA2PBMEM24", "设立", "2020-05-01", "", "某店",       "张三", "", "", "500113",
      "500113005",          "5212", "个人经营",   "", "2020-05-01", "否",   ""};
  EXPECT_EQ(Check(v, row), "");
  row[2] = "2020-05-02";
  row[10] = "";
  EXPECT_EQ(Check(v, row), "missing_for_establish");
  EXPECT_EQ(issue_.column, "行业代码");
  std::vector<std::string_view> close = {"92340602MA2PBMEM24",
                                         "注销",
                                         "2021-01-01",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         "",
                                         ""};
  EXPECT_EQ(Check(v, close), "");
}

TEST(KeyHashSetTest, RemembersEveryKey) {
  KeyHashSet set;
  for (uint64_t i = 0; i < 100000; ++i) ASSERT_TRUE(set.Insert(i * 0x9E3779B97F4A7C15ULL));
  for (uint64_t i = 0; i < 100000; ++i) ASSERT_FALSE(set.Insert(i * 0x9E3779B97F4A7C15ULL));
  EXPECT_EQ(set.size(), 99999u);  // key 0 is counted apart
}

}  // namespace
}  // namespace getihu::ingest
