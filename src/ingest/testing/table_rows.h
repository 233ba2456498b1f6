// Reads a whole table into memory for tests: every row's line and fields as strings.
#ifndef GETIHU_INGEST_TESTING_TABLE_ROWS_H_
#define GETIHU_INGEST_TESTING_TABLE_ROWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "ingest/table_reader.h"

namespace getihu::ingest::testing {

struct TableRows {
  std::vector<uint64_t> lines;
  std::vector<std::vector<std::string>> rows;
};

// Reads the rest of `reader`; returns its first error.
inline base::Result<TableRows> ReadRows(TableReader& reader) {
  TableRows t;
  RawRow row;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool more, reader.Next(row));
    if (!more) return t;
    t.lines.push_back(row.line);
    t.rows.emplace_back(row.fields.begin(), row.fields.end());
  }
}

// Opens `bytes` (named `name`) and reads all rows.
inline base::Result<TableRows> ReadTable(std::string bytes, std::string_view name,
                                         const ReaderOptions& options = {}) {
  GETIHU_ASSIGN_OR_RETURN(auto reader, OpenTableFromMemory(std::move(bytes), name, options));
  return ReadRows(*reader);
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace getihu::ingest::testing

#endif  // GETIHU_INGEST_TESTING_TABLE_ROWS_H_
