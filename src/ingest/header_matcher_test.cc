#include "ingest/header_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace getihu::ingest {
namespace {

std::vector<std::string_view> Views(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

TEST(HeaderMatcherTest, MatchesInAnyOrderDespiteSpacesAndFullWidthCharacters) {
  const FeedLayout& feed = *FindFeed("annual_report");
  std::vector<std::string> header = {" 从业人数 ",
                                     "营业额（元）",
                                     "\xE3\x80\x80报告年度",
                                     "备注",
                                     "统一社会信用代码\t",
                                     "报送日期",
                                     ""};
  auto map = MatchHeader(feed, Views(header));
  ASSERT_TRUE(map.ok()) << map.error().message();
  EXPECT_EQ(map->columns[0], 4);   // uscc
  EXPECT_EQ(map->columns[1], 2);   // year
  EXPECT_EQ(map->columns[2], 1);   // revenue
  EXPECT_EQ(map->columns[3], -1);  // tax_total, optional and absent
  EXPECT_EQ(map->columns[4], 0);   // staff
  EXPECT_EQ(map->ignored, std::vector<std::string>{"备注"});
  EXPECT_EQ(map->matched(), 5);
}

TEST(HeaderMatcherTest, ListsEveryMissingRequiredColumnInOneMessage) {
  std::vector<std::string> header = {"营业额(元)", "从业人数"};
  auto map = MatchHeader(*FindFeed("annual_report"), Views(header));
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().message(), "缺少必填列：统一社会信用代码、报告年度、报送日期");
}

TEST(HeaderMatcherTest, RefusesALayoutColumnThatAppearsTwice) {
  std::vector<std::string> header = {"统一社会信用代码", "所属期", "参保职工人数",
                                     "统一社会信用代码 "};
  auto map = MatchHeader(*FindFeed("social_insurance"), Views(header));
  ASSERT_FALSE(map.ok());
  EXPECT_EQ(map.error().message(), "表头第 1 列和第 4 列的列名重复：“统一社会信用代码”");
  header = {"统一社会信用代码", "所属期", "参保职工人数", "备注", "备注"};
  EXPECT_TRUE(MatchHeader(*FindFeed("social_insurance"), Views(header)).ok());
}

TEST(HeaderMatcherTest, NormalizesHeaders) {
  EXPECT_EQ(NormalizeHeader("\xEF\xBB\xBF 营业额 （元）\xE3\x80\x80"), "营业额(元)");
  EXPECT_EQ(NormalizeHeader("ＡＢＣ１２３"), "ABC123");
}

TEST(HeaderMatcherTest, DetectsEveryFeedFromItsOwnHeader) {
  for (const FeedLayout& feed : AllFeeds()) {
    std::vector<std::string> header;
    for (const FieldSpec& f : feed.fields) header.emplace_back(" " + std::string(f.header));
    std::reverse(header.begin(), header.end());
    std::vector<const FeedLayout*> found = DetectFeeds(Views(header));
    ASSERT_FALSE(found.empty()) << feed.name;
    EXPECT_EQ(found.front(), &feed) << feed.name;
    // With the optional columns left out it is still recognised.
    header.clear();
    for (const FieldSpec& f : feed.fields) {
      if (f.required) header.emplace_back(f.header);
    }
    found = DetectFeeds(Views(header));
    EXPECT_NE(std::find(found.begin(), found.end(), &feed), found.end()) << feed.name;
  }
}

TEST(HeaderMatcherTest, DetectsNothingInAForeignHeader) {
  std::vector<std::string> header = {"姓名", "电话"};
  EXPECT_TRUE(DetectFeeds(Views(header)).empty());
}

}  // namespace
}  // namespace getihu::ingest
