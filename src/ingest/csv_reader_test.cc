#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "base/text.h"
#include "ingest/testing/table_rows.h"

namespace getihu::ingest {
namespace {

using testing::ReadRows;
using testing::Rows;
using testing::TableRows;

base::Result<TableRows> ReadCsv(std::string bytes, ReaderOptions options = {}) {
  GETIHU_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(MemorySource(std::move(bytes)), options));
  return ReadRows(*reader);
}

ReaderOptions Chunked(size_t chunk_bytes) {
  ReaderOptions o;
  o.chunk_bytes = chunk_bytes;
  return o;
}

std::string ErrorOf(std::string bytes, ReaderOptions options = {}) {
  auto t = ReadCsv(std::move(bytes), options);
  return t.ok() ? "" : t.error().message();
}

TEST(CsvReaderTest, ReadsRecordsWithLfOrCrlf) {
  for (std::string eol : {"\n", "\r\n"}) {
    auto t = ReadCsv("代码,名称" + eol + "1,花溪" + eol + "2," + eol);
    ASSERT_TRUE(t.ok()) << t.error().message();
    EXPECT_EQ(t->rows, (Rows{{"代码", "名称"}, {"1", "花溪"}, {"2", ""}}));
    EXPECT_EQ(t->lines, (std::vector<uint64_t>{1, 2, 3}));
  }
}

TEST(CsvReaderTest, QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks) {
  auto t = ReadCsv("a,b\r\n\"x,y\",\"他说\"\"好\"\"\"\r\n\"第一行\r\n第二行\",z\r\nlast,\"\"\r\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows,
            (Rows{{"a", "b"}, {"x,y", "他说\"好\""}, {"第一行\r\n第二行", "z"}, {"last", ""}}));
  // A record's line is where it starts; embedded line breaks move the next one down.
  EXPECT_EQ(t->lines, (std::vector<uint64_t>{1, 2, 3, 5}));
}

TEST(CsvReaderTest, BlankLinesAndEmptyRowsAreSkippedButCounted) {
  auto t = ReadCsv("h1,h2\n\n,\n\"\",\nv1,v2\n\n\n");
  ASSERT_TRUE(t.ok()) << t.error().message();
  EXPECT_EQ(t->rows, (Rows{{"h1", "h2"}, {"v1", "v2"}}));
  EXPECT_EQ(t->lines, (std::vector<uint64_t>{1, 5}));
}

TEST(CsvReaderTest, LastRecordMayLackALineBreak) {
  auto t = ReadCsv("a,b\nc,\"d\"");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, (Rows{{"a", "b"}, {"c", "d"}}));
  t = ReadCsv("a,b\nc,");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, (Rows{{"a", "b"}, {"c", ""}}));
}

TEST(CsvReaderTest, KeepsQuotesInsideUnquotedFieldsAndLoneCarriageReturns) {
  auto t = ReadCsv("a\"b,c\rd\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, (Rows{{"a\"b", "c\rd"}}));
}

TEST(CsvReaderTest, DropsTheUtf8ByteOrderMark) {
  auto reader = CsvReader::Open(MemorySource("\xEF\xBB\xBF统一社会信用代码,名称\n"), {});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->encoding(), "UTF-8 (BOM)");
  RawRow row;
  ASSERT_TRUE(*(*reader)->Next(row));
  EXPECT_EQ(row.fields[0], "统一社会信用代码");
}

// The same text cut into every chunk size from 16 bytes up reads the same, so multibyte
// characters, doubled quotes, CRLF pairs and records all cross chunk boundaries.
TEST(CsvReaderTest, ChunkBoundariesDoNotChangeTheResult) {
  std::string text =
      "统一社会信用代码,名称,备注\r\n"
      "92520102MA6DKXYZ1A,\"花溪区“老王”米粉店\",\"有\"\"引号\"\"\r\n和换行\"\r\n"
      "92520102MA6DKXYZ2B,云岩区𠮷野家,\r\n"
      "92520102MA6DKXYZ3C,\"全角，逗号\",最后一行";
  Rows expected = {{"统一社会信用代码", "名称", "备注"},
                   {"92520102MA6DKXYZ1A", "花溪区“老王”米粉店", "有\"引号\"\r\n和换行"},
                   {"92520102MA6DKXYZ2B", "云岩区𠮷野家", ""},
                   {"92520102MA6DKXYZ3C", "全角，逗号", "最后一行"}};
  auto gb = base::Utf8ToGb18030(text);
  ASSERT_TRUE(gb.ok());
  for (size_t chunk = 16; chunk <= 64; ++chunk) {
    auto utf8 = ReadCsv(text, Chunked(chunk));
    ASSERT_TRUE(utf8.ok()) << chunk << " " << utf8.error().message();
    EXPECT_EQ(utf8->rows, expected) << "UTF-8, chunk " << chunk;
    EXPECT_EQ(utf8->lines, (std::vector<uint64_t>{1, 2, 4, 5})) << chunk;
    auto reader = CsvReader::Open(MemorySource(*gb), Chunked(chunk));
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->encoding(), "GB18030");
    auto decoded = ReadRows(**reader);
    ASSERT_TRUE(decoded.ok()) << chunk << " " << decoded.error().message();
    EXPECT_EQ(decoded->rows, expected) << "GB18030, chunk " << chunk;
  }
}

TEST(CsvReaderTest, UnclosedQuoteNamesTheLineWhereItOpened) {
  EXPECT_EQ(ErrorOf("a,b\nc,\"d\ne\nf,g\n"), "第 2 行的引号没有闭合");
  EXPECT_EQ(ErrorOf("a,b\n\"x\ny\",\"open\nrest"), "第 3 行的引号没有闭合");
  EXPECT_EQ(ErrorOf("a,b\nc,\"d\ne\nf,g\n", Chunked(16)), "第 2 行的引号没有闭合");
}

TEST(CsvReaderTest, RefusesTextAfterAClosingQuote) {
  EXPECT_EQ(ErrorOf("a,b\n\"x\"y,z\n"),
            "第 2 行第 1 列的引号后面还有其他字符（字段内的引号应写成两个引号 \"\"）");
}

TEST(CsvReaderTest, RefusesNulBytesAsBinaryContent) {
  EXPECT_EQ(ErrorOf(std::string("a,b\n\0\x01\x02", 7)), "文件含有二进制内容，不是文本文件");
  std::string late = "a,b\n" + std::string(40, 'x') + "\n1,2\n" + std::string("\0", 1);
  EXPECT_EQ(ErrorOf(late, Chunked(16)), "第 4 行含有二进制内容（NUL 字节），不是文本文件");
}

TEST(CsvReaderTest, InvalidUtf8LaterInTheFileNamesTheLine) {
  auto gb = base::Utf8ToGb18030("花溪");
  ASSERT_TRUE(gb.ok());
  std::string text = "代码,名称\n1,a\n2,b\n3," + *gb + "\n";
  EXPECT_EQ(ErrorOf(text, Chunked(16)),
            "第 4 行不是有效的 UTF-8 编码（文件开头按 UTF-8 编码识别）；"
            "请把整个文件统一保存为 UTF-8 或 GB18030 编码");
}

TEST(CsvReaderTest, ByteOrderMarkOverGb18030TextIsAWrongDeclaredEncoding) {
  auto gb = base::Utf8ToGb18030("代码,名称\n1,花溪\n");
  ASSERT_TRUE(gb.ok());
  std::string error = ErrorOf("\xEF\xBB\xBF" + *gb);
  EXPECT_NE(error.find("第 1 行不是有效的 UTF-8 编码（文件开头有 UTF-8 标记（BOM））"),
            std::string::npos)
      << error;
}

TEST(CsvReaderTest, InvalidGb18030NamesTheLine) {
  auto gb = base::Utf8ToGb18030("代码,名称\n1,花溪\n");
  ASSERT_TRUE(gb.ok());
  std::string error = ErrorOf(*gb + "2,\x81\x20\n");
  EXPECT_EQ(error.rfind("第 3 行不是有效的 GB18030 编码", 0), 0u) << error;
}

TEST(CsvReaderTest, RefusesACharacterCutOffAtTheEnd) {
  EXPECT_EQ(ErrorOf("a,b\nc,\xE8\x8A"), "第 2 行末尾的字符不完整，不是有效的 UTF-8 编码");
}

TEST(CsvReaderTest, RefusesUtf16Files) {
  EXPECT_NE(ErrorOf(std::string("\xFF\xFE"
                                "a\0,\0b\0",
                                8))
                .find("UTF-16"),
            std::string::npos);
}

TEST(CsvReaderTest, EmptyInputIsRefusedOnFirstRead) {
  EXPECT_EQ(ErrorOf(""), "文件为空");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF"), "文件为空");
  EXPECT_EQ(ErrorOf("\r\n\n,,\n"), "文件为空");
}

TEST(CsvReaderTest, HeaderOnlyGivesOneRow) {
  auto t = ReadCsv("统一社会信用代码,报告年度\r\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows, (Rows{{"统一社会信用代码", "报告年度"}}));
}

TEST(CsvReaderTest, RefusesARecordLongerThanTheLimit) {
  ReaderOptions o;
  o.max_record_bytes = 64;
  EXPECT_TRUE(ReadCsv("a,b\n" + std::string(60, 'x') + "\n", o).ok());
  EXPECT_EQ(ErrorOf("a,b\n" + std::string(100, 'x') + "\n", o),
            "第 2 行的记录超过上限（64 字节），可能缺少换行符，或不是 CSV 文件");
  EXPECT_EQ(ErrorOf("a,b\n\"" + std::string(100, 'x') + "\n", o),
            "第 2 行的引号没有闭合（引号内的内容已超过 64 字节）");
  o.chunk_bytes = 16;  // the same when the record arrives in pieces
  EXPECT_EQ(ErrorOf("a,b\n" + std::string(100, 'x') + "\n", o),
            "第 2 行的记录超过上限（64 字节），可能缺少换行符，或不是 CSV 文件");
}

}  // namespace
}  // namespace getihu::ingest
