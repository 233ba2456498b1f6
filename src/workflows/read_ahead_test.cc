#include "workflows/read_ahead.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/uscc.h"
#include "ingest/feed_layout.h"
#include "ingest/field_parser.h"
#include "ingest/header_matcher.h"

namespace getihu::workflows {
namespace {

class ReadAheadTest : public ::testing::Test {
 protected:
  ReadAheadTest() : parser_(*base::Date::Parse("2026-07-01"), domain::RegionTable::Builtin()) {}

  // A tax file of `rows` rows after its header: every 7th row has a bad amount.
  std::string TaxFile(int rows) {
    std::string csv = "统一社会信用代码,所属年度,实缴税额(元),纳税信用等级\n";
    domain::UsccGenerator gen("500113");
    for (int i = 0; i < rows; ++i) {
      csv += gen.Generate(static_cast<uint64_t>(i + 1)) + ",2025," +
             (i % 7 == 3 ? std::string("abc") : std::to_string(i)) + ",B\n";
    }
    return csv;
  }

  std::unique_ptr<ingest::TableReader> Open(std::string bytes) {
    auto reader = ingest::OpenTableFromMemory(std::move(bytes), "tax.csv");
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    ingest::RawRow header;
    EXPECT_TRUE((*reader)->Next(header).ok());
    auto columns = ingest::MatchHeader(*ingest::FindFeed("tax"), header.fields);
    EXPECT_TRUE(columns.ok()) << columns.status().ToString();
    columns_ = columns->columns;
    return std::move(*reader);
  }

  ingest::FieldParser parser_;
  std::vector<int> columns_;
};

TEST_F(ReadAheadTest, GivesEveryRowInFileOrderWithItsCellsAndVerdict) {
  constexpr int kRows = 5000;  // several blocks
  std::unique_ptr<ingest::TableReader> reader = Open(TaxFile(kRows));
  ingest::RowValidator validator(*ingest::FindFeed("tax"), columns_, parser_);
  ReadAhead rows(*reader, validator);
  ReadAhead::Row row;
  domain::UsccGenerator gen("500113");
  for (int i = 0; i < kRows; ++i) {
    base::Result<bool> more = rows.Next(row);
    ASSERT_TRUE(more.ok() && *more) << i;
    EXPECT_EQ(row.line, static_cast<uint64_t>(i + 2));
    ASSERT_EQ(row.cells.size(), 4u);
    EXPECT_EQ(row.cells[0], gen.Generate(static_cast<uint64_t>(i + 1)));
    if (i % 7 == 3) {
      ASSERT_EQ(row.valid, nullptr) << i;
      EXPECT_EQ(row.issue->reason, "invalid_amount");
      EXPECT_EQ(row.issue->line, row.line);
      EXPECT_EQ(row.cells[2], "abc");
    } else {
      ASSERT_NE(row.valid, nullptr) << i;
      EXPECT_EQ(row.valid->values[2].number, i * 100);  // yuan to fen
      EXPECT_EQ(row.cells[2], std::to_string(i));
    }
  }
  base::Result<bool> more = rows.Next(row);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
  EXPECT_FALSE(*rows.Next(row));  // and stays at the end
}

TEST_F(ReadAheadTest, ReportsTheReadersErrorAfterTheRowsBeforeIt) {
  std::string csv = TaxFile(3000);
  csv += "\"unterminated,2025,1,B\n";
  std::unique_ptr<ingest::TableReader> reader = Open(csv);
  ingest::RowValidator validator(*ingest::FindFeed("tax"), columns_, parser_);
  ReadAhead rows(*reader, validator);
  ReadAhead::Row row;
  int seen = 0;
  base::Result<bool> more = true;
  while ((more = rows.Next(row)).ok() && *more) ++seen;
  EXPECT_EQ(seen, 3000);
  ASSERT_FALSE(more.ok());
  EXPECT_NE(more.status().message().find("3002"), std::string::npos) << more.status().ToString();
}

TEST_F(ReadAheadTest, StopsWhenLeftEarly) {
  std::unique_ptr<ingest::TableReader> reader = Open(TaxFile(50000));
  ingest::RowValidator validator(*ingest::FindFeed("tax"), columns_, parser_);
  {
    ReadAhead rows(*reader, validator);
    ReadAhead::Row row;
    ASSERT_TRUE(*rows.Next(row));
  }  // the thread stops although most of the file is unread
  SUCCEED();
}

}  // namespace
}  // namespace getihu::workflows
