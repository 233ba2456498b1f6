// Writes RFC 4180 CSV into a caller-owned buffer: fields are quoted only when they hold
// a comma, a quote or a line break, quotes are doubled, rows end with CRLF.
// Not thread-safe; one writer per buffer.
#ifndef GETIHU_INGEST_CSV_WRITER_H_
#define GETIHU_INGEST_CSV_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace getihu::ingest {

class CsvWriter {
 public:
  // REQUIRES: `out` outlives the writer.
  explicit CsvWriter(std::string& out) : out_(out) {}

  // Appends one field, quoting it when needed.
  void Field(std::string_view value);
  // Appends an integer field.
  void Field(int64_t value);
  // Appends an empty field.
  void Empty() { Separator(); }
  // Ends the current row.
  void EndRow();

  // True when `value` must be quoted.
  static bool NeedsQuotes(std::string_view value);

 private:
  void Separator();
  std::string& out_;
  bool row_started_ = false;
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_CSV_WRITER_H_
