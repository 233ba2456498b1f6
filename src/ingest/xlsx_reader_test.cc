#include "ingest/xlsx_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/testing/table_rows.h"
#include "ingest/testing/xlsx_builder.h"
#include "ingest/xlsx_cell.h"
#include "ingest/xlsx_workbook.h"

namespace getihu::ingest {
namespace {

using testing::InlineRow;
using testing::ReadTable;
using testing::Rows;
using testing::XlsxBook;
using testing::XlsxBytes;

// Cell formats: 0 General, 1 built-in date 14, 2 custom Chinese date, 3 custom "0.00",
// 4 built-in 31 (East Asian date, not declared), 5 custom format with a quoted "d".
constexpr std::string_view kStyles =
    "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/"
    "spreadsheetml/2006/main\"><numFmts count=\"3\">"
    "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"177\" formatCode=\"0.00\"/>"
    "<numFmt numFmtId=\"178\" formatCode=\"0.0&quot;d&quot;\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"176\"/>"
    "<xf numFmtId=\"177\"/><xf numFmtId=\"31\"/><xf numFmtId=\"178\"/></cellXfs></styleSheet>";

std::string Cell(std::string_view ref, std::string_view attrs, std::string_view body) {
  return "<c r=\"" + std::string(ref) + "\"" + std::string(attrs) + ">" + std::string(body) +
         "</c>";
}

XlsxBook WithStyles() {
  XlsxBook book;
  book.styles_xml = kStyles;
  return book;
}

base::Result<testing::TableRows> ReadSheet(std::string rows_xml, XlsxBook book = XlsxBook()) {
  book.sheets.push_back({"Sheet1", std::move(rows_xml)});
  return ReadTable(XlsxBytes(book), "t.xlsx");
}

TEST(XlsxReaderTest, ReadsSharedAndInlineStrings) {
  XlsxBook book;
  book.shared_strings = {"统一社会信用代码", "名称", "A&B <店>"};
  std::string rows = "<row r=\"1\">" + Cell("A1", " t=\"s\"", "<v>0</v>") +
                     Cell("B1", " t=\"s\"", "<v>1</v>") + "</row><row r=\"2\">" +
                     Cell("A2", " t=\"inlineStr\"",
                          "<is><r><t>富文本</t></r><r><t xml:space=\"preserve\"> 拼接</t></r>"
                          "<rPh><t>ふりがな</t></rPh></is>") +
                     Cell("B2", " t=\"s\"", "<v>2</v>") + "</row>";
  auto t = ReadSheet(rows, book);
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"统一社会信用代码", "名称"}, {"富文本 拼接", "A&B <店>"}}));
}

TEST(XlsxReaderTest, WritesNumbersAsExcelShowsThem) {
  std::string rows =
      "<row r=\"1\">" + Cell("A1", "", "<v>42</v>") + Cell("B1", "", "<v>1234.5</v>") +
      Cell("C1", "", "<v>0.30000000000000004</v>") + Cell("D1", "", "<v>110.00000000000001</v>") +
      Cell("E1", "", "<v>-0</v>") + Cell("F1", "", "<v>1.5E-3</v>") +
      Cell("G1", " t=\"n\"", "<v>1E+20</v>") + Cell("H1", " s=\"3\"", "<v>7</v>") + "</row>";
  auto t = ReadSheet(rows, WithStyles());
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"42", "1234.5", "0.3", "110", "0", "0.0015", "1e+20", "7"}}));
}

TEST(XlsxReaderTest, NumbersWithDateFormatsBecomeIsoDates) {
  std::string rows = "<row r=\"1\">" + Cell("A1", " s=\"1\"", "<v>45292</v>") +
                     Cell("B1", " s=\"2\"", "<v>45292.75</v>") +
                     Cell("C1", " s=\"4\"", "<v>1</v>") + Cell("D1", " s=\"5\"", "<v>45292</v>") +
                     Cell("E1", " s=\"1\"", "<v>0.5</v>") +
                     Cell("F1", " s=\"99\"", "<v>45292</v>") + "</row>";
  auto t = ReadSheet(rows, WithStyles());
  ASSERT_TRUE(t.ok()) << t.error().message();
  // A quoted "d" is text, not a day; a time-only value stays a number; an unknown style is General.
  EXPECT_EQ(t->rows, (Rows{{"2024-01-01", "2024-01-01", "1900-01-01", "45292", "0.5", "45292"}}));
}

TEST(XlsxReaderTest, SparseCellsLandInTheirColumnsAndEmptyRowsAreSkipped) {
  std::string rows = "<row r=\"1\">" + Cell("A1", " t=\"inlineStr\"", "<is><t>a</t></is>") +
                     Cell("C1", " t=\"inlineStr\"", "<is><t>c</t></is>") + "</row>" +
                     "<row r=\"3\"><c r=\"A3\" s=\"1\"/><c r=\"B3\" t=\"inlineStr\"><is><t></t>"
                     "</is></c></row>" +
                     "<row r=\"7\"><c t=\"inlineStr\"><is><t>x</t></is></c><c><v>2</v></c>"
                     "<c r=\"E7\"><v>5</v></c></row><row><c><v>9</v></c></row>";
  auto t = ReadSheet(rows);
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"a", "", "c"}, {"x", "2", "", "", "5"}, {"9"}}));
  EXPECT_EQ(t->lines, (std::vector<uint64_t>{1, 7, 8}));
}

TEST(XlsxReaderTest, ReadsBooleansErrorsFormulaStringsAndIsoDates) {
  std::string rows = "<row r=\"1\">" + Cell("A1", " t=\"b\"", "<v>1</v>") +
                     Cell("B1", " t=\"b\"", "<v>0</v>") + Cell("C1", " t=\"e\"", "<v>#N/A</v>") +
                     Cell("D1", " t=\"str\"", "<f>A1&amp;\"x\"</f><v>TRUEx</v>") +
                     Cell("E1", " t=\"d\"", "<v>2024-03-05T00:00:00</v>") + "</row>";
  auto t = ReadSheet(rows);
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"TRUE", "FALSE", "#N/A", "TRUEx", "2024-03-05"}}));
}

TEST(XlsxReaderTest, FormulasGiveTheirCachedValue) {
  std::string rows = InlineRow(1, {"金额", "合计"}) + "<row r=\"2\">" +
                     Cell("A2", "", "<v>1.5</v>") + Cell("B2", "", "<f>A2*2</f><v>3</v>") +
                     Cell("C2", "", "<f t=\"shared\" ref=\"C2:C3\" si=\"0\">A2</f><v>1.5</v>") +
                     "</row>";
  auto t = ReadSheet(rows);
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"金额", "合计"}, {"1.5", "3", "1.5"}}));
}

TEST(XlsxReaderTest, FormulaWithoutCachedValueRefusesTheFile) {
  std::string rows = InlineRow(1, {"金额", "合计"}) + "<row r=\"3\">" + Cell("A3", "", "<v>1</v>") +
                     Cell("B3", "", "<f>SUM(A1:A3)</f>") + "</row>";
  auto t = ReadSheet(rows);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(),
            "第 3 行第 B 列是没有计算结果的公式，请在 Excel 中将公式转换为数值后再导入");
}

TEST(XlsxReaderTest, ReadsTheFirstVisibleSheetOrTheNamedOne) {
  XlsxBook book;
  book.sheets = {{"隐藏", InlineRow(1, {"hidden"}), "", true},
                 {"登记", InlineRow(1, {"first"})},
                 {"年报", InlineRow(1, {"second"})}};
  auto t = ReadTable(XlsxBytes(book), "t.xlsx");
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"first"}}));
  ReaderOptions o;
  o.sheet = " 年报 ";
  t = ReadTable(XlsxBytes(book), "t.xlsx", o);
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"second"}}));
  o.sheet = "纳税";
  t = ReadTable(XlsxBytes(book), "t.xlsx", o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "工作簿中没有名为“纳税”的工作表（现有：隐藏、登记、年报）");
}

TEST(XlsxReaderTest, UnderstandsPrefixedSpreadsheetMl) {
  XlsxBook book;
  book.sheets.push_back({"S", ""});
  auto parts = testing::XlsxParts(book);
  parts[2].content =
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:sheetData><x:row r=\"2\"><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>ok</x:t></x:is>"
      "</x:c></x:row></x:sheetData></x:worksheet>";
  auto t = ReadTable(testing::ZipBytes(parts), "t.xlsx");
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"", "ok"}}));
  EXPECT_EQ(t->lines, (std::vector<uint64_t>{2}));
}

TEST(XlsxReaderTest, EmptySheetIsAnEmptyFile) {
  auto t = ReadSheet("<row r=\"1\"><c r=\"A1\" s=\"1\"/></row>");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "文件为空（工作表“Sheet1”没有数据）");
}

TEST(XlsxReaderTest, HeaderOnlyGivesOneRow) {
  auto t = ReadSheet(InlineRow(1, {"统一社会信用代码", "报告年度"}));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, (Rows{{"统一社会信用代码", "报告年度"}}));
}

TEST(XlsxReaderTest, RefusesBadReferencesAndMalformedXml) {
  auto t = ReadSheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(),
            "Excel 文件已损坏或不完整（第 1 行第 A 列引用了不存在的共享字符串）");
  t = ReadSheet("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "Excel 文件已损坏或不完整（第 1 行有无效的单元格引用）");
  t = ReadSheet("<row r=\"1\"><c r=\"A1\"><v>1</v></row>");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message().rfind("Excel 文件已损坏或不完整（xl/worksheets/sheet1.xml 第 ", 0),
            0u);
}

TEST(XlsxReaderTest, RefusesARowLongerThanTheLimit) {
  XlsxBook book;
  book.sheets.push_back({"S", InlineRow(1, {"ab", "cd"}) +
                                  InlineRow(2, {std::string(40, 'x'), std::string(40, 'y')})});
  ReaderOptions o;
  o.max_record_bytes = 64;
  auto t = ReadTable(XlsxBytes(book), "t.xlsx", o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "第 2 行的内容超过上限（64 字节）");
  std::string cells;
  for (int i = 0; i <= kMaxXlsxColumn + 1; ++i) cells += "<c r=\"A1\"><v>1</v></c>";
  t = ReadSheet("<row r=\"1\">" + cells + "</row>");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "Excel 文件已损坏或不完整（第 1 行的单元格超过 16384 个）");
}

TEST(XlsxReaderTest, RefusesDoctypeDeclarations) {
  XlsxBook book;
  book.sheets.push_back({"S", ""});
  auto parts = testing::XlsxParts(book);
  parts[2].content = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaa\">]><worksheet/>";
  auto t = ReadTable(testing::ZipBytes(parts), "t.xlsx");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "Excel 文件已损坏或不完整（含有不允许的 DOCTYPE 声明）");
}

TEST(XlsxReaderTest, ZipThatIsNotAWorkbookIsRefused) {
  std::string docx = testing::ZipBytes(
      {{"[Content_Types].xml", "<Types/>"},
       {"_rels/.rels",
        "<Relationships><Relationship Id=\"r\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
        "</Relationships>"},
       {"word/document.xml", "<document/>"}});
  auto t = ReadTable(docx, "报表.xlsx");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message(), "文件是 zip 压缩包，但不是 Excel 工作簿（.xlsx）");
}

TEST(XlsxCellTest, ConvertsColumnReferences) {
  EXPECT_EQ(ColumnFromRef("A1"), 0);
  EXPECT_EQ(ColumnFromRef("c7"), 2);
  EXPECT_EQ(ColumnFromRef("AB12"), 27);
  EXPECT_EQ(ColumnFromRef("XFD1048576"), kMaxXlsxColumn);
  EXPECT_EQ(ColumnFromRef("XFE1"), -1);
  EXPECT_EQ(ColumnFromRef("ABCD1"), -1);
  EXPECT_EQ(ColumnFromRef("1"), -1);
  EXPECT_EQ(ColumnFromRef("A-1"), -1);
  EXPECT_EQ(ColumnName(0), "A");
  EXPECT_EQ(ColumnName(27), "AB");
  EXPECT_EQ(ColumnName(kMaxXlsxColumn), "XFD");
}

TEST(XlsxCellTest, RecognisesDateFormats) {
  EXPECT_TRUE(IsDateFormatCode("yyyy-mm-dd"));
  EXPECT_TRUE(IsDateFormatCode("[$-804]yyyy\"年\"m\"月\"d\"日\";@"));
  EXPECT_TRUE(IsDateFormatCode("h:mm:ss"));
  EXPECT_FALSE(IsDateFormatCode("General"));
  EXPECT_FALSE(IsDateFormatCode("#,##0.00_);[Red]\\(#,##0.00\\)"));
  EXPECT_FALSE(IsDateFormatCode("0.00\"元/d\""));
  EXPECT_FALSE(IsDateFormatCode("0.00E+00"));
  EXPECT_TRUE(IsBuiltinDateFormat(14));
  EXPECT_TRUE(IsBuiltinDateFormat(31));
  EXPECT_FALSE(IsBuiltinDateFormat(2));
  EXPECT_FALSE(IsBuiltinDateFormat(49));
}

TEST(XlsxCellTest, DecodesOoxmlEscapes) {
  std::string s = "a_x000D_b_x0041__x005F_x_xZZZZ_";
  s.resize(DecodeOoxmlEscapes(s.data(), s.size()));
  EXPECT_EQ(s, "a\rbA_x_xZZZZ_");
}

}  // namespace
}  // namespace getihu::ingest
