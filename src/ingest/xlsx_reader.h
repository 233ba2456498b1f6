// Streaming .xlsx reader: one worksheet (the first visible one, or the one named by
// ReaderOptions::sheet) is parsed row by row with libexpat, so a sheet of 1,048,576 rows
// is read with bounded memory; only the shared-string table is held whole. Parts are read
// through XlsxArchive, whose zip-bomb limits apply. Not thread-safe.
//
// Cells become text: shared and inline strings as written; numbers as AppendNumberText
// writes them (dates as YYYY-MM-DD when the cell's format is a date); booleans "TRUE" and
// "FALSE"; ISO dates (t="d") as their date part; error values as Excel shows them
// ("#N/A"); formulas by their cached result.
// A formula without a cached result refuses the file ("第 N 行第 X 列是没有计算结果的公式，
// …"): the value Excel would show is unknown, and reading it as empty would lose data
// silently. Missing cells are empty fields; a row's fields end at its last non-empty cell.
// Rows without a non-empty cell are skipped; RawRow::line is the sheet's row number.
#ifndef GETIHU_INGEST_XLSX_READER_H_
#define GETIHU_INGEST_XLSX_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/table_reader.h"
#include "ingest/xlsx_archive.h"
#include "ingest/xlsx_workbook.h"
#include "ingest/xlsx_xml.h"

namespace getihu::ingest {

class XlsxReader final : public TableReader {
 public:
  // Reads the workbook, its styles and shared strings, and opens the sheet. Returns
  // InvalidArgument when the named sheet does not exist (the message lists the sheets),
  // for a zip that is not a workbook, and the archive's errors.
  static base::Result<std::unique_ptr<XlsxReader>> Open(std::unique_ptr<XlsxArchive> archive,
                                                        const ReaderOptions& options);
  ~XlsxReader() override;

  base::Result<bool> Next(RawRow& row) override;
  std::string_view format() const override { return "XLSX"; }
  std::string_view encoding() const override { return ""; }
  uint64_t bytes_read() const override { return archive_->bytes_read(); }

  // The name of the sheet being read.
  const std::string& sheet_name() const { return sheet_name_; }

 private:
  class SheetHandler;
  explicit XlsxReader(std::unique_ptr<XlsxArchive> archive);

  // Declared in the order they must be built; destroyed in reverse.
  std::unique_ptr<XlsxArchive> archive_;
  SharedStrings strings_;
  std::vector<bool> date_styles_;
  std::string sheet_name_;
  std::unique_ptr<PartStream> sheet_;
  std::unique_ptr<SheetHandler> handler_;
  std::unique_ptr<XmlParser> parser_;
  bool any_row_ = false;
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_XLSX_READER_H_
