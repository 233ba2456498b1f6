// The bad inputs every reader must refuse with a clear message and without crashing, one
// test each, through the public entry points (OpenTable / OpenTableFromMemory), plus the
// bounded-memory checks on large inputs.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <random>
#include <string>

#include "base/text.h"
#include "ingest/table_reader.h"
#include "ingest/testing/table_rows.h"
#include "ingest/testing/temp_file.h"
#include "ingest/testing/xlsx_builder.h"

namespace getihu::ingest {
namespace {

using testing::InlineRow;
using testing::ReadTable;
using testing::TempFile;
using testing::XlsxBook;

constexpr std::string_view kCorrupt = "Excel 文件已损坏或不完整";

// The first error met opening and reading all of `bytes`, or "" when there is none.
std::string ErrorOf(std::string bytes, std::string_view name, const ReaderOptions& o = {}) {
  auto t = ReadTable(std::move(bytes), name, o);
  return t.ok() ? "" : t.error().message();
}

bool StartsWith(const std::string& s, std::string_view prefix) { return s.starts_with(prefix); }

std::string SmallXlsx() {
  XlsxBook book;
  std::string rows;
  for (int r = 1; r <= 50; ++r)
    rows += InlineRow(r, {"统一社会信用代码" + std::to_string(r), "名称"});
  book.sheets.push_back({"Sheet1", rows});
  return testing::XlsxBytes(book);
}

// Resident memory of this process, in bytes.
uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

TEST(BadInputTest, EmptyFile) {
  TempFile empty(".csv", "");
  auto reader = OpenTable(empty.path());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().message(), "文件为空");
  EXPECT_EQ(ErrorOf("", "x.xlsx"), "文件为空");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF\r\n", "x.csv"), "文件为空");
}

TEST(BadInputTest, HeaderOnly) {
  auto csv = ReadTable("统一社会信用代码,报告年度\n", "x.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->rows.size(), 1u);
  XlsxBook book;
  book.sheets.push_back({"S", InlineRow(1, {"统一社会信用代码", "报告年度"})});
  auto xlsx = ReadTable(testing::XlsxBytes(book), "x.xlsx");
  ASSERT_TRUE(xlsx.ok());
  EXPECT_EQ(xlsx->rows.size(), 1u);
}

TEST(BadInputTest, WrongEncodingDeclared) {
  auto gb = base::Utf8ToGb18030("统一社会信用代码,名称\n1,花溪\n");
  ASSERT_TRUE(gb.ok());
  std::string error = ErrorOf("\xEF\xBB\xBF" + *gb, "x.csv");
  EXPECT_TRUE(StartsWith(error, "第 1 行不是有效的 UTF-8 编码（文件开头有 UTF-8 标记（BOM））"))
      << error;
}

TEST(BadInputTest, BinaryGarbage) {
  std::mt19937 random(20240601);
  std::string garbage(64 << 10, '\0');
  for (char& c : garbage) c = static_cast<char>(random());
  EXPECT_EQ(ErrorOf(garbage, "x.csv"), "文件含有二进制内容，不是文本文件");
  for (char& c : garbage) c = c == '\0' ? 'x' : c;
  EXPECT_TRUE(StartsWith(ErrorOf(garbage, "x.csv"), "第 1 行不是有效的 GB18030 编码"));
  EXPECT_TRUE(StartsWith(ErrorOf("PK\x03\x04" + garbage, "x.xlsx"), kCorrupt));
}

// A 2 GiB file whose first line never ends: it is refused after reading a few MiB. The
// file is sparse (its tail is a hole), so this costs neither disk nor time.
TEST(BadInputTest, TwoGibSingleLine) {
  TempFile file(".csv", "统一社会信用代码,名称\n" + std::string(6 << 20, 'x'));
  ASSERT_EQ(::truncate(file.path().c_str(), (2LL << 30) + 1), 0);
  auto reader = OpenTable(file.path());
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  RawRow row;
  ASSERT_TRUE(*(*reader)->Next(row));
  auto next = (*reader)->Next(row);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().message(),
            "第 2 行的记录超过上限（1 MiB），可能缺少换行符，或不是 CSV 文件");
  EXPECT_LE((*reader)->bytes_read(), 8u << 20);
}

// A 64 MiB line with a 1 MiB limit: memory and reading stop near the limit.
TEST(BadInputTest, LongLineIsRefusedBeforeTheFileIsRead) {
  TempFile file(".csv", "a,b\n" + std::string(64 << 20, 'y') + "\n1,2\n");
  auto reader = OpenTable(file.path());
  ASSERT_TRUE(reader.ok());
  auto rows = testing::ReadRows(**reader);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(StartsWith(rows.error().message(), "第 2 行的记录超过上限（1 MiB）"));
  EXPECT_LE((*reader)->bytes_read(), 8u << 20);
}

TEST(BadInputTest, UnbalancedQuotes) {
  EXPECT_EQ(ErrorOf("代码,名称\n1,\"花溪\n2,云岩\n", "x.csv"), "第 2 行的引号没有闭合");
  EXPECT_EQ(ErrorOf("代码,名称\n1,\"花\"溪\"\n", "x.csv"),
            "第 2 行第 2 列的引号后面还有其他字符（字段内的引号应写成两个引号 \"\"）");
}

TEST(BadInputTest, TruncatedXlsx) {
  std::string whole = SmallXlsx();
  for (size_t cut : {size_t{4}, size_t{30}, whole.size() / 3, whole.size() / 2, whole.size() - 23,
                     whole.size() - 1}) {
    std::string error = ErrorOf(whole.substr(0, cut), "x.xlsx");
    EXPECT_TRUE(StartsWith(error, kCorrupt)) << cut << ": " << error;
  }
}

TEST(BadInputTest, CorruptXlsxData) {
  std::string bytes = SmallXlsx();
  // Damage the compressed data of the sheet, found through its local file header.
  size_t header = bytes.find("PK\x03\x04", 0);
  for (; header != std::string::npos; header = bytes.find("PK\x03\x04", header + 4)) {
    if (bytes.compare(header + 30, 24, "xl/worksheets/sheet1.xml") == 0) break;
  }
  ASSERT_NE(header, std::string::npos);
  auto u16 = [&](size_t at) { return uint8_t(bytes[at]) | uint8_t(bytes[at + 1]) << 8; };
  size_t data = header + 30 + u16(header + 26) + u16(header + 28);
  for (size_t i = 0; i < 16; ++i) bytes[data + 20 + i] = static_cast<char>(~bytes[data + 20 + i]);
  EXPECT_TRUE(StartsWith(ErrorOf(bytes, "x.xlsx"), kCorrupt));
}

TEST(BadInputTest, ZipBomb) {
  XlsxBook book;
  book.sheets.push_back(
      {"S", InlineRow(1, {"a"}) + std::string(64 << 20, ' ') + InlineRow(2, {"b"})});
  std::string bomb = testing::XlsxBytes(book);
  ASSERT_LT(bomb.size(), 1u << 20);
  auto reader = OpenTableFromMemory(bomb, "bomb.xlsx");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().message(),
            "Excel 文件中的 xl/worksheets/sheet1.xml 的压缩比超过 200:1，"
            "可能是恶意构造的压缩文件（zip 炸弹），已拒绝");
  ReaderOptions o;
  o.max_uncompressed_bytes = 1 << 20;
  o.max_compression_ratio = 1e9;
  EXPECT_EQ(ErrorOf(bomb, "bomb.xlsx", o),
            "Excel 文件中的 xl/worksheets/sheet1.xml 解压后超过上限（1 MiB），"
            "可能是恶意构造的压缩文件（zip 炸弹），已拒绝");
}

// The central directory claims a small size; the bytes actually inflated are what count.
TEST(BadInputTest, ZipBombThatUnderstatesItsSize) {
  XlsxBook book;
  book.sheets.push_back({"S", InlineRow(1, {"a"}) + std::string(16 << 20, ' ')});
  std::string bytes = testing::XlsxBytes(book);
  size_t entry = bytes.find("PK\x01\x02");
  for (; entry != std::string::npos; entry = bytes.find("PK\x01\x02", entry + 4)) {
    if (bytes.compare(entry + 46, 24, "xl/worksheets/sheet1.xml") == 0) break;
  }
  ASSERT_NE(entry, std::string::npos);
  std::memcpy(&bytes[entry + 24], "\x00\x04\x00\x00", 4);  // 1 KiB uncompressed
  EXPECT_EQ(ErrorOf(bytes, "x.xlsx"),
            "Excel 文件已损坏或不完整（xl/worksheets/sheet1.xml 的实际大小与目录记载不符）");
}

// The largest sheet Excel makes is read whole, row by row, in bounded memory.
TEST(BadInputTest, XlsxWithAMillionRows) {
  constexpr int kRows = 1048576;
  std::string sheet_path = testing::TempPath(".xml");
  {
    std::ofstream out(sheet_path, std::ios::binary);
    out << testing::kSheetHead;
    std::string row;
    for (int r = 1; r <= kRows; ++r) {
      std::string n = std::to_string(r);
      row = "<row r=\"" + n + "\"><c r=\"A" + n + "\" t=\"s\"><v>" + std::to_string(r % 3) +
            "</v></c><c r=\"B" + n + "\"><v>" + n + "</v></c><c r=\"C" + n + "\" s=\"1\"><v>" +
            std::to_string(45000 + r % 1000) + "</v></c></row>";
      out << row;
    }
    out << testing::kSheetTail;
  }
  XlsxBook book;
  book.sheets.push_back({"S", "", sheet_path});
  book.shared_strings = {"甲", "乙", "丙"};
  book.styles_xml =
      "<styleSheet><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
      "</styleSheet>";
  TempFile xlsx(".xlsx", "");
  ASSERT_TRUE(testing::WriteZip(xlsx.path(), testing::XlsxParts(book)));
  ::unlink(sheet_path.c_str());

  uint64_t before = ResidentBytes(), peak = before;
  auto reader = OpenTable(xlsx.path());
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  RawRow row;
  int count = 0;
  for (;;) {
    auto more = (*reader)->Next(row);
    ASSERT_TRUE(more.ok()) << more.error().message();
    if (!*more) break;
    if (++count % 65536 == 0) peak = std::max(peak, ResidentBytes());
  }
  EXPECT_EQ(count, kRows);
  EXPECT_EQ(row.line, static_cast<uint64_t>(kRows));
  ASSERT_EQ(row.fields.size(), 3u);
  EXPECT_EQ(row.fields[0], "乙");  // 1048576 % 3 == 1
  EXPECT_EQ(row.fields[1], "1048576");
  EXPECT_EQ(row.fields[2], "2024-10-11");  // serial 45576
  EXPECT_GT((*reader)->bytes_read(), 100u << 20);
  EXPECT_LT(peak - before, 32u << 20) << "memory grew with the sheet";
}

TEST(BadInputTest, FormulasInCells) {
  XlsxBook book;
  book.sheets.push_back({"S", InlineRow(1, {"金额"}) +
                                  "<row r=\"2\"><c r=\"A2\"><f>1+1</f><v>2</v></c></row>"
                                  "<row r=\"3\"><c r=\"A3\"><f>A2*3</f></c></row>"});
  EXPECT_EQ(ErrorOf(testing::XlsxBytes(book), "x.xlsx"),
            "第 3 行第 A 列是没有计算结果的公式，请在 Excel 中将公式转换为数值后再导入");
}

TEST(BadInputTest, FileThatIsNotWhatItsExtensionSays) {
  EXPECT_EQ(
      ErrorOf("a,b\n", "登记.xlsx"),
      "文件扩展名为 .xlsx，但内容不是 Excel 工作簿（.xlsx）；如果是 CSV 文本，请把扩展名改为 .csv");
  EXPECT_EQ(ErrorOf(SmallXlsx(), "登记.csv"),
            "文件扩展名为 .csv，但内容是 Excel 工作簿（.xlsx）或其他压缩文件，不是 CSV 文本");
  EXPECT_EQ(ErrorOf(SmallXlsx(), "登记.xls"),
            "文件扩展名为 .xls，但内容是 .xlsx 格式的工作簿，请把扩展名改为 .xlsx");
  EXPECT_EQ(ErrorOf("<html><table>", "导出.xls"),
            "文件扩展名为 .xls，但内容不是 Excel 工作簿（可能是网页或文本导出的文件）；"
            "请在 Excel 中打开后另存为 .xlsx 或 CSV");
  TempFile renamed(".txt", SmallXlsx());
  auto reader = OpenTable(renamed.path());
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(StartsWith(reader.error().message(), "文件扩展名为 .txt，但内容是 Excel 工作簿"));
}

TEST(BadInputTest, OldXlsWorkbooksAndOtherKindsOfFile) {
  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + std::string(512, '\0');
  EXPECT_EQ(ErrorOf(ole, "登记.xls"), "不支持 .xls 旧格式，请在 Excel 中另存为 .xlsx 或 CSV");
  EXPECT_EQ(ErrorOf(ole, "登记"), "不支持 .xls 旧格式，请在 Excel 中另存为 .xlsx 或 CSV");
  EXPECT_EQ(ErrorOf(ole, "登记.xlsx"),
            "文件扩展名为 .xlsx，但内容是 .xls 旧格式或设置了打开密码的工作簿；请取消密码，"
            "并在 Excel 中另存为 .xlsx 或 CSV");
  EXPECT_EQ(ErrorOf("%PDF-1.7\n", "登记.csv"),
            "文件内容是 PDF 文档，不是 CSV 或 Excel 工作簿（.xlsx）");
}

}  // namespace
}  // namespace getihu::ingest
