#include "ingest/csv_writer.h"

#include <gtest/gtest.h>

namespace getihu::ingest {
namespace {

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  std::string out;
  CsvWriter w(out);
  w.Field("花溪街道");
  w.Field("A,B店");
  w.Field("他说\"好\"");
  w.Field("第一行\n第二行");
  w.Field(int64_t{-42});
  w.Empty();
  w.EndRow();
  w.Field("x");
  w.EndRow();
  EXPECT_EQ(out, "花溪街道,\"A,B店\",\"他说\"\"好\"\"\",\"第一行\n第二行\",-42,\r\nx\r\n");
}

}  // namespace
}  // namespace getihu::ingest
