#include "domain/industry.h"

#include <gtest/gtest.h>

namespace getihu::domain {
namespace {

TEST(IndustryTest, HasTwentySectionsAndNinetySevenDivisions) {
  EXPECT_EQ(IndustrySections().size(), 20u);
  EXPECT_EQ(IndustryDivisions().size(), 97u);
  EXPECT_EQ(IndustrySections().front().letter, 'A');
  EXPECT_EQ(IndustrySections().back().letter, 'T');
}

TEST(IndustryTest, SectionRangesTileTheDivisionsWithoutGaps) {
  int next = 1;
  char letter = 'A';
  for (const IndustrySection& section : IndustrySections()) {
    EXPECT_EQ(section.letter, letter++);
    EXPECT_EQ(section.first_division, next) << section.letter;
    EXPECT_LE(section.first_division, section.last_division) << section.letter;
    EXPECT_FALSE(section.name.empty());
    next = section.last_division + 1;
  }
  EXPECT_EQ(next, 98);
}

TEST(IndustryTest, MapsEveryDivisionToTheSectionWhoseRangeContainsIt) {
  int number = 1;
  for (const IndustryDivision& division : IndustryDivisions()) {
    EXPECT_EQ(division.number, number++);
    EXPECT_FALSE(division.name.empty()) << division.number;
    const IndustrySection* section = FindSection(division.section);
    ASSERT_NE(section, nullptr) << division.number;
    EXPECT_GE(division.number, section->first_division);
    EXPECT_LE(division.number, section->last_division);
    EXPECT_EQ(FindDivision(division.number), &division);
  }
}

TEST(IndustryTest, UsesTheOfficialNames) {
  EXPECT_EQ(FindDivision(1)->name, "农业");
  EXPECT_EQ(FindDivision(5)->name, "农、林、牧、渔专业及辅助性活动");
  EXPECT_EQ(FindDivision(11)->name, "开采专业及辅助性活动");
  EXPECT_EQ(FindDivision(25)->name, "石油、煤炭及其他燃料加工业");
  EXPECT_EQ(FindDivision(43)->name, "金属制品、机械和设备修理业");
  EXPECT_EQ(FindDivision(50)->name, "建筑装饰、装修和其他建筑业");
  EXPECT_EQ(FindDivision(51)->name, "批发业");
  EXPECT_EQ(FindDivision(52)->name, "零售业");
  EXPECT_EQ(FindDivision(61)->name, "住宿业");
  EXPECT_EQ(FindDivision(62)->name, "餐饮业");
  EXPECT_EQ(FindDivision(80)->name, "居民服务业");
  EXPECT_EQ(FindDivision(81)->name, "机动车、电子产品和日用产品修理业");
  EXPECT_EQ(FindDivision(82)->name, "其他服务业");
  EXPECT_EQ(FindDivision(97)->name, "国际组织");
  EXPECT_EQ(FindSection('F')->name, "批发和零售业");
  EXPECT_EQ(FindSection('O')->name, "居民服务、修理和其他服务业");
}

TEST(IndustryTest, AppliesTheSectorRuleWithItsThreeExceptions) {
  for (const IndustryDivision& d : IndustryDivisions()) {
    Sector expected = d.section == 'A'                       ? Sector::kPrimary
                      : d.section >= 'B' && d.section <= 'E' ? Sector::kSecondary
                                                             : Sector::kTertiary;
    if (d.number == 5 || d.number == 11 || d.number == 43) expected = Sector::kTertiary;
    EXPECT_EQ(d.sector, expected) << d.number;
  }
  EXPECT_EQ(FindDivision(4)->sector, Sector::kPrimary);
  EXPECT_EQ(FindDivision(5)->sector, Sector::kTertiary);
  EXPECT_EQ(FindDivision(11)->sector, Sector::kTertiary);
  EXPECT_EQ(FindDivision(12)->sector, Sector::kSecondary);
  EXPECT_EQ(FindDivision(43)->sector, Sector::kTertiary);
  EXPECT_EQ(FindDivision(50)->sector, Sector::kSecondary);
  EXPECT_EQ(SectorName(Sector::kTertiary), "第三产业");
}

TEST(IndustryTest, AnalyzesSectionsDivisionsAndDeeperCodes) {
  auto section = AnalyzeIndustry("f");
  ASSERT_TRUE(section.ok());
  EXPECT_EQ(section->code, "F");
  EXPECT_EQ(section->division, nullptr);
  EXPECT_EQ(section->sector, Sector::kTertiary);
  EXPECT_EQ(AnalyzeIndustry("A")->sector, Sector::kPrimary);

  auto division = AnalyzeIndustry(" 52 ");
  ASSERT_TRUE(division.ok());
  EXPECT_EQ(division->code, "52");
  EXPECT_EQ(division->section->letter, 'F');
  EXPECT_EQ(division->division->name, "零售业");
  EXPECT_FALSE(division->below_division);

  auto klass = AnalyzeIndustry("F5211");
  ASSERT_TRUE(klass.ok());
  EXPECT_EQ(klass->code, "5211");
  EXPECT_EQ(klass->division->number, 52);
  EXPECT_TRUE(klass->below_division);
  EXPECT_EQ(AnalyzeIndustry("０５１")->sector, Sector::kTertiary);  // full-width digits
  EXPECT_EQ(AnalyzeIndustry("4310")->sector, Sector::kTertiary);
}

TEST(IndustryTest, RejectsBadCodesWithChineseMessages) {
  const std::pair<const char*, const char*> cases[] = {
      {"Z", "行业门类“Z”不存在：门类为A–T"},
      {"00", "行业大类“00”不存在：大类代码为01–97"},
      {"98", "行业大类“98”不存在：大类代码为01–97"},
      {"5a", "行业代码“5a”无效：应为门类字母（A–T）或2–4位数字代码"},
      {"", "行业代码为空"},
      {"123456", "行业代码“123456”无效：应为门类字母（A–T）或2–4位数字代码"},
      {"5", "行业代码“5”无效：应为门类字母（A–T）或2–4位数字代码"},
      {"A5211", "行业代码“A5211”的门类“A”与大类“52”所属门类“F”不一致"},
  };
  for (const auto& [code, message] : cases) {
    auto info = AnalyzeIndustry(code);
    ASSERT_FALSE(info.ok()) << code;
    EXPECT_EQ(info.status().code(), base::StatusCode::kInvalidArgument);
    EXPECT_EQ(info.status().message(), message) << code;
  }
  EXPECT_EQ(FindSection('U'), nullptr);
  EXPECT_EQ(FindDivision(0), nullptr);
  EXPECT_EQ(FindDivision(98), nullptr);
}

}  // namespace
}  // namespace getihu::domain
