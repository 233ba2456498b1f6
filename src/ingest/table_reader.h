// The common interface of the department-file readers (CSV and .xlsx): a file is a table
// read row by row, streaming, with memory bounded whatever the file size. The format is
// decided by the content, not the extension; a disagreement between the two refuses the
// file. A reader is not thread-safe; use one per thread.
#ifndef GETIHU_INGEST_TABLE_READER_H_
#define GETIHU_INGEST_TABLE_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace getihu::ingest {

// One row of a table, as text. `fields` are valid UTF-8 views into the reader's buffers,
// valid until the next call to Next() on the same reader.
struct RawRow {
  // 1-based line of the file: for CSV the physical line where the record starts, for
  // .xlsx the sheet row number. Used in every message about the row.
  uint64_t line = 0;
  std::vector<std::string_view> fields;
};

class TableReader {
 public:
  virtual ~TableReader();

  // Reads the next non-empty row into `row` (rows whose fields are all empty are skipped,
  // their lines still counted). Returns false at the end of the table. The first call
  // fails with "文件为空" when the table holds no non-empty row. Any error (bad encoding,
  // corrupt file, a limit hit) refuses the whole file: its message is in Chinese and
  // names the line; the reader must not be used afterwards.
  virtual base::Result<bool> Next(RawRow& row) = 0;

  // "CSV" or "XLSX".
  virtual std::string_view format() const = 0;
  // "UTF-8", "UTF-8 (BOM)" or "GB18030" for CSV; "" for .xlsx.
  virtual std::string_view encoding() const = 0;
  // Bytes taken from the file so far (for CSV the raw bytes read; for .xlsx the
  // uncompressed bytes of the parts read). For progress reporting and limit checks.
  virtual uint64_t bytes_read() const = 0;
};

struct ReaderOptions {
  // .xlsx: the name of the sheet to read; empty reads the first worksheet.
  std::string sheet;
  // The longest record accepted, in bytes of UTF-8 text (CSV: the record with its line
  // end; .xlsx: the text of all cells of a row). A longer one refuses the file without
  // reading further.
  size_t max_record_bytes = 1 << 20;
  // .xlsx: the most uncompressed bytes read from the archive, all parts together.
  uint64_t max_uncompressed_bytes = 8ULL << 30;
  // .xlsx: the highest compression ratio accepted for a part larger than
  // `compression_ratio_floor` uncompressed bytes (zip-bomb guard).
  double max_compression_ratio = 200;
  uint64_t compression_ratio_floor = 1 << 20;
  // CSV: how many bytes are read from the file at a time. Small enough that a chunk is
  // still in the CPU cache when it is parsed; tests make it tiny to put multibyte
  // characters and records across chunk boundaries.
  size_t chunk_bytes = 256 << 10;
};

// Opens the file at `path` as a table. Returns NotFound / PermissionDenied when it cannot
// be opened, InvalidArgument when it is empty ("文件为空"), an old .xls workbook, another
// kind of file, or when its extension (.csv/.txt, .xlsx/.xlsm, .xls) disagrees with its
// content, and the errors of the CSV and .xlsx readers' Open.
base::Result<std::unique_ptr<TableReader>> OpenTable(const std::string& path,
                                                     const ReaderOptions& options = {});

// Like OpenTable, over bytes already in memory (uploads, tests, fuzzing). `name` is the
// file name the bytes came with; only its extension is used, to check against the
// content ("" checks nothing).
base::Result<std::unique_ptr<TableReader>> OpenTableFromMemory(std::string bytes,
                                                               std::string_view name,
                                                               const ReaderOptions& options = {});

// Formats a byte count for messages: "1 MiB", "64 KiB", "100 字节".
std::string FormatBytes(uint64_t n);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_TABLE_READER_H_
