#include "ingest/table_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "base/text.h"
#include "ingest/header_matcher.h"
#include "ingest/testing/table_rows.h"
#include "ingest/testing/xlsx_builder.h"

namespace getihu::ingest {
namespace {

using testing::InlineRow;
using testing::ReadTable;
using testing::Rows;
using testing::TempFile;

std::string SmallXlsx() {
  testing::XlsxBook book;
  book.sheets.push_back({"Sheet1", InlineRow(1, {"统一社会信用代码", "名称"})});
  return testing::XlsxBytes(book);
}

TEST(TableReaderTest, DetectsTheFormatFromTheContent) {
  auto csv = OpenTableFromMemory("a,b\n", "data");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ((*csv)->format(), "CSV");
  EXPECT_EQ((*csv)->encoding(), "UTF-8");
  auto xlsx = OpenTableFromMemory(SmallXlsx(), "");
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().message();
  EXPECT_EQ((*xlsx)->format(), "XLSX");
  EXPECT_EQ((*xlsx)->encoding(), "");
}

TEST(TableReaderTest, OpensFilesByPath) {
  const std::string text = "统一社会信用代码,名称\r\n92520102MA6DKXYZ1A,花溪\r\n";
  TempFile csv(".csv", text);
  auto reader = OpenTable(csv.path());
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  auto rows = testing::ReadRows(**reader);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows, (Rows{{"统一社会信用代码", "名称"}, {"92520102MA6DKXYZ1A", "花溪"}}));
  EXPECT_EQ((*reader)->bytes_read(), text.size());

  TempFile xlsx(".XLSX", SmallXlsx());
  reader = OpenTable(xlsx.path());
  ASSERT_TRUE(reader.ok()) << reader.error().message();
  rows = testing::ReadRows(**reader);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->rows, (Rows{{"统一社会信用代码", "名称"}}));
  EXPECT_GT((*reader)->bytes_read(), 0u);
}

TEST(TableReaderTest, MissingFileIsNotFound) {
  auto reader = OpenTable("/nonexistent/registration.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.error().code(), base::StatusCode::kNotFound);
  EXPECT_EQ(reader.error().message(), "文件不存在：/nonexistent/registration.csv");
}

TEST(TableReaderTest, FormatsByteCounts) {
  EXPECT_EQ(FormatBytes(1 << 20), "1 MiB");
  EXPECT_EQ(FormatBytes(8ULL << 30), "8 GiB");
  EXPECT_EQ(FormatBytes(64 << 10), "64 KiB");
  EXPECT_EQ(FormatBytes(100), "100 字节");
}

// Reads what `getihu gen` writes, when the command has been built in this build tree.
TEST(TableReaderTest, ReadsTheFilesGetihuGenWrites) {
  std::string getihu = std::string(GETIHU_BINARY_DIR) + "/getihu";
  if (!std::filesystem::exists(getihu)) GTEST_SKIP() << "getihu not built";
  std::string dir = testing::TempPath("-gen");
  std::string command = getihu + " gen --households 200 --out " + dir + " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (const FeedLayout& feed : AllFeeds()) {
    std::string path = dir + "/" + std::string(feed.name) + ".csv";
    if (!std::filesystem::exists(path)) continue;
    auto reader = OpenTable(path);
    ASSERT_TRUE(reader.ok()) << path << " " << reader.error().message();
    RawRow row;
    ASSERT_TRUE(*(*reader)->Next(row)) << path;
    auto map = MatchHeader(feed, row.fields);
    ASSERT_TRUE(map.ok()) << path << " " << map.error().message();
    EXPECT_EQ(DetectFeeds(row.fields).front(), &feed) << path;
    auto rows = testing::ReadRows(**reader);
    ASSERT_TRUE(rows.ok()) << path << " " << rows.error().message();
    if (feed.name == "tax") {
      EXPECT_EQ((*reader)->encoding(), "GB18030");
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace getihu::ingest
