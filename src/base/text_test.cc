#include "base/text.h"

#include <gtest/gtest.h>

namespace getihu::base {
namespace {

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("个体工商户 abc"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));          // cut off
  EXPECT_TRUE(IsValidUtf8("\xE4\xB8", /*allow_truncated_tail=*/true));
}

TEST(TextTest, DetectsBomUtf8AndGb18030) {
  std::string utf8 = "统一社会信用代码,名称\n";
  auto gb = Utf8ToGb18030(utf8);
  ASSERT_TRUE(gb.ok());
  EXPECT_NE(*gb, utf8);
  EXPECT_EQ(DetectEncoding(utf8), Encoding::kUtf8);
  EXPECT_EQ(DetectEncoding("\xEF\xBB\xBF" + utf8), Encoding::kUtf8Bom);
  EXPECT_EQ(DetectEncoding(*gb), Encoding::kGb18030);
}

TEST(TextTest, DecodesEachEncodingToTheSameText) {
  std::string utf8 = "经营者,花溪街道,￥1,234\n";
  EXPECT_EQ(*DecodeToUtf8(utf8, Encoding::kUtf8), utf8);
  EXPECT_EQ(*DecodeToUtf8("\xEF\xBB\xBF" + utf8, Encoding::kUtf8Bom), utf8);
  EXPECT_EQ(*DecodeToUtf8(*Utf8ToGb18030(utf8), Encoding::kGb18030), utf8);
}

TEST(TextTest, ReportsTheOffsetOfBadGb18030) {
  auto r = Gb18030ToUtf8(std::string("ab\x81", 3));  // lead byte without a trail
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("字节"), std::string::npos);
}

TEST(TextTest, FoldsFullWidthCharacters) {
  EXPECT_EQ(FoldFullWidth("ＡＢＣ１２３（注）"), "ABC123(注)");
  EXPECT_EQ(FoldFullWidth("名称\xE3\x80\x80"), "名称 ");
  EXPECT_EQ(TrimSpaces("\xE3\x80\x80 名称\t"), "名称");
  EXPECT_EQ(Utf8Length("个体a"), 3u);
}

TEST(TextTest, MeasuresDisplayWidth) {
  EXPECT_EQ(DisplayWidth("年度报告"), 8u);
  EXPECT_EQ(DisplayWidth("tax 2025"), 8u);
  EXPECT_EQ(PadRight("纳税", 6), "纳税  ");
  EXPECT_EQ(PadRight("abcdef", 3), "abcdef");
}

}  // namespace
}  // namespace getihu::base
