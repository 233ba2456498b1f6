// Writes a table (a header row, then data rows of text) to a file people open in Excel:
// CSV (UTF-8 with a BOM, RFC 4180) or .xlsx (one worksheet, written streaming with constant
// memory), chosen by the file extension. Used for rejects reports and list exports.
// Not thread-safe.
#ifndef GETIHU_INGEST_TABLE_WRITER_H_
#define GETIHU_INGEST_TABLE_WRITER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::ingest {

class TableWriter {
 public:
  virtual ~TableWriter() = default;
  // Appends one row; cells are UTF-8. ResourceExhausted past the format's row limit (.xlsx:
  // 1,048,576 rows), Unavailable when the file cannot be written.
  virtual base::Status AddRow(std::span<const std::string_view> cells) = 0;
  // Finishes the file. Must be called once; the file is incomplete until it returns OK.
  virtual base::Status Close() = 0;
};

// Creates `path` (replacing it): ".xlsx" → a workbook with one sheet named `sheet`,
// anything else → CSV with a BOM. Unavailable (Chinese) when it cannot be created.
base::Result<std::unique_ptr<TableWriter>> CreateTableWriter(const std::string& path,
                                                             std::string_view sheet = "Sheet1");

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_TABLE_WRITER_H_
